"""The guard engine: input redaction and screening, output checks, all fail-closed.

Any exception or timeout inside a check becomes a blocking finding: no path shows text the
guard has not passed.
"""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass
from typing import Literal

from guardrails.pii import PiiEngine, Redaction
from guardrails.policy import LoadedPolicy
from guardrails.rules import CheckContext, build_rules
from guardrails.verdicts import Finding, Verdict

_POOL = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="guard")


@dataclass(frozen=True)
class InputScreen:
    """What the input screen decided about the recent conversation window."""

    action: Literal["allow", "refuse", "escalate"]
    findings: tuple[Finding, ...]

    @property
    def triggered(self) -> list[str]:
        return [f.rule_id for f in self.findings if f.outcome in ("fail", "error")]


class Guard:
    def __init__(self, policy: LoadedPolicy, pii: PiiEngine, timeout_s: float = 5.0) -> None:
        self.loaded = policy
        self.pii = pii
        self.timeout_s = timeout_s
        self.input_rules = build_rules(policy.policy.input_rules, pii)
        self.output_rules = build_rules(policy.policy.output_rules, pii)

    @property
    def version(self) -> str:
        return self.loaded.sha256

    def _timed(self, fn, *args):  # type: ignore[no-untyped-def]
        return _POOL.submit(fn, *args).result(timeout=self.timeout_s)

    def redact(self, text: str, placeholders: dict[str, str] | None = None) -> Redaction:
        """Redact PII; raises on failure so the caller can withhold the input entirely."""
        return self._timed(self.pii.redact, text, placeholders)  # type: ignore[no-any-return]

    def screen_input(self, window: list[str]) -> InputScreen:
        """Screen the recent user messages (already redacted) as one text and one by one."""
        try:
            return self._timed(self._screen, window)  # type: ignore[no-any-return]
        except Exception as e:  # noqa: BLE001 - fail closed on anything
            kind = "timed out" if isinstance(e, cf.TimeoutError) else f"failed ({type(e).__name__})"
            return InputScreen(
                "refuse",
                (
                    Finding(
                        "guard.input_error",
                        "input",
                        "error",
                        f"The input screen {kind}; the turn is refused (fail closed).",
                    ),
                ),
            )

    def _screen(self, window: list[str]) -> InputScreen:
        texts = [window[-1], " ".join(window)] if len(window) > 1 else window[-1:]
        findings: list[Finding] = []
        action: Literal["allow", "refuse", "escalate"] = "allow"
        for rule in self.input_rules:
            results = [rule.check(t, CheckContext()) for t in texts]
            failed = next((r for r in results if r.finding.outcome == "fail"), None)
            finding = (failed or results[0]).finding
            findings.append(finding)
            if failed:
                wanted: Literal["refuse", "escalate"] = "escalate" if rule.spec.action == "escalate" else "refuse"
                if wanted == "escalate" or action == "allow":
                    action = wanted
        return InputScreen(action, tuple(findings))

    def check_output(self, text: str, ctx: CheckContext) -> Verdict:
        try:
            return self._timed(self._check, text, ctx)  # type: ignore[no-any-return]
        except Exception as e:  # noqa: BLE001 - fail closed on anything
            kind = "timed out" if isinstance(e, cf.TimeoutError) else f"failed ({type(e).__name__}: {e})"
            return Verdict(
                "block",
                (
                    Finding(
                        "guard.output_error",
                        "output",
                        "error",
                        f"The output guard {kind}; nothing is shown (fail closed).",
                    ),
                ),
            )

    def _check(self, text: str, ctx: CheckContext) -> Verdict:
        findings: list[Finding] = []
        current = text
        escalate = False
        for rule in self.output_rules:
            result = rule.check(current, ctx)
            findings.append(result.finding)
            if result.finding.outcome == "transform" and result.text is not None:
                current = result.text
            elif result.finding.outcome in ("fail", "error") and rule.spec.action == "escalate":
                escalate = True
        if any(f.outcome in ("fail", "error") for f in findings):
            return Verdict("escalate" if escalate else "block", tuple(findings))
        return Verdict("transform" if current != text else "allow", tuple(findings), text=current)
