"""Contribution limits and catch-up contributions, for the person's age and wages when known."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.decisions.calculators import money
from assistant.decisions.definitions import HYPOTHETICAL_AGE
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, join, section_label, unique
from assistant.decisions.extractive import EMPLOYER_PLAN, INDIVIDUAL_ACCOUNT

PERSONAL_IRAS = ("general/traditional-ira", "general/roth-ira")
EMPLOYER_IRAS = {"sep": "general/sep-ira", "simple": "general/simple-ira"}
"""a SEP or SIMPLE IRA has limits of its own: its document answers only when the question names it"""


def ira_only(text: str) -> bool:
    """A question about an IRA's limit, not a workplace plan's ("the most I can put in my Roth IRA this
    year, I'm 52" got the 401(k) limit)."""
    return bool(INDIVIDUAL_ACCOUNT.search(text)) and not EMPLOYER_PLAN.search(text)


def from_ira_documents(kit: Kit, ctx: ComposeContext) -> Draft:
    """An IRA question answered from the IRA documents: their sections are the topic's rules
    (anchored), the plan's own sections for the topic are not."""
    named = tuple(doc for kind, doc in EMPLOYER_IRAS.items() if re.search(rf"\b{kind}\b", ctx.text, re.I))
    return from_documents(kit, ctx, named or PERSONAL_IRAS)


def from_documents(kit: Kit, ctx: ComposeContext, docs: tuple[str, ...]) -> Draft:
    """The answer from these general documents: their sections are the topic's rules (anchored), no
    other passage's (the plan's own sections for the topic included)."""
    passages = [{**p, "anchor": p.get("metadata", {}).get("doc_id", "") in docs} for p in ctx.passages]
    return kit.extractive(replace(ctx, passages=passages))


RATE_RANGE = re.compile(
    r"\b(min|minimum|lowest|least|smallest)\b|\b(percent|percentage|%)|\bof (my )?(pay|salary|paycheck|wages)\b", re.I
)
"""a question about the share of pay one may contribute ("is there a minimum I have to put in?" got the out-of-scope
redirect, "what's the max percent of my pay I can contribute?" only the IRS dollar limit): the plan's rate range"""
MINIMUM = re.compile(r"\b(min|minimum|lowest|least|smallest)\b", re.I)


def contribution_limit(kit: Kit, ctx: ComposeContext) -> Draft:
    f = ctx.figures
    if ira_only(ctx.text):
        return from_ira_documents(kit, ctx)
    if "elective_deferral_limit" not in f:
        return kit.extractive(ctx)
    limit_rule = f["elective_deferral_limit"]["rule"]
    year = f["elective_deferral_limit"]["inputs"]["year"]
    if "contribution_min_pct" in f and RATE_RANGE.search(ctx.text):
        rule = f["contribution_min_pct"]["rule"]
        lines = [
            f"Your plan lets you contribute from {fig(ctx, 'contribution_min_pct'):g}% to "
            f"{fig(ctx, 'contribution_max_pct'):g}% of your eligible pay each pay period (section {section_label(rule)})."
        ]
        figs = ["contribution_min_pct", "contribution_max_pct"]
        if MINIMUM.search(ctx.text):
            return Draft("answer", join(lines), [rule], figs)
        lines.append(
            f"Whatever the rate, the law caps what you contribute from your own pay in {year} "
            f"at {money(fig(ctx, 'elective_deferral_limit'))} across all your plans (IRS Notice 2025-67)."
        )
        return Draft("answer", join(lines), [rule, limit_rule], [*figs, "elective_deferral_limit"])
    cites = [limit_rule]
    plan_label = f"your {ctx.plan.type_label} plan" if ctx.plan else "a 401(k), 403(b) or governmental 457(b) plan"
    lines = [
        f"For {year}, the most you can contribute from your own pay to {plan_label} is "
        f"{money(fig(ctx, 'elective_deferral_limit'))} (IRS Notice 2025-67). This limit counts pre-tax and Roth "
        "contributions together across all your plans; employer contributions don't count toward it."
    ]
    figs = ["elective_deferral_limit"]
    on_file = int(fig(ctx, "age_at_year_end")) if "age_at_year_end" in f else None
    contradicted = age_contradicted(ctx.text, on_file)
    if "your_catch_up_limit" in f and not contradicted and not other_age(ctx.text, on_file):
        lines.append(personal_catch_up(ctx))
        figs += ["your_catch_up_limit", "your_total_deferral_limit", "catch_up_must_be_roth"]
        cites.append(f["your_catch_up_limit"]["rule"])
    else:
        if contradicted:  # "I'm 61, how much can I put in?" on a record of 38: never "you turn 38"
            lines.append(record_mismatch(ctx, "catch-up limit"))
        lines.append(
            f"If you are 50 or older by December 31, {year}, catch-up contributions can add up to "
            f"{money(fig(ctx, 'catch_up_limit_50_plus'))}, or {money(fig(ctx, 'catch_up_limit_60_to_63'))} "
            "if you are 60 to 63, when your plan allows them."
        )
        figs += ["catch_up_limit_50_plus", "catch_up_limit_60_to_63"]
        cites += [f["catch_up_limit_50_plus"]["rule"], f["catch_up_limit_60_to_63"]["rule"]]
    if ctx.plan:
        cites.append(f"{ctx.plan.spd_doc_id}#2.2")
    return Draft("answer", join(lines), unique(cites), figs)


def no_roth_no_catch_up(ctx: ComposeContext, year: int) -> str:
    """Why a high earner's plan without a Roth option takes no catch-up from them (their wages, the law's Roth rule)."""
    wages = ctx.figures["your_catch_up_limit"]["inputs"]["roth_wage_threshold"]
    return (
        f"your {year - 1} FICA wages from your employer were above {money(wages)}, the law requires catch-up "
        "contributions to be Roth, and your plan has no Roth option, so you cannot make catch-up contributions in this "
        "plan"
    )


def catch_up_at(age: int) -> str:
    """Which catch-up applies at an age asked about, in words (the amounts follow in the rules for every age)."""
    if age < 50:
        return "At that age, catch-up contributions don't apply yet: they start in the year you turn 50."
    if 60 <= age <= 63:
        return "At that age at the end of a year, the higher catch-up for ages 60 to 63 applies."
    if age >= 64:
        return (
            "At that age at the end of a year, the catch-up for people 50 or older applies: the higher amount is only "
            "for ages 60 to 63."
        )
    return "At that age at the end of a year, the catch-up for people 50 or older applies."


def personal_catch_up(ctx: ComposeContext) -> str:
    f = ctx.figures
    amount = fig(ctx, "your_catch_up_limit")
    reason = f["your_catch_up_limit"]["inputs"]["reason"]
    age = int(fig(ctx, "age_at_year_end"))
    year = f["your_catch_up_limit"]["inputs"]["year"]
    total = money(fig(ctx, "your_total_deferral_limit"))
    if reason == "under_50":
        return f"You turn {age} in {year}, so catch-up contributions (from age 50) don't apply to you yet."
    if reason == "roth_required_but_plan_has_no_roth":
        return f"Because {no_roth_no_catch_up(ctx, year)} in {year}. Your limit stays {total}."
    window = "because you are 60 to 63" if reason == "age_60_to_63" else "because you are 50 or older"
    text = (
        f"You turn {age} in {year}, so {window} at the end of the year you can add up to {money(amount)} "
        f"in catch-up contributions, for {total} in total."
    )
    if fig(ctx, "catch_up_must_be_roth"):
        text += (
            f" Because your {year - 1} FICA wages were above "
            f"{money(f['your_catch_up_limit']['inputs']['roth_wage_threshold'])}, those catch-up "
            "contributions must be Roth contributions."
        )
    return text


ROTH_RULE = re.compile(r"\b(roth|who (has|have|must|needs?)|required|mandatory)\b", re.I)
"""the Roth catch-up rule, which the person's own figures answer (their wages against $150,000)"""
OTHER_ASPECT = re.compile(
    r"\b(match\w*|15[- ]?(yr|year)s?|years? of service|"
    r"(does|do|is|are) (the |my |our )?(\w+ )?(plan|company|employer|they) (have|offer|allow)|"
    r"how do i (make|start|sign|elect)|sign up|elect\w*)\b",
    re.I,
)
AMOUNT_ASKED = re.compile(r"\b(how much|how many|limits?|max\w*|most|more|extra|additional|amounts?|caps?)\b", re.I)


def other_aspect(text: str, personal: bool) -> bool:
    """A catch-up question about something other than how much (is it matched, does the plan offer
    the 403(b) 15-year rule; without the person's figures, who must make it Roth): answered from the
    documents, not with the amounts."""
    other = OTHER_ASPECT.search(text) or (not personal and ROTH_RULE.search(text))
    return bool(other) and not AMOUNT_ASKED.search(text)


STATED_AGE = re.compile(
    r"\b(?:i'?m|i am|i'll be|i will be|i turn|i'm turning)\s+(\d{2})\b|\b(\d{2})\s*(?:years? old|y/?o)\b|"
    r"\b(?:we'?re|we are|are) both\s+(\d{2})\b",
    re.I,
)
"""an age the person gives as their own ("I'm 61, how much can I contribute?"; "my wife and I are both 55"); "at age
60" is a hypothetical, not a contradiction of the record"""


CONDITIONAL = re.compile(r"\b(if|when|once|until|unless|assuming|suppose|by the time)\s+$", re.I)
"""an age the person supposes ("can I contribute more than 24500 if I'm 62?"), not one they give as theirs"""


def stated_age(text: str) -> int | None:
    for m in STATED_AGE.finditer(text):
        if not CONDITIONAL.search(text[max(0, m.start() - 16) : m.start()]):
            return int(next(g for g in m.groups() if g))
    return None


def other_age(text: str, on_file: int | None) -> bool:
    """An age the person supposes ("if I'm 62", "at 55") more than a year off their record's: the rules for every
    age, not their own limit ("can I contribute more than 24500 if I'm 62?" at 45 got "you turn 45")."""
    supposed = HYPOTHETICAL_AGE.search(text)
    return supposed is not None and on_file is not None and abs(int(supposed.group(1)) - on_file) > 1


def age_contradicted(text: str, on_file: int | None) -> bool:
    """The person gives an age more than a year off the one in their record ("I'm 61" on a record of 38)."""
    said = stated_age(text)
    return said is not None and on_file is not None and abs(said - on_file) > 1


def record_mismatch(ctx: ComposeContext, what: str, detail: str = "") -> str:
    """Never a figure of a record the person has just contradicted: say so, and how to fix the record."""
    fix = f"call {ctx.plan.contact.phone}" if ctx.plan else "ask your plan"
    return (
        f"The age you gave does not match the date of birth in your plan record{detail}, so I can't work out "
        f"your own {what}. If your record is wrong, {fix} to correct it."
    )


def catch_up(kit: Kit, ctx: ComposeContext) -> Draft:
    f = ctx.figures
    if ira_only(ctx.text):
        return from_ira_documents(kit, ctx)
    if "catch_up_limit_50_plus" not in f or other_aspect(ctx.text, "your_catch_up_limit" in f):
        return kit.extractive(ctx)
    year = f["catch_up_limit_50_plus"]["inputs"]["year"]
    on_file = int(fig(ctx, "age_at_year_end")) if "age_at_year_end" in f else None
    contradicted = age_contradicted(ctx.text, on_file)
    if "your_catch_up_limit" in f and not contradicted and not other_age(ctx.text, on_file):
        cites = [f["your_catch_up_limit"]["rule"], f["catch_up_limit_50_plus"]["rule"]]
        figs = ["your_catch_up_limit", "your_total_deferral_limit", "age_at_year_end", "catch_up_must_be_roth"]
        lines = [personal_catch_up(ctx)]
        if ctx.plan:
            lines.append(
                f"Your plan's catch-up rules are in section {ctx.plan.catch_up.section} of the "
                f"{ctx.plan.plan_name} summary; to change your contributions use {ctx.plan.contact.portal}."
            )
        return Draft("answer", join(lines), unique(cites), figs)
    lines = []
    if contradicted:
        # never the figure the person has just contradicted: the rules for every age, and how to fix the record
        detail = f" (it makes you {on_file} at the end of {year})"
        lines.append(f"{record_mismatch(ctx, 'catch-up limit', detail)} The rules for every age:")
    supposed = HYPOTHETICAL_AGE.search(ctx.text)
    if supposed is not None and not contradicted:
        # the age asked about, placed in the rules ("how much extra can I put in when I turn 64" got the plan's sentence
        # for 50 and for 60 to 63, and never which applies at 64)
        lines.append(catch_up_at(int(supposed.group(1))))
    lines += [
        f"In {year}, people who are 50 or older by December 31 can make catch-up contributions of up to "
        f"{money(fig(ctx, 'catch_up_limit_50_plus'))} on top of the regular limit; people who are 60, 61, 62 or 63 "
        f"at the end of the year can contribute up to {money(fig(ctx, 'catch_up_limit_60_to_63'))} instead, "
        "if their plan allows it."
    ]
    figs = ["catch_up_limit_50_plus", "catch_up_limit_60_to_63"]
    if (
        not contradicted
        and "your_catch_up_limit" in f
        and f["your_catch_up_limit"]["inputs"]["reason"] == "roth_required_but_plan_has_no_roth"
    ):
        # whatever the age asked about, the person's own plan takes no catch-up from them (their wages): said
        lines.append(
            f"For you, though: because {no_roth_no_catch_up(ctx, year)} as long as your wages stay above that amount "
            "and the plan has no Roth option."
        )
        figs.append("your_catch_up_limit")
    cites = [f["catch_up_limit_50_plus"]["rule"], f["catch_up_limit_60_to_63"]["rule"]]
    return Draft("answer", join(lines), cites, figs)
