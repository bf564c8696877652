"""Questions with several parts: "do i have to start taking money out of my 403b now? and what
happens to her ira?" is two questions, and the reply answers each in its own section or says which
one it cannot answer.

`split_parts` finds the questions of a message (sentences, then clauses joined by "and"/"also"
that start a new question); statements around them ("my wife just died and i'm 74") are context,
not parts. `inherited_part` recognises a question about the account of someone whose death the
message tells of ("her ira" after "my wife just died"): that is a question about an inherited
account, answered from the general document on inherited accounts. `compose_parts` puts the
sections together. Routing, retrieval and figures per part are done by the turn
(`assistant/turn/multipart.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.decisions.drafts import Blocks, Draft, unique
from assistant.decisions.life_events import spouse_died, told_event

QUESTION_START = re.compile(
    r"^(do|does|did|can|could|will|would|should|shall|is|are|am|was|were|what|what's|whats|when|where|which|who|"
    r"whom|whose|why|how|may|must|have|has|any|if)\b",
    re.I,
)
_BARE_IF = re.compile(r"^(even )?if\b", re.I)
_MAIN_QUESTION = re.compile(
    r"\b(do|does|did|can|could|will|would|should|is|are|am|was|were|must|may|what|what's|when|where|which|who|why|how)"
    r"\s+(i|we|you|it|they|he|she|my|our|the|that|this|there|a|an|much|many|long|do|does|can|will|is|are)\b",
    re.I,
)
"""a question's own verb and subject ("if i leave do i have to pay it back?" asks; "If a college student had to
pick one?" is a condition on the question before it)"""
_LEAD = re.compile(r"^\s*(and|also|plus|but|so|then|or)\b[\s,]*(also\b\s*)?", re.I)
_CLAUSE = re.compile(r"(?:,|;)?\s+(?=(?:and|also|plus|but)\s+(?:also\s+)?" + QUESTION_START.pattern[1:] + ")", re.I)
_OWN = r"(?:ira|roth ira|401\(?k\)?|403\(?b\)?|457\(?b\)?|account|retirement (?:account|money|savings)|pension|savings)"
LATE_ACCOUNT = re.compile(
    rf"\b(?:her|his|their|my (?:late )?(?:wife|husband|spouse|mom|mother|dad|father|parent)'?s?)\s+{_OWN}\b", re.I
)
_SAME_SUBJECT = re.compile(
    r"^(when|where|how( long| much| often| soon)?|what|why) (does|do|is|will|would|can|could|should) (it|that|this)\b",
    re.I,
)
"""a question whose subject is the previous question's ("... and when does it come?")"""
_NO_SUBJECT = re.compile(
    r"^(have|has)\s+(?!(i|you|we|they|he|she|it|my|our|your|his|her|their|the|there|anyone|anybody|someone|somebody)\b)",
    re.I,
)
""""have"/"has" without a subject continues the clause before it ("if I'm retired and have no job?" was a second
question, "have no job?", that no document answered)"""
_BACK_REFERENCE = re.compile(
    r"^(do|does|should|can|could|would|will|must)\s+(i|we)\s+(really\s+)?(need|get|want|open|have|use|file|sign|start)"
    r"\s+(one|ones|it|them)\s*\??$",
    re.I,
)
"""a short question whose object is the one before's ("what's a QDRO and do I need one?" asked "do I need one?" alone,
and got the hardship self-certification section)"""
PLAN_ACCOUNT = re.compile(r"401\(?k\)?|403\(?b\)?|457\(?b\)?|pension|plan", re.I)


def _clean(part: str) -> str:
    return _LEAD.sub("", part).strip(" ,;")


def split_parts(text: str) -> list[str]:
    """The questions of `text`, in order, each without its leading "and"; [] when it asks fewer than two."""
    parts = questions(text)
    return parts if len(parts) >= 2 else []


def questions(text: str) -> list[str]:
    """The questions of `text`, in order, each without its leading "and"."""
    parts: list[str] = []
    for s in re.split(r"(?<=[.?!])\s+", " ".join(text.split())):  # people type in lower case too
        for clause in _CLAUSE.split(s):
            clause = _clean(clause)
            if len(clause.split()) >= 3 and (clause.endswith("?") or QUESTION_START.match(clause)):
                if parts and _BARE_IF.match(clause) and not _MAIN_QUESTION.search(clause) and "," not in clause:
                    # a condition alone asks nothing of its own: it belongs to the question before it ("Roth
                    # IRA - Vanguard or Fidelity? If a college student had to pick one?" got the 529-to-Roth
                    # rule for the second "question")
                    parts[-1] = f"{parts[-1]} {clause}"
                    continue
                if parts and _NO_SUBJECT.match(clause):
                    parts[-1] = f"{parts[-1].rstrip('?')} and {clause}"
                    continue
                if (
                    parts
                    and (_SAME_SUBJECT.match(clause) or _BACK_REFERENCE.search(clause))
                    and len(clause.split()) <= 6
                ):
                    # a short question about "it" asks more of the one before ("how much is the true-up and when
                    # does it come?" was two questions, and the second got an RMD page for "when")
                    parts[-1] = f"{parts[-1].rstrip('?')} and {clause}"
                    continue
                parts.append(clause if clause.endswith("?") else clause.rstrip(".!") + "?")
    return parts


@dataclass(frozen=True)
class InheritedPart:
    """A question about a late person's account: where its answer is written."""

    anchor: str
    """`doc_id#section` of the general document that states the choices"""
    topic: str
    query: str


def inherited_part(part: str, message: str) -> InheritedPart | None:
    """The part asks what happens to the account of someone whose death the message tells of."""
    if not LATE_ACCOUNT.search(part) or told_event(message) != "death":
        return None
    plan = bool(PLAN_ACCOUNT.search(LATE_ACCOUNT.search(part).group(0)))  # type: ignore[union-attr]
    if spouse_died(message):
        section, kind = ("5", "401(k) or 403(b)") if plan else ("4", "IRA")
        return InheritedPart(
            f"general/inherited-accounts#{section}",
            f"your late spouse's {kind}",
            f"surviving spouse choices for an inherited {kind}",
        )
    return InheritedPart(
        "general/inherited-accounts#6", "the account you inherit", "non-spouse beneficiary inherited account rules"
    )


def compose_parts(
    blocks: Blocks, answered: list[tuple[str, Draft]], unanswered: list[str], plan_known: bool = True
) -> Draft:
    """One reply from the parts' drafts: a section per answered part, in the order asked, introduced
    by its topic; then one sentence naming each part that could not be answered (with no plan known, not
    "from your documents" and "a person at your plan": an anonymous visitor has neither)."""
    notes = [blocks.get("education_note"), blocks.get("education_note_general")]
    lines: list[str] = []
    cites: list[str] = []
    figs: list[str] = []
    about_plan = False
    for topic, d in answered:
        body = d.text
        for note in notes:  # each part's own note once at the end, not once per part
            about_plan = about_plan or (note == notes[0] and note in body)
            body = body.replace(f"\n\n{note}", "").replace(note, "")
        lines.append(f"On {topic}:\n\n{body.strip()}" if topic else body.strip())
        cites += d.citations
        figs += d.figures
    for topic in unanswered:
        lines.append(blocks.get("part_unanswered" if plan_known else "part_unanswered_general").format(topic=topic))
    lines.append(notes[0] if about_plan or not answered else notes[1])
    return Draft("answer", "\n\n".join(lines), unique(cites), unique(figs))
