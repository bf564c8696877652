"""Compliance rules. Each is one small class; `RULE_KINDS` is the explicit registry that maps a
policy rule's `kind` to its class. Patterns and thresholds come from the policy file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from guardrails.contact_facts import source_grounded
from guardrails.grounding import unsupported_figures
from guardrails.pii import PiiEngine
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
    passage_texts: dict[str, str] = field(default_factory=dict)
    """citation id -> the retrieved text of that passage (for citation support)"""


@dataclass
class RuleResult:
    finding: Finding
    text: str | None = None
    """replacement text when the rule transforms"""


class Rule(Protocol):
    spec: RuleSpec

    def check(self, text: str, ctx: CheckContext) -> RuleResult: ...


def _stage(spec: RuleSpec) -> Stage:
    stage = spec.id.split(".", 1)[0]
    return "input" if stage == "input" else "document" if stage == "document" else "output"


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : min(len(text), end + 30)].strip()


class PatternRule:
    """Fails when any pattern matches."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec
        self.regexes = [re.compile(p, re.IGNORECASE) for p in spec.patterns]

    def _matches(self, text: str) -> list[re.Match[str]]:
        return [m for rx in self.regexes for m in rx.finditer(text)]

    clean_rationale = "No matching language."

    def _hits(self, text: str, ctx: CheckContext) -> list[re.Match[str]]:
        return self._matches(text)

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        hits = self._hits(text, ctx)
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
        return RuleResult(Finding(self.spec.id, _stage(self.spec), "pass", self.clean_rationale))


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


class ScopedPatternRule(PatternRule):
    """Like PatternRule, but a match that is one of the turn's own allowed phrases passes (the
    participant's own id is theirs to see; another participant's is not)."""

    clean_rationale = "No other person's data."

    def _hits(self, text: str, ctx: CheckContext) -> list[re.Match[str]]:
        own = set(ctx.allowed_phrases)
        return [m for m in self._matches(text) if m.group(0) not in own]


class FigureGroundingRule:
    """Fails when the answer states a number that no passage or calculator result supports
    (how numbers are read, and which paraphrases count as support: guardrails/grounding.py)."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        body = text
        for phrase in [*ctx.allowed_phrases, *self.spec.allowed_phrases]:
            # whole phrases only: "988" inside the IRS number "800-906-9887" would leave a stray "7"
            body = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", " ", body) if phrase else body
        unsupported = unsupported_figures(body, ctx.sources, ctx.figures)
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


_SECTION_REF = re.compile(r"(?:\bsections?|§)\s?(\d+(?:\.\d+)*)(\([a-z0-9]+\))*", re.IGNORECASE)


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
        named = [m.group(1) for m in _SECTION_REF.finditer(text) if not _section_known(m, sections, quoted)]
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


def _section_known(m: re.Match[str], sections: set[str], quoted: str) -> bool:
    """A section named in the answer is one retrieved, or the section that holds one ("section 4" for a
    retrieved 4.2), or quoted from a passage ("SECURE 2.0 section 304"; a code section like
    "section 401(k)" or "section 72(t)" that a passage names as "401(k)" or "72(t)")."""
    number = m.group(1).rstrip(".")
    if number in sections or m.group(0).lower() in quoted:
        return True
    if any(s.startswith(number + ".") for s in sections):
        return True
    label = m.group(0)[m.end(1) - m.start(0) :]
    return bool(label) and (number + label).lower() in quoted


class PiiRedactionRule:
    """Redacts PII from an answer (transform) rather than blocking it."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        if pii is None:
            raise ValueError("the pii_redaction rule needs the PII engine")
        self.spec = spec
        self.pii = pii

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        keep = source_grounded(self.spec.source_grounded, ctx.sources, ctx.pii_placeholders)
        redaction = self.pii.redact(text, ctx.pii_placeholders, extra_allow=ctx.allowed_phrases, keep=keep)
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


_SENTENCE = re.compile(r"[^.!?]+[.!?]?")  # line breaks inside a sentence are common in PDFs


