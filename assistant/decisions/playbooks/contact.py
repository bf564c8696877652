"""Contact facts: "What's the phone number?", "Where do I mail the form?", "What are the hours?", "Who is the plan
administrator?".

The phone numbers, mailing addresses, websites, email addresses and hours a plan's documents print
are facts like any other: the reply quotes the sentence that states the one asked for, cited to its
page or section. The plan's own documents come first; without one that prints it, the plan's
contact details on file answer. Nothing found and no plan on file: say so and where to look.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.decisions.drafts import ComposeContext, Draft, Kit, join, unique
from assistant.decisions.sentences import sentences

_PHONE = r"(?:\b1[-. ])?\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b"
FACTS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(_PHONE),
    "fax": re.compile(rf"\bfax\b.{{0,40}}{_PHONE}|{_PHONE}.{{0,20}}\(?\bfax\b", re.I),
    "address": re.compile(
        r"\b\d{2,6} [A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)* (?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|"
        r"Drive|Way|Parkway|Place|Court|Plaza)|\bP\.? ?O\.? Box \d+"
    ),
    "website": re.compile(
        r"\bhttps?://\S+|\bwww\.[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|gov|net|example)\b"
    ),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "hours": re.compile(
        r"\b\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|am\b|pm\b)|\b(?:Monday|weekdays|business days)\b", re.I
    ),
    "administrator": re.compile(r"\b(plan administrator|administrator|trustee|record ?keeper)s?\b", re.I),
}
ASKED: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"\b(phone|telephone|toll[- ]free|call|(?<!fax )numbers?)\b", re.I),
    "fax": re.compile(r"\bfax\b", re.I),
    "address": re.compile(r"\b(address|mail|send|write to|where (is|are) (you|the office))\b", re.I),
    "website": re.compile(r"\b(web ?site|url|portal|online|site)\b", re.I),
    "email": re.compile(r"\be-?mail\b", re.I),
    "hours": re.compile(r"\b(hours|open|closed|available|when can i (call|reach))\b", re.I),
    "administrator": re.compile(
        r"\b(administrator|administers|trustee|record ?keeper|runs (the|my|our|this) plan)\b", re.I
    ),
}
NAMED_ONLY = ("administrator",)
"""kinds given only when asked for by name: "how do I reach you?" is the phone, address, website and hours"""
ROLES: dict[str, re.Pattern[str]] = {
    "the plan's recordkeeper": re.compile(r"\brecord ?keepers?\b", re.I),
    "the plan's trustee": re.compile(r"\btrustees?\b", re.I),
    "who administers the plan": re.compile(r"\b(administrators?|administers|runs (the|my|our|this) plan)\b", re.I),
}
"""who runs the plan, by the role asked: "who is the recordkeeper?" is not answered by the administrator's line
(the plan's documents name none)"""


def _roles(text: str) -> list[re.Pattern[str]]:
    return [rx for rx in ROLES.values() if rx.search(text)] or list(ROLES.values())


def states(kind: str, sentence: str, text: str) -> bool:
    """Does the sentence state the contact fact of this kind that the question asks for (for who runs the plan,
    the role asked)?"""
    return bool(FACTS[kind].search(sentence)) and (
        kind != "administrator" or any(rx.search(sentence) for rx in _roles(text))
    )


def _what(kind: str, text: str) -> str:
    """The contact fact asked for, in words (for who runs the plan, the role asked)."""
    roles = " or ".join(r for r, rx in ROLES.items() if rx.search(text)) if kind == "administrator" else ""
    return roles or WHAT[kind]


OWN_DETAILS = re.compile(
    r"\b(change|update|correct|fix|new)\w*\b.{0,20}\bmy (mailing |home |email |e-mail )?(address|name|phone( number)?|"
    r"email|e-mail|bank( account)?)\b|\b(i|we) (just |recently )?(moved|have moved|am moving|are moving)\b",
    re.I,
)
"""the person's own details to change ("how do I change my address with the plan?" said the plan's documents print no
mailing address; "I just moved to Ohio, who do I tell?" too): how to reach the service center that changes them"""


OWN_ACCOUNT = re.compile(
    r"\bmy (plan )?(statements?|account|balance|contributions?|deferrals?|loans?|paychecks?|pay ?stubs?|match|"
    r"beneficiar\w*|withdrawals?|distributions?|rollover|401\s?\(?k\)?|403\s?\(?b\)?|457\s?\(?b\)?)\b",
    re.I,
)
"""the person's own account or its papers"""
OUTSIDE_BODY = re.compile(
    r"\b(irs|taxpayer advocate|pbgc|pension benefit guaranty|(department of|us|u\.s\.) labor|labor department|dol|ebsa|"
    r"social security|ssa)\b",
    re.I,
)
"""a body outside the plan the question names (even about the person's own account): its own line is the answer"""


def asked(text: str) -> list[str]:
    """The kinds of contact fact the question asks for (all of them when it names none)."""
    if OWN_DETAILS.search(text):
        return ["phone", "website"]
    kinds = [k for k, rx in ASKED.items() if rx.search(text)]
    if "email" in kinds and "address" in kinds and not re.search(r"\b(mailing|street|postal) address\b", text, re.I):
        kinds.remove("address")  # "email address"
    if len(kinds) > 1 and "administrator" in kinds:
        kinds.remove("administrator")  # "the address of the plan administrator": whose address, not who it is
    return kinds or [k for k in FACTS if k not in NAMED_ONLY]


_ASKING = set(
    "what what's whats which where when who how is are the a an of for to do does can i my our your their "
    "phone telephone number numbers call line toll free fax address mailing street postal mail send website web "
    "site url portal online email e-mail hours open contact reach plan plan's there any people folks about account accounts "
    "me you with from please provide give get need help tell find know have could would should will".split()
)


def _about(text: str) -> set[str]:
    """Who or what the contact fact is for ("the Taxpayer Advocate Service"): the question's other words."""
    return {w[:6] for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _ASKING and len(w) > 2}


def _plan_first(ctx: ComposeContext) -> list[dict[str, Any]]:
    """The plan's own documents first (those naming who or what the question is about ahead), then
    general passages that name it."""
    plan_id = ctx.plan.plan_id if ctx.plan is not None else None
    about = _about(ctx.text)

    def named(p: dict[str, Any]) -> int:
        words = {w[:6] for w in re.findall(r"[a-z][a-z'-]+", p["text"].lower())}
        return -len(about & words)

    own = [p for p in ctx.passages if p["metadata"].get("plan_id") not in (None, "general")]
    own.sort(key=lambda p: (p["metadata"].get("plan_id") != plan_id, named(p), not p.get("anchor")))
    if OWN_DETAILS.search(ctx.text):
        return own  # the person's own details are the plan's to change ("I just moved to Ohio, who do I tell?" got IRS lines)
    if OWN_ACCOUNT.search(ctx.text) and not OUTSIDE_BODY.search(ctx.text):
        # the person's own account is the plan's to answer for ("who do I contact about a mistake on my statement?"
        # also got two Pub. 590-A lines, whose page names "mistakes")
        return own
    # general education answers only for whom it names ("the IRS"), never as "the" phone number
    rest = sorted((p for p in ctx.passages if p not in own and named(p) < 0), key=named)
    if OUTSIDE_BODY.search(ctx.text):
        # a body outside the plan is reached on its own line first ("how do I contact the IRS about my IRA?" led with
        # the plan's service center)
        return rest + own
    return own + rest


def contact_lines(ctx: ComposeContext, limit: int = 3) -> tuple[list[str], list[str]]:
    """The sentences of the retrieved passages that state an asked-for contact fact, each with where
    it is printed; and their citation ids."""
    kinds = asked(ctx.text)
    lines: list[str] = []
    cites: list[str] = []
    seen: set[str] = set()
    body = bool(OUTSIDE_BODY.search(ctx.text))
    for p in _plan_first(ctx):
        # who runs the plan is the plan's own fact: a general page's "trustee" is another plan's or an IRA's
        own = p["metadata"].get("plan_id") not in (None, "general")
        if body and lines:
            break  # one page's lines for an outside body: the IRS's phone, not also where to send comments on a form
        for s in sentences(p["text"]):
            if s in seen or not any(states(k, s, ctx.text) and (own or k not in NAMED_ONLY) for k in kinds):
                continue
            seen.add(s)
            md = p["metadata"]
            where = f"page {md['page']}" if md.get("page") else f"section {md['section']}"
            lines.append(f"{md['title']}, {where}: {s}")
            cites.append(p["citation_id"])
            if len(lines) == limit:
                return lines, cites
    return lines, cites


WHAT = {
    "phone": "a phone number",
    "fax": "a fax number",
    "address": "a mailing address",
    "website": "a website",
    "email": "an email address",
    "hours": "opening hours",
    "administrator": "who administers the plan",
}


def contact(kit: Kit, ctx: ComposeContext) -> Draft:
    lines, cites = contact_lines(ctx)
    if lines:
        if ctx.plan is not None and ctx.plan.contact.phone not in " ".join(lines) and not OUTSIDE_BODY.search(ctx.text):
            lines.append(kit.blocks.contact(ctx.plan))
        return Draft("answer", join(lines), unique(cites))
    if ctx.plan is not None:
        kinds = asked(ctx.text)
        what = (
            " or ".join(_what(k, ctx.text) for k in kinds)
            if len(kinds) < len(FACTS) - len(NAMED_ONLY)
            else "contact details"
        )
        missing = kit.blocks.get("contact_not_printed").format(what=what)
        return Draft("answer", f"{missing} {kit.blocks.contact(ctx.plan)}")
    # no plan known: the contact facts are the plan's, so ask which plan (never "the" IRS line)
    return Draft("clarify", kit.blocks.get("ask_plan"), reason="missing_data")
