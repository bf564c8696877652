"""Beneficiaries after a life event: marriage, divorce, birth or adoption, a death."""

from __future__ import annotations

import re

from assistant.decisions.calculators import money
from assistant.decisions.definitions import OWN_IRA_BENEFICIARY
from assistant.decisions.drafts import ComposeContext, Draft, Kit, day, fig, join, next_step, section_label, unique
from assistant.decisions.life_events import DIVORCE_WORDS, spouse_died
from assistant.records.provisions import PlanProvisions

EVENT_WORDS = [
    ("divorce", DIVORCE_WORDS),
    ("death_in_family", re.compile(r"\b(passed away|died|death|widow)", re.I)),
    ("birth", re.compile(r"\b(baby|born|newborn|birth|had a (son|daughter|child))\b", re.I)),
    ("adoption", re.compile(r"\badopt", re.I)),
    ("marriage", re.compile(r"\b(married|marriage|wedding|spouse|husband|wife)\b", re.I)),
]


JUST_MARRIED = re.compile(r"\b(married|marriage|wedding|newlyweds?|marry|marrying)\b", re.I)
GRANDCHILDREN = re.compile(r"\bgrand(kids?|children|child|sons?|daughters?)\b", re.I)
CHILDREN = re.compile(
    r"\b(kids?|children|child|sons?|daughters?|grand(kids?|children|sons?|daughters?)|minors?)\b", re.I
)


EMPLOYER_MONEY = re.compile(
    r"\bmatch(ed|ing)?\b|\b(employer|company|hospital|school|boss|their)('?s)? (money|contributions?|part|share)\b",
    re.I,
)
"""whether the employer's money goes to one's heirs too ("if I die before I retire does my family get the employer
money too?" got the leaving choices, then only who receives the account)"""


def employer_money_at_death(plan: PlanProvisions) -> str | None:
    first = plan.vesting.schedule[0]
    where = f"(section {plan.vesting.section})"
    if first.years == 0 and first.pct >= 100:
        return (
            "All of the employer money in your account is always vested, so it goes to your beneficiaries with the "
            f"rest of your account {where}."
        )
    if plan.vesting.full_on_death:
        return (
            f"If you die while you work for {plan.sponsor}, all of the employer money in your account becomes vested, "
            f"so it goes to your beneficiaries with the rest of your account {where}."
        )
    return None


def _event_in(text: str) -> str | None:
    return next((event for event, rx in EVENT_WORDS if rx.search(text)), None)