class PlantedInstructionRule(PatternRule):
    """Fails when a retrieved passage carries an instruction aimed at the assistant (BIPIA-style
    indirect injection): a pattern match in any sentence, or a question that has nothing to do with
    retirement plans (no word starting like one of the policy's `domain_words`). The passage is quarantined."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        super().__init__(spec, pii)
        self.domain = {w.lower() for w in spec.domain_words}

    def _matches(self, text: str) -> list[re.Match[str]]:
        hits = super()._matches(text)
        if hits or not self.domain:
            return hits
        for m in _SENTENCE.finditer(text):
            sentence = m.group(0)
            words = re.findall(r"[a-z0-9()]+", sentence.lower())
            if sentence.rstrip().endswith("?") and not any(w.startswith(tuple(self.domain)) for w in words):
                return [m]
        return []


CLOSING_NOTE = re.compile(r"\n\n(This is general (information|education)\b[^\n]*)\s*$")
"""the education note that closes a reply: a disclosure goes before it, so the reply still ends with it ("can I
borrow from my 401k?" ended "... not investment, tax or legal advice." and then the hardship-withdrawal disclosure)"""


def with_disclosure(text: str, disclosure: str) -> str:
    text = text.rstrip()
    note = CLOSING_NOTE.search(text)
    if note is None:
        return f"{text}\n\n{disclosure}"
    return f"{text[: note.start()]}\n\n{disclosure}\n\n{note.group(1)}"


SOURCE_LABEL = re.compile(r"^[^\n:,.?!;]{3,120}, (section [\w.]+|page \d+): ", re.M)
"""the label that names where a quoted passage is printed ("Plan loans compared with hardship withdrawals, section 4: "):
a document's title, not a topic the answer touches. A title with a comma or a full stop is not taken for one, so the
disclosure is added (the safe side); a sentence dressed as a label would only lose a disclosure, never pass a figure,
advice or PII check, which read the whole text."""


class RequiredDisclosureRule:
    """When the answer touches a topic (a pattern matches outside the labels that name where a passage is printed)
    and none of the required phrases is there, the policy's pre-approved disclosure is added before the closing
    education note (transform). ("What happens to my loan if I get fired?" got the hardship-withdrawal disclosure
    from a section title, "Plan loans compared with hardship withdrawals".)"""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec
        self.triggers = [re.compile(p, re.IGNORECASE) for p in spec.patterns]
        self.requires = [re.compile(p, re.IGNORECASE) for p in spec.requires]

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        body = SOURCE_LABEL.sub("", text)
        hit = next((m for rx in self.triggers for m in [rx.search(body)] if m), None)
        if hit is None:
            return RuleResult(Finding(self.spec.id, "output", "pass", "The topic does not come up."))
        if any(rx.search(body) for rx in self.requires):
            return RuleResult(Finding(self.spec.id, "output", "pass", "The required disclosure is present."))
        return RuleResult(
            Finding(
                self.spec.id,
                "output",
                "transform",
                f"{self.spec.description} Added the disclosure (topic: '{hit.group(0)}').",
                _snippet(body, hit.start(), hit.end()),
            ),
            text=with_disclosure(text, self.spec.disclosure or ""),
        )


_STOP = set(
    "that this with from your have will they their there about which when what been were into than then them "
    "also only more most some such each other these those plan plans year years under over after before".split()
)


_AMOUNT = re.compile(r"\$\d[\d,]*(?:\.\d+)?|\b\d+(?:\.\d+)?%")


def _content_words(text: str) -> set[str]:
    """Content words without a plural s, cut to six letters (a light stem: loan / loans, contribute /
    contribution / contributions), and the dollar amounts and percentages the text states ("$75")."""
    words = {
        (w[:-1] if w.endswith("s") and not w.endswith("ss") else w)[:6]
        for w in re.findall(r"[a-z]{4,}", text.lower())
        if w not in _STOP
    }
    return words | {a.replace(",", "") for a in _AMOUNT.findall(text)}


class CitationSupportRule:
    """Fails when a cited passage shares (almost) nothing with the answer it is attached to: a
    citation that does not support what is said is as bad as an invented one."""

    def __init__(self, spec: RuleSpec, pii: PiiEngine | None = None) -> None:
        self.spec = spec

    def check(self, text: str, ctx: CheckContext) -> RuleResult:
        words = _content_words(text)
        weak = [
            cid
            for cid in ctx.cited_ids
            if cid in ctx.passage_texts and len(words & _content_words(ctx.passage_texts[cid])) < self.spec.min_overlap
        ]
        if weak:
            return RuleResult(
                Finding(
                    self.spec.id,
                    "output",
                    "fail",
                    f"Cited passage(s) do not support the answer (fewer than {self.spec.min_overlap} shared "
                    f"content words): {', '.join(weak[:5])}.",
                    ", ".join(weak[:5]),
                )
            )
        return RuleResult(
            Finding(self.spec.id, "output", "pass", "Every cited passage shares content with the answer.")
        )


RULE_KINDS: dict[str, type] = {
    "pattern": PatternRule,
    "negatable_pattern": NegatablePatternRule,
    "scoped_pattern": ScopedPatternRule,
    "figure_grounding": FigureGroundingRule,
    "citation_grounding": CitationGroundingRule,
    "pii_redaction": PiiRedactionRule,
    "planted_instruction": PlantedInstructionRule,
    "required_disclosure": RequiredDisclosureRule,
    "citation_support": CitationSupportRule,
}


def build_rules(specs: list[RuleSpec], pii: PiiEngine) -> list[Rule]:
    return [RULE_KINDS[s.kind](s, pii) for s in specs]
