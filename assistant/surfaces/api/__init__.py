"""The REST API (FastAPI) under /api/v1: turns (the `beacon ask --json` object), thread history,
feedback, the hand-off queue and the agent's context card.

Who may do what (docs/api.md#roles has the table): a participant only
ever reaches their own participant id and their own participant-channel threads — anything else
answers exactly as if it did not exist; agents and admins reach any participant, and every such
access is an audit record written *before* the data is returned (if it cannot be written, 503);
compliance reads conversations and the hand-off queue (recorded the same way) but never acts
for a participant.
"""

from assistant.surfaces.api.app import build_app

__all__ = ["build_app"]