def beneficiaries(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "spouse_is_default_beneficiary" not in f or OWN_IRA_BENEFICIARY.search(ctx.text):
        return kit.extractive(ctx)  # one's own IRA: the plan's beneficiary rules are not its rules
    rule = f["spouse_is_default_beneficiary"]["rule"]
    edu = "general/life-events"
    event = f["life_event_date"]["inputs"]["event"] if "life_event_date" in f else None
    said = _event_in(ctx.text)
    on_file = event is not None and (said is None or said == event)
    event = event if on_file else said
    widowed = spouse_died(ctx.text)  # what the person just said beats the marital status on file
    if widowed:
        event = "death_in_family"
    figs = [] if widowed else ["spouse_is_default_beneficiary"]
    cites = [rule]
    lines: list[str] = []
    if on_file and event:
        label = {"death_in_family": "the death in your family", "adoption": "the adoption"}.get(event, f"your {event}")
        if event in ("birth", "adoption"):
            # a child's birth date is a date of birth: the event is named without it
            lines.append("Our records show a new child in your family.")
        else:
            lines.append(f"Our records show {label} on {day(fig(ctx, 'life_event_date'))}.")
            figs.append("life_event_date")
    spouse_rule = (
        "If you are married, your spouse is automatically your beneficiary for 100% of your account unless your "
        "spouse consents in writing, witnessed by a notary or plan representative, to a different beneficiary "
        f"(section {section_label(rule)})."
    )
    children = event is None and bool(CHILDREN.search(ctx.part or ctx.text))
    if event == "marriage" or (event is None and not children and fig(ctx, "spouse_is_default_beneficiary")):
        # "now that" only for a marriage on file or told of, not for a spouse merely named ("how do I make sure my
        # husband gets my 403b" from someone married for years got "Now that you are married")
        new_marriage = on_file or bool(JUST_MARRIED.search(ctx.text))
        lines.append(
            spouse_rule.replace("If you are married,", "Now that you are married,")
            if event and new_marriage
            else spouse_rule
        )
        lines.append(
            "If you named someone else before, such as a parent or sibling, your spouse now has the legal right to "
            "your account unless they consent to that choice."
        )
        cites.append(f"{edu}#1")
    elif event == "divorce":
        lines.append(
            "A divorce does not change the beneficiary your plan has on file: the plan pays the person named in its "
            "records, so update your designation if you want a change. Part of your account can go to a former "
            "spouse only under a qualified domestic relations order (QDRO) the plan approves."
        )
        cites.append(f"{edu}#2")
    elif event in ("birth", "adoption"):
        lines.append(
            "You may want to name your child as a beneficiary, usually through a trust or a custodian because a "
            "minor cannot manage an inheritance directly."
        )
        if "birth_distribution_deadline" in f:
            lines.append(
                f"The law also allows a qualified birth or adoption distribution of up to "
                f"{money(fig(ctx, 'birth_distribution_max'))} per child until "
                f"{day(fig(ctx, 'birth_distribution_deadline'))}, if your plan offers it: it is taxable but not "
                "subject to the 10% additional tax, and it can be repaid within 3 years."
            )
            figs += ["birth_distribution_max", "birth_distribution_deadline"]
        cites.append(f"{edu}#3")
    elif event == "death_in_family" and widowed:
        lines.append(
            "When your spouse dies, the spouse's automatic right to your account ends with them: if your spouse was "
            "your beneficiary, name a new one now; until you do, the plan's default rules decide who receives your "
            f"account (section {section_label(rule)})."
        )
        cites.append(f"{edu}#4")
    elif event == "death_in_family":
        lines.append(
            "If a beneficiary you named has died, name a new one; otherwise the plan's default rules decide who "
            "receives your account."
        )
        cites.append(f"{edu}#4")
    elif children:
        # naming one's children ("how do I name my kids as beneficiaries?" got the marriage rule's "If you named
        # someone else before, such as a parent or sibling"): how a child is named, and a spouse's consent
        # ... grandchildren as grandchildren ("can I name my grandkids as beneficiaries?" was told "your children")
        who = "grandchildren" if GRANDCHILDREN.search(ctx.part or ctx.text) else "children"
        lines.append(
            f"You can name your {who} as beneficiaries. A child who is still a minor is usually "
            "named through a trust or a custodian, because a minor cannot manage an inheritance directly."
        )
        cites.append(f"{edu}#3")
        if fig(ctx, "spouse_is_default_beneficiary"):
            lines.append(spouse_rule)
    else:
        lines.append(
            "Your beneficiary designation decides who receives your account when you die. Review it after "
            f"marriage, divorce, a birth or adoption, or a death in the family (section {section_label(rule)})."
        )
    if (
        not widowed
        and event in ("divorce", "birth", "adoption", "death_in_family")
        and fig(ctx, "spouse_is_default_beneficiary")
    ):
        lines.append(spouse_rule)
    heirs_get = employer_money_at_death(plan) if EMPLOYER_MONEY.search(ctx.part or ctx.text) else None
    if heirs_get:
        lines.append(heirs_get)
        cites.append(f"{plan.spd_doc_id}#{plan.vesting.section}")
    lines += [next_step(ctx, "You can review or change your beneficiaries"), kit.blocks.get("education_note")]
    return Draft("answer", join(lines), unique(cites), figs)
