"""The Chainlit web chat (`chat.py`), the agent copilot profile (`copilot.py`), nudge cards, the
redacted chat history (`history.py`) and how a turn is shown (`formatting.py`)."""
