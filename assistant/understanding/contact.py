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
    r"e-?mail( address)?|hours|office|contact (info|information|details)|where (do|should|can) i (send|mail))\b",
    re.I,
)
OTHER_PERSON = re.compile(
    r"\b(ex|ex-\w+|wife|husband|spouse|partner|son|daughter|child|children|kids?|mother|mom|father|dad|parents?|"
    r"brother|sister|sibling|aunt|uncle|niece|nephew|cousin|grand\w+|friend|neighbou?r|boss|co-?workers?|colleague|"
    r"employees?|participants?|members?|customers?|clients?|caller|someone|somebody|anyone|anybody|person|people|"
    r"he|she|him|her|hers|his|they|them|their|theirs|(?!(What|Where|Who|When|How|It|That|There|Here|Let)'s)[A-Z][a-z]+'s)\b|\b[A-Z]-?\d{3,}\b|\d{3}-\d{2}-\d{4}",
)
"""anyone but the person and their plan (case-sensitive only for a capitalised name's possessive)"""
_RELATIONS = re.compile(OTHER_PERSON.pattern.split(r"|(?!")[0] + r")\b", re.I)


def plan_contact(text: str) -> bool:
    """Does the message ask for a contact fact of the plan, naming no one else?"""
    return bool(CONTACT_FACT.search(text)) and not (_RELATIONS.search(text) or OTHER_PERSON.search(text))


def as_plan_contact(probabilities: dict[str, float]) -> dict[str, float]:
    """The third-party share read as a plan question (the rest unchanged)."""
    moved = dict(probabilities)
    moved["plan_question"] = moved.get("plan_question", 0.0) + moved.pop("third_party", 0.0)
    moved["third_party"] = 0.0
    return moved
