"""Screen the recent conversation window for injection, crisis and fraud signals."""

from __future__ import annotations

from typing import Any

from assistant.turn.state import TurnState

WINDOW = 4  # user messages, including this one


def screen_input(state: TurnState, deps: Any) -> dict[str, Any]:
    previous = [h["text"] for h in state.get("history", []) if h.get("role") == "user"]
    window = [*previous[-(WINDOW - 1) :], state["text"]]
    screen = deps.guard.screen_input(window)
    return {
        "screen": {
            "action": screen.action,
            "rules": screen.triggered,
            "findings": [f.to_dict() for f in screen.findings],
        }
    }
