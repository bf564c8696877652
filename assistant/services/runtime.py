"""The one running TurnService of a server process, shared by the REST API and the Chainlit app.

`assistant.surfaces.server` sets it at start-up (composition root); the Chainlit module reads it. Nothing
is loaded at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.errors import UnavailableError

if TYPE_CHECKING:
    from assistant.records.users import UserStore
    from assistant.services.turn_service import TurnService

_service: TurnService | None = None
_users: UserStore | None = None


def install(service: TurnService, users: UserStore) -> None:
    global _service, _users
    _service, _users = service, users


def service() -> TurnService:
    if _service is None:
        raise UnavailableError("Beacon is still starting; try again in a moment.")
    return _service


def users() -> UserStore:
    if _users is None:
        raise UnavailableError("Beacon is still starting; try again in a moment.")
    return _users
