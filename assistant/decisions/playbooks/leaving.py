"""Changing jobs: stay, roll to the new plan, roll to an IRA, or cash out."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.decisions.calculators import money, pct
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, join, next_step, section_label, unique

_PLAN = r"(plan|401\s?\(?k\)?|403\s?\(?b\)?)"
ROLL_IN = re.compile(
    rf"\binto (this|the|my current|our|your)( (?-i:[A-Z])\w+)? {_PLAN}|\bto (this|my current|our) {_PLAN}|"
    r"\binto (this|the|our) (?-i:[A-Z])\w+ one\b|\binto this one\b|"
    r"\b(roll|bring|move|transfer|combine|consolidate|fold|merge)\b.{0,40}\b(in|into this|with this)\b.{0,15}$|\broll[- ]?ins?\b",
    re.I,
)
"""money coming INTO the plan from an old plan or IRA: the plan's roll-in rule, not the leaving options"""
ROLL_IN_TITLE = re.compile(r"\broll\w*[- ]?(in|into)\b", re.I)


def roll_in(kit: Kit, ctx: ComposeContext) -> Draft:
    """The plan's own roll-in section when it was retrieved (as the routed topic's rule); with no plan,
    the extractive answer over the general documents."""
    if ctx.plan is None:
        return kit.extractive(ctx)
    plan_id = ctx.plan.plan_id
    own = [
        {**p, "anchor": True}
        for p in ctx.passages
        if ROLL_IN_TITLE.search(p["metadata"].get("section_title", "")) and p["metadata"].get("plan_id") == plan_id
    ]
    # a plan without a roll-in section among its retrieved passages: "I don't know" and the contact,
    # never the leaving options (money going OUT) as the answer to money coming in
    return kit.extractive(replace(ctx, passages=own))


OTHER_PLAN = re.compile(
    r"\b(old|previous|former|prior|last|other)\s+(employer'?s?\s+|job'?s?\s+|company'?s?\s+)?"
    r"(401\s?\(?k\)?|403\s?\(?b\)?|457\s?\(?b\)?|plan|ira|account|pension)"
    r"|\b(out of|from) (my|an|the|a) ((roth|traditional|rollover|inherited|sep|simple) )?ira\b",
    re.I,
)
"""money in another plan or IRA, not this plan: the leaving options and figures are not about it
("how long do I have to redeposit money I took out of my IRA" got this plan's leaving figures)"""


def leaving(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if ROLL_IN.search(ctx.text):
        return roll_in(kit, ctx)
    if OTHER_PLAN.search(ctx.text):
        # "Can I roll my old 403b into my IRA?": the general rollover rules, not this plan's leaving figures
        return kit.extractive(ctx)
    if plan is None or "vested_balance" not in f or "cash_out_withholding" not in f:
        return kit.extractive(ctx)
    edu = "general/rollovers"
    rule = f["stay_in_plan_allowed"]["rule"]
    vest_rule = f["vested_pct"]["rule"]
    tax_rule = f["cash_out_withholding"]["rule"]
    inputs = f["vested_balance"]["inputs"]
    ahead = int(inputs["years_ahead"])
    left = bool(inputs.get("already_left"))
    when = "If you leave this year" if not ahead else f"If you leave in {int(fig(ctx, 'leave_year'))}"
    figs = [
        "vested_balance",
        "vested_pct",
        "cash_out_withholding",
        "withholding_rate",
        "cash_out_additional_tax",
        "stay_in_plan_min_balance",
    ]
    if ahead:
        figs.append("leave_year")
    first = (
        f"You have left the employer; your vested balance is about {money(fig(ctx, 'vested_balance'))}: all of "
        f"your own contributions plus {pct(fig(ctx, 'vested_pct'))} of the employer money "
        f"(section {section_label(vest_rule)})."
        if left
        else f"{when}, your vested balance would be about {money(fig(ctx, 'vested_balance'))} on today's balances: "
        f"all of your own contributions plus {pct(fig(ctx, 'vested_pct'))} of the employer money "
        f"(section {section_label(vest_rule)})."
    )
    if fig(ctx, "forfeited_if_leaving") > 0:
        first += (
            f" The {money(fig(ctx, 'forfeited_if_leaving'))} of employer money that is not vested would be forfeited."
        )
        figs.append("forfeited_if_leaving")
    if ahead:
        first += f" That counts {int(inputs['years_of_vesting_service'])} years of vesting service."
    lines = [first, f"Your choices, side by side (section {section_label(rule)}):"]
    if fig(ctx, "stay_in_plan_allowed"):
        lines.append(
            "- Leave it in the plan: it keeps growing tax-deferred with the plan's investment menu and the strong "
            f"federal creditor protection of an employer plan; the plan's recordkeeping fee is "
            f"{money(fig(ctx, 'plan_fee_per_year'))} a year plus each fund's expenses."
        )
        figs.append("plan_fee_per_year")
    else:
        lines.append(
            f"- Leave it in the plan: not available, because balances of {money(fig(ctx, 'stay_in_plan_min_balance'))} "
            "or less are paid out or rolled to an IRA automatically if you make no choice."
        )
    lines += [
        f"- Roll it to {'a' if left else 'your'} new employer's plan, if that plan accepts rollovers: a direct rollover is not taxed and "
        "has no withholding; everything is in one place with employer-plan protections, and the new plan's "
        "investments and fees apply.",
        "- Roll it to an IRA: a direct rollover is not taxed and has no withholding; usually a wider choice of "
        "investments, with fees that depend on the provider; creditor protection differs from an employer plan "
        "and IRAs have no loans.",
    ]
    extra = f["cash_out_additional_tax"]
    reason = extra["inputs"]["reason"]
    if reason == "before_59_and_a_half":
        penalty = (
            f"and because you would leave before the year you turn 55, the 10% additional tax, about "
            f"{money(extra['value'])}, may apply too"
        )
    elif reason == "separated_in_or_after_year_of_55":
        penalty = (
            "and because you would leave in or after the year you turn 55, the 10% additional tax does not apply to "
            "payments from this plan (that exception is lost on money rolled to an IRA)"
        )
    else:
        penalty = f"and because you {'are' if left else 'would be'} past 59½, the 10% additional tax does not apply"
    lines.append(
        f"- Take it in cash: the plan withholds {pct(fig(ctx, 'withholding_rate'))}, about "
        f"{money(fig(ctx, 'cash_out_withholding'))}, for federal income tax; the payment is taxable income, "
        f"{penalty}; and the money stops growing tax-deferred (section {section_label(tax_rule)})."
    )
    cites = [vest_rule, rule, tax_rule, f"{plan.spd_doc_id}#{plan.fees.section}"]
    if "loan_balance_owed" in f:
        loan_rule = f["loan_balance_owed"]["rule"]
        lines.append(
            f"You owe {money(fig(ctx, 'loan_balance_owed'))} on a plan loan: after you leave you can keep repaying it; "
            f"if you stop, the unpaid balance becomes a taxable distribution (section {section_label(loan_rule)})."
        )
        figs.append("loan_balance_owed")
        cites.append(loan_rule)
    lines += [
        "None of these choices is right for everyone: fees, investment choices, protections and taxes differ.",
        next_step(
            ctx,
            "You can start a rollover or payment"
            if left
            else "After your last day, you can start a rollover or payment",
        ),
        kit.blocks.get("education_note"),
    ]
    return Draft(
        "answer",
        join(lines),
        unique([*cites, f"{edu}#1", f"{edu}#2", f"{edu}#3", f"{edu}#4", f"{edu}#5"]),
        figs,
    )
