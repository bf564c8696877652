"""Compliance rules. Each is one small class; `RULE_KINDS` is the explicit registry that maps a
policy rule's `kind` to its class. Patterns and thresholds come from the policy file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from guardrails.pii import PLACEHOLDER, PiiEngine
from guardrails.policy import RuleSpec
from guardrails.verdicts import Finding, Stage


@dataclass
class CheckContext:
    """What an output rule may look at besides the text."""

    sources: list[str] = field(default_factory=list)
    """texts of the passages retrieved for this turn"""
    figures: list[float] = field(default_factory=list)
    """every number a calculator produced or consumed for this turn"""
    allowed_phrases: list[str] = field(default_factory=list)
    """exact phrases that may appear (the plan's phone number, portal address, ...)"""
    pii_placeholders: dict[str, str] = field(default_factory=dict)
    cited_ids: list[str] = field(default_factory=list)
    """citation ids ("doc_id#section") the draft claims to rely on"""
    known_ids: list[str] = field(default_factory=list)
    """citation ids of the passages actually retrieved for this turn"""


@dataclass
class RuleResult:
    finding: Finding
    text: str | None = None
    """replacement text when the rule transforms"""


class Rule(Protocol):
    spec: RuleSpec

    def check(self, text: str, ctx: CheckContext) -> RuleResult: ...


def _stage(spec: RuleSpec) -> Stage:
    return "input" if spec.id.startswith("input.") else "output"


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : min(len(text), end + 30)].strip()


class PatternRule:
    """Fails when any pattern matches."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec
        self.regexes = [re.compile(p, re.IGNORECASE) for p in spec.patterns]

    def _matches(self, text: str) -> list[re.Match[str]]:
        return [m for rx in self.regexes for m in rx.finditer(text)]

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        hits = self._matches(text)
        if hits:
            m = hits[0]
            return RuleResult(
                Finding(
                    self.spec.id,
                    _stage(self.spec),
                    "fail",
                    f"{self.spec.description} Matched '{m.group(0)}'.",
                    _snippet(text, m.start(), m.end()),
                )
            )
        return RuleResult(Finding(self.spec.id, _stage(self.spec), "pass", "No matching language."))


class NegatablePatternRule(PatternRule):
    """Like PatternRule, but a match preceded closely by a negation ("not guaranteed") passes."""

    def _matches(self, text: str) -> list[re.Match[str]]:
        negations = {n.lower() for n in self.spec.negations}
        out = []
        for m in super()._matches(text):
            before = re.findall(r"[a-z']+", text[: m.start()].lower())[-4:]
            if not negations.intersection(before):
                out.append(m)
        return out


_LABELS = re.compile(
    r"\b\d{3}\([a-z]\)(\(\d+\))*|\bIRC \d+[A-Za-z]?(\([a-z0-9]+\))*|\b(?:section|§|page) ?\d+(\.\d+)*", re.IGNORECASE
)
_NUMBER = re.compile(r"(?<![\w.])\$?\d[\d,]*(?:\.\d+)?%?")


def numbers_in(text: str) -> list[tuple[str, float]]:
    """(as written, value) for each figure in the text; plan-type labels like 401(k) are skipped."""
    cleaned = _LABELS.sub(" ", PLACEHOLDER.sub(" ", text))
    out = []
    for m in _NUMBER.finditer(cleaned):
        raw = m.group(0).rstrip(".,")
        digits = raw.strip("$%").replace(",", "")
        try:
            out.append((raw, float(digits)))
        except ValueError:
            continue
    return out


class FigureGroundingRule:
    """Fails when the answer states a number that no passage or calculator result supports."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec

    @staticmethod
    def _supported(value: float, written: str, support: set[float]) -> bool:
        if any(abs(value - s) < 0.006 for s in support):
            return True
        whole = "." not in written  # "$1,440" may show a calculator's 1440.38 rounded
        return whole and any(abs(value - round(s)) < 0.006 for s in support)

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        body = text
        for phrase in [*ctx.allowed_phrases, *self.spec.allowed_phrases]:
            body = body.replace(phrase, " ")
        support = {v for src in ctx.sources for _, v in numbers_in(src)} | set(ctx.figures)
        unsupported = [w for w, v in numbers_in(body) if not self._supported(v, w, support)]
        if unsupported:
            return RuleResult(
                Finding(
                    self.spec.id,
                    "output",
                    "fail",
                    f"{len(unsupported)} figure(s) have no source or calculator behind them: "
                    f"{', '.join(unsupported[:5])}.",
                    ", ".join(unsupported[:5]),
                )
            )
        return RuleResult(Finding(self.spec.id, "output", "pass", "Every figure traces to a passage or calculator."))


_SECTION_REF = re.compile(r"(?:\bsection|§)\s?(\d+(?:\.\d+)*)", re.IGNORECASE)


class CitationGroundingRule:
    """Fails when the draft cites a passage that was not retrieved, or names a section
    ("section 12.7") that no retrieved passage has: invented sources are never shown."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        known = set(ctx.known_ids)
        sections = {k.split("#", 1)[1] for k in known if "#" in k}
        unknown = [c for c in ctx.cited_ids if c not in known]
        quoted = " ".join(ctx.sources).lower()  # "SECURE 2.0 section 304" quoted from a passage is fine
        named = [
            m.group(1)
            for m in _SECTION_REF.finditer(text)
            if m.group(1).rstrip(".") not in sections and m.group(0).lower() not in quoted
        ]
        if unknown or named:
            bad = unknown + [f"section {s}" for s in named]
            return RuleResult(
                Finding(
                    self.spec.id,
                    "output",
                    "fail",
                    f"The answer cites sources that were not retrieved: {', '.join(bad[:5])}.",
                    ", ".join(bad[:5]),
                )
            )
        return RuleResult(Finding(self.spec.id, "output", "pass", "Every cited source was retrieved for this turn."))


class PiiRedactionRule:
    """Redacts PII from an answer (transform) rather than blocking it."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        if pii is None:
            raise ValueError("the pii_redaction rule needs the PII engine")
        self.spec = spec
        self.pii = pii

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        redaction = self.pii.redact(text, ctx.pii_placeholders, extra_allow=ctx.allowed_phrases)
        if redaction.entities:
            kinds = sorted({e.entity_type for e in redaction.entities})
            return RuleResult(
                Finding(
                    self.spec.id,
                    "output",
                    "transform",
                    f"Redacted {len(redaction.entities)} PII value(s): {', '.join(kinds)}.",
                ),
                text=redaction.text,
            )
        return RuleResult(Finding(self.spec.id, "output", "pass", "No PII in the answer."))


RULE_KINDS: dict[str, type] = {
    "pattern": PatternRule,
    "negatable_pattern": NegatablePatternRule,
    "figure_grounding": FigureGroundingRule,
    "citation_grounding": CitationGroundingRule,
    "pii_redaction": PiiRedactionRule,
}


def build_rules(specs: list[RuleSpec], pii: PiiEngine) -> list[Rule]:
    return [RULE_KINDS[s.kind](s, pii) for s in specs]
