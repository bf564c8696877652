"""Screen the recent conversation window: the guard's patterns (the precise first layer: injection,
extraction, crisis, fraud, another person's data, forgery, harm) and the message classifier by
meaning. Either can stop the turn; the classifier's reading also tells routing what kind of
question it is. A classifier that fails or times out refuses the turn (fail closed)."""

from __future__ import annotations

import logging
from typing import Any

from assistant.turn.state import TurnState
from assistant.understanding.screening import Understood, decide, pattern_kinds

log = logging.getLogger("beacon.screen")

WINDOW = 4  # user messages, including this one


def screen_input(state: TurnState, deps: Any) -> dict[str, Any]:
    previous = [h["text"] for h in state.get("history", []) if h.get("role") == "user"]
    window = [*previous[-(WINDOW - 1) :], state["text"]]
    screen = deps.guard.screen_input(window)
    findings = [f.to_dict() for f in screen.findings]
    understood: Understood | None = None
    try:
        understood = deps.understanding.understand(window)
        findings.append(
            {
                "rule_id": "input.understanding",
                "stage": "input",
                "outcome": "pass",
                "rationale": f"Read as {understood.label} (classifier rule {understood.rule}, "
                f"from the {understood.source}).",
                "evidence": None,
            }
        )
    except Exception as e:  # noqa: BLE001 - fail closed: a message that cannot be read is not answered
        log.warning("turn %s: the message classifier failed: %s", state.get("turn_id"), type(e).__name__)
        findings.append(
            {
                "rule_id": "guard.understanding_error",
                "stage": "input",
                "outcome": "error",
                "rationale": f"The message classifier failed ({type(e).__name__}); the turn is refused (fail closed).",
                "evidence": None,
            }
        )
        return {
            "screen": {
                "action": "refuse",
                "kind": "blocked",
                "rules": [*screen.triggered, "guard.understanding_error"],
                "findings": findings,
                "understanding": None,
            }
        }
    action, kind = decide(screen.action, screen.triggered, understood)
    if kind is not None and kind == understood.label and kind not in pattern_kinds(screen.triggered):
        # the classifier, not a pattern, stopped the turn: its finding is the failing one
        findings[-1] = {**findings[-1], "outcome": "fail"}
    return {
        "screen": {
            "action": action,
            "kind": kind,
            "rules": screen.triggered,
            "findings": findings,
            "understanding": understood.to_dict(),
        }
    }
