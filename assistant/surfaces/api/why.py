""" "Why am I seeing this?" over the API: `GET /api/v1/turns/{turn_id}/why` for an answer or a nudge
(decision id). Same access rules as the conversation (docs/api.md#roles): a participant reads only
their own, anything else is 404 as if it did not exist; staff access is recorded first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from assistant.records.users import User
from assistant.services import runtime
from assistant.supervision.why_access import Viewer, explanation, find_for
from assistant.surfaces.api.models import ERRORS
from assistant.surfaces.api.security import current_user, recorded

router = APIRouter(prefix="/api/v1")


class WhySource(BaseModel):
    id: str
    title: str
    section: str | None = None
    section_title: str | None = None
    effective_date: str | None = None
    label: str


class WhyData(BaseModel):
    field: str
    label: str
    value: Any = None
    """only for the participant themself"""


class WhyOut(BaseModel):
    turn_id: str
    kind: str
    """answer | nudge"""
    action: str | None = None
    text: str
    """the whole explanation in plain words"""
    because: list[str]
    sources: list[WhySource]
    rules: list[str]
    data_used: list[WhyData]
    values_shown: bool


@router.get("/turns/{turn_id}/why", response_model=WhyOut, responses=ERRORS, tags=["turns"])
def why(turn_id: str, user: User = Depends(current_user)) -> dict[str, Any]:
    """Why an answer or a nudge was shown: the sources, the rule or life event, the person's data used."""
    deps = runtime.service().deps
    found = find_for(deps, turn_id, Viewer(user.role, user.username, user.participant_id))
    if found is None:
        raise HTTPException(404, f"No answer or nudge '{turn_id}' in your conversations; check the id.")
    if not found.own and found.participant_id is not None:
        recorded(user, found.participant_id, f"why {turn_id}")
    return explanation(deps, found)
