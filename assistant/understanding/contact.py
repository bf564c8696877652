"""The plan's own contact facts are not another person's data.

"What's the address of the plan administrator?" or "What is the mailing address?" asks for what the
plan's documents print (its address, phone, fax, website, hours), but MiniLM reads "address" close
to the third-party requests it learned ("What address does the plan have on file for my ex-wife?").
A message that asks for a contact fact and names no other person is read as a plan question: the
classifier's third-party share moves to plan_question and its rule becomes `plan_contact` (both in
the audit). Anyone else named — a relative, a pronoun, a participant, an id — keeps the reading.
"""

from __future__ import annotations

import re

CONTACT_FACT = re.compile(
    r"\b(mailing address|address(es)?|phone|telephone|toll[- ]free|fax|number to call|website|web ?site|url|"
    r"e-?mail( address)?|hours|office|contact (info|information|details)|where (do|should|can) i (send|mail)|"
    r"administrator|trustee|record ?keeper)\b",
    re.I,
)
RELATIONS = re.compile(
    r"\b(ex|ex-\w+|wife|husband|spouse|partner|son|daughter|child|children|kids?|mother|mom|father|dad|parents?|"
    r"brother|sister|sibling|aunt|uncle|niece|nephew|cousin|grand\w+|\w*friend|fianc\w*|neighbou?r|boss|co-?workers?|"
    r"colleague|doctor|nurse|lawyer|landlord|tenant|"
    r"employees?|participants?|members?|customers?|clients?|caller|someone|somebody|anyone|anybody|person|people|"
    r"he|she|him|her|hers|his|they|them|their|theirs)\b",
    re.I,
)
"""anyone but the person and their plan, named by relation or pronoun"""
NAMED_OR_ID = re.compile(
    r"\b(?!(What|Where|Who|When|How|It|That|There|Here|Let)'s)[A-Z][a-z]+'s\b|\b[A-Z]-?\d{3,}\b|\d{3}-\d{2}-\d{4}"
)
"""a capitalised name's possessive, a participant id or an SSN (case-sensitive)"""


ASKS = re.compile(
    r"^\s*(what|what's|whats|where|where's|wheres|which|who|when|is there|are there|do you have|"
    r"how (do|can|should) i (reach|contact|call|phone|email|e-mail|write to|mail|send)|"
    r"(give|tell|send) me the\b|can i (get|have) the\b)",
    re.I,
)
"""a question for a contact fact, not an instruction that mentions one ("spam a website")"""
PRIVATE = re.compile(
    r"\b(home|residential|personal|private|house|cell|mobile|social security|work (e-?mail|phone|number|address))\b",
    re.I,
)
"""a person's own address or number, never the plan's"""
PLAN_ENTITY = re.compile(
    r"\b(plans?|administrator|trustee|record ?keeper|service cent(er|re)|benefits?|hr|human resources|sponsor|"
    r"claims?|401\s?\(?k\)?|403\s?\(?b\)?|457\s?\(?b\)?|retirement|forms?|distribution|rollover|loan|"
    r"beneficiary|hardship)\b",
    re.I,
)
NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z]*[A-Z]?[a-z]+\b")
"""a capitalised word after the first: a name (a plan entity or a bare question has none)"""


def plan_contact(text: str) -> bool:
    """Does the message ask for a contact fact of the plan, naming no one else? It names the plan (or
    one of its offices) or nothing at all ("What is the mailing address?"), and no person, name, or
    private address or number."""
    if (
        not (ASKS.search(text) and CONTACT_FACT.search(text))
        or PRIVATE.search(text)
        or RELATIONS.search(text)
        or NAMED_OR_ID.search(text)
    ):
        return False
    return bool(PLAN_ENTITY.search(text)) or not NAME.search(text.strip())


def as_plan_contact(probabilities: dict[str, float]) -> dict[str, float]:
    """The third-party share read as a plan question (the rest unchanged)."""
    moved = dict(probabilities)
    moved["plan_question"] = moved.get("plan_question", 0.0) + moved.pop("third_party", 0.0)
    moved["third_party"] = 0.0
    return moved
