"""The guard engine: input redaction and screening, output checks, all fail-closed.

Any exception or timeout inside a check becomes a blocking finding: no path shows text the
guard has not passed.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import concurrent.futures as cf
import re
from dataclasses import dataclass, replace
from typing import Literal

from guardrails.pii import PiiEngine, Redaction
from guardrails.policy import LoadedPolicy
from guardrails.rules import CheckContext, build_rules
from guardrails.verdicts import Finding, Verdict

_POOL = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="guard")
CRISIS_RULE = "input.crisis"
RAW_TEXT_RULES = (CRISIS_RULE, "input.fraud_coercion")
"""the input rules also checked on the message as written, before PII redaction (`before_redaction`):
the two that escalate to a person"""
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}[ :]?){8,}\b")
_SPACED = re.compile(r"\b(?:\w[ .*_-]){4,}\w\b")


def decoded_variants(text: str) -> list[str]:
    """What an encoded message says: base64 and hex runs decoded, r-o-t-1-3 undone when named,
    letters spaced out ("i g n o r e") joined. Input rules see these as well as the text."""
    out: list[str] = []
    for m in _BASE64.finditer(text):
        raw = m.group(0)
        try:
            decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded and sum(ch.isprintable() for ch in decoded) / len(decoded) > 0.9:
            out.append(decoded)
    for m in _HEX.finditer(text):
        try:
            out.append(bytes.fromhex(re.sub(r"[ :]", "", m.group(0))).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
    if re.search(r"\brot[- ]?13\b", text, re.IGNORECASE):
        out.append(codecs.decode(text, "rot_13"))
    joined = _SPACED.sub(lambda m: re.sub(r"[ .*_-]", "", m.group(0)), text)
    if joined != text:
        out.append(joined)
    return out


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
        self.document_rules = build_rules(policy.policy.document_rules, pii)

    @property
    def version(self) -> str:
        return self.loaded.sha256

    def _timed(self, fn, *args):  # type: ignore[no-untyped-def]
        return _POOL.submit(fn, *args).result(timeout=self.timeout_s)

    def redact(self, text: str, placeholders: dict[str, str] | None = None, previous: str | None = None) -> Redaction:
        """Redact PII; raises on failure so the caller can withhold the input entirely.

        `previous` is the thread's previous user message (redacted), for numbers split across turns."""
        return self._timed(self.pii.redact, text, placeholders, None, previous)  # type: ignore[no-any-return]

    def screen_documents(self, texts: list[str]) -> list[Finding | None]:
        """For each retrieved passage, the failing document-rule finding (quarantine it) or None.

        Raises on error or timeout: the retrieve stage then fails and the turn fails closed."""
        return self._timed(self._screen_documents, texts)  # type: ignore[no-any-return]

    def _screen_documents(self, texts: list[str]) -> list[Finding | None]:
        out: list[Finding | None] = []
        for text in texts:
            failed = None
            for rule in self.document_rules:
                finding = rule.check(text, CheckContext()).finding
                if finding.outcome in ("fail", "error"):
                    failed = finding
                    break
            out.append(failed)
        return out

    def before_redaction(self, text: str) -> tuple[str, ...]:
        """The escalating rules (crisis, fraud) that match the message as it was written, before PII
        redaction, which can take words they need: spaCy's English model reads Spanish words as names
        ("ya no quiero vivir" became "[PERSON_1]", "Necesito retirar todo su IRA" lost "Necesito").
        Called where the raw text lives (the turn service); only the rule ids leave it. An error or
        timeout reads as a crisis match: a crisis signal is never dropped by a failure (fail closed)."""
        rules = [r for r in self.input_rules if r.spec.id in RAW_TEXT_RULES]
        try:
            return tuple(
                self._timed(
                    lambda: [r.spec.id for r in rules if r.check(text, CheckContext()).finding.outcome == "fail"]
                )
            )
        except Exception:  # noqa: BLE001 - fail closed: treat as a crisis signal
            return (CRISIS_RULE,)

    def screen_input(self, window: list[str], before_redaction: tuple[str, ...] = ()) -> InputScreen:
        """Screen the recent user messages (already redacted) as one text and one by one.
        `before_redaction`: the rules the current message matched before redaction (`before_redaction`)."""
        try:
            return self._timed(self._screen, window, before_redaction)  # type: ignore[no-any-return]
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

    def _screen(self, window: list[str], before_redaction: tuple[str, ...] = ()) -> InputScreen:
        texts = [window[-1], " ".join(window)] if len(window) > 1 else window[-1:]
        plain = len(texts)
        texts += [d for t in window for d in decoded_variants(t)]
        findings: list[Finding] = []
        action: Literal["allow", "refuse", "escalate"] = "allow"
        for rule in self.input_rules:
            results = [rule.check(t, CheckContext()) for t in texts]
            at = next((n for n, r in enumerate(results) if r.finding.outcome == "fail"), None)
            failed = results[at] if at is not None else None
            finding = (failed or results[0]).finding
            if at is not None and at >= plain:
                # decoded text was never redacted: keep it out of the finding (and so the audit log)
                finding = replace(
                    finding,
                    rationale=f"{rule.spec.description} Found in an encoded part of the message.",
                    evidence=None,
                )
            if failed is None and rule.spec.id in before_redaction:
                # the redacted text lost the words the pattern matched: the match before redaction stands
                finding = Finding(
                    rule.spec.id,
                    "input",
                    "fail",
                    f"{rule.spec.description} Found in the message before PII redaction.",
                )
            findings.append(finding)
            if finding.outcome == "fail":
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
