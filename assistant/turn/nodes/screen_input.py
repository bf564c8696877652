"""Screen the recent conversation window: the guard's patterns (the precise first layer: injection,
extraction, crisis, fraud, another person's data, forgery, harm) and the message classifier by
meaning. Either can stop the turn; the classifier's reading also tells routing what kind of
question it is. A classifier that fails or times out fails the turn closed."""

from __future__ import annotations

from typing import Any

from assistant.turn.state import TurnState
from assistant.understanding.screening import decide, pattern_kinds

WINDOW = 4  # user messages, including this one


def screen_input(state: TurnState, deps: Any) -> dict[str, Any]:
    previous = [h["text"] for h in state.get("history", []) if h.get("role") == "user"]
    window = [*previous[-(WINDOW - 1) :], state["text"]]
    screen = deps.guard.screen_input(window, before_redaction=tuple(state.get("before_redaction") or ()))
    findings = [f.to_dict() for f in screen.findings]
    # any failure or timeout of the classifier raises: the turn then fails closed (unavailable, with
    # how to reach a person) and its audit record names the stage and the error
    understood = deps.understanding.understand(window)
    findings.append(
        {
            "rule_id": "input.understanding",
            "stage": "input",
            "outcome": "pass",
            "rationale": f"Read as {understood.label} (classifier rule {understood.rule}, from the {understood.source}).",
            "evidence": None,
        }
    )
    action, kind = decide(screen.action, screen.triggered, understood, state["text"])
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
            # not stopped, or stopped as a scam, but with a crisis signal: the reply opens with 988
            # (draft node)
            "check_in": (action == "allow" or kind == "fraud")
            and (understood.check_in or understood.label == "crisis" or bool(state.get("distress_abroad"))),
            # a crisis that also reads as a scam or coercion ("he says if I don't give him the cash ..."):
            # the crisis reply also gives the fraud warning signs (composer)
            "also_fraud": kind == "crisis" and (understood.fraud_signal or "fraud" in pattern_kinds(screen.triggered)),
        }
    }
