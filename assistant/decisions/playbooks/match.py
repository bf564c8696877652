"""Employer match: what the person gets and misses, and what a new contribution rate would change."""

from __future__ import annotations

import datetime as dt
import re

from assistant.decisions.calculators import money, pct
from assistant.decisions.definitions import HOURS, PART_TIME, PAY_COMPONENT
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, join, next_step, section_label
from assistant.decisions.extractive import sentences_about, whole_section

KIND_MATCHED = re.compile(
    r"^\W*(does|do|is|are|will|would|can|could|am i)\b(?!.*\bhow much\b).*"
    r"\b(catch[- ]?ups?|roth|after[- ]?tax|pre[- ]?tax|bonus(es)?|overtime|commissions?|roll[- ]?(overs?|ins?))\b",
    re.I,
)
"""a yes/no question whether one kind of money or pay is matched ("do my catch-up dollars get a match
too?"): the plan's sentence answers it, not the person's match figures"""


CHOICE = re.compile(
    r"\b(how much|what (percent|percentage|%|rate|amount)) (should|do|must|ought) i\b|\bshould i\b|\bbetter to\b"
    r"|\b(pay (off|down)|debts?|credit cards?)\b",
    re.I,
)
"""the person weighs a contribution-rate decision ("should I raise my contribution?"): the reply opens
with the boundary (the choice is theirs) before what the plan's rules mean for it"""
LOSS = re.compile(
    r"\bwhat (do|would|will|did|could) i (lose|give up|miss( out on)?)\b|\b(lose|give up|miss out|cost me)\b", re.I
)
"""a new rate weighed by what it costs ("If I cut my 401k to 1%, what do I lose?"): a decision, not a what-if"""
STOPPING = re.compile(r"\b(stop|stopping|pause|pausing|cut|lower|reduce|pay (off|down)|debts?|credit cards?)\b", re.I)
"""contributing less or not at all: the match given up is part of what the rules mean"""


TRUE_UP = re.compile(r"\btrue[- ]?ups?\b", re.I)
"""the year-end true-up ("how much is the true-up and when does it come?" got the person's match figures): the
plan's sentences on it"""


def match(kit: Kit, ctx: ComposeContext) -> Draft:
    plan = ctx.plan
    if plan is not None and "new_deferral_pct" in ctx.figures:
        return contribution_what_if(kit, ctx)
    if plan is not None and "eligible_pay" in plan.sections and PAY_COMPONENT.search(ctx.text):
        # whether a bonus or overtime counts: the plan's section on eligible pay, whole (its anchor)
        return whole_section(kit.blocks, ctx, f"{plan.spd_doc_id}#{plan.sections['eligible_pay']}") or kit.extractive(
            ctx
        )
    if plan is not None and PART_TIME.search(ctx.text):
        # what going part time changes: the plan's sentences on hours (its anchors), not the person's match figures
        return sentences_about(kit.blocks, ctx, HOURS) or kit.extractive(ctx)
    if (
        plan is None
        or "annual_match_missed" not in ctx.figures
        or KIND_MATCHED.search(ctx.text)
        or TRUE_UP.search(ctx.text)
    ):
        return kit.extractive(ctx)
    f = ctx.figures
    rule = f["annual_match_missed"]["rule"]
    cites = [rule]
    current = fig(ctx, "deferral_pct")
    full_pct = fig(ctx, "full_match_deferral_pct")
    # a pause weighed by what it costs ("stopping my contributions for a few months, will I lose anything?")
    choice = bool(CHOICE.search(ctx.text) or (LOSS.search(ctx.text) and STOPPING.search(ctx.text)))
    lines = [kit.blocks.get("contribution_choice")] if choice else []
    lines.append(
        f"Under the {plan.plan_name}, the employer match can reach {pct(fig(ctx, 'max_match_pct_of_pay'))} of "
        f"your eligible pay when you contribute {pct(full_pct)} or more (section {section_label(rule)})."
    )
    if "match_eligibility_date" in f:
        day = dt.date.fromisoformat(str(fig(ctx, "match_eligibility_date")))
        lines.append(
            f"You become eligible for the match on {day:%B} {day.day}, {day.year} "
            f"(section {section_label(f['match_eligibility_date']['rule'])})."
        )
        cites.append(f["match_eligibility_date"]["rule"])
    missed = fig(ctx, "annual_match_missed")
    if missed <= 0:
        lines.append(
            f"At your current {pct(current)} contribution you already receive the full match: about "
            f"{money(fig(ctx, 'annual_match_full'))} a year on pay of {money(fig(ctx, 'annual_pay'))}."
        )
        figs = [
            "deferral_pct",
            "annual_match_full",
            "annual_match_missed",
            "annual_pay",
            "max_match_pct_of_pay",
            "full_match_deferral_pct",
        ]
    else:
        lines += [
            f"- At your current {pct(current)} contribution, the match is about "
            f"{money(fig(ctx, 'annual_match_current'))} a year on pay of {money(fig(ctx, 'annual_pay'))}.",
            f"- At {pct(full_pct)}, it would be about {money(fig(ctx, 'annual_match_full'))} a year: "
            f"{money(missed)} more a year, about {money(fig(ctx, 'per_paycheck_match_missed'))} per paycheck.",
            f"- Contributing {pct(full_pct)} instead of {pct(current)} would take about "
            f"{money(fig(ctx, 'extra_deferral_per_paycheck'))} more from each paycheck before taxes.",
        ]
        figs = [
            "deferral_pct",
            "annual_match_current",
            "annual_pay",
            "annual_match_full",
            "annual_match_missed",
            "per_paycheck_match_missed",
            "extra_deferral_per_paycheck",
            "max_match_pct_of_pay",
            "full_match_deferral_pct",
        ]
    if choice and STOPPING.search(ctx.text) and fig(ctx, "annual_match_current") > 0:
        lines.append(
            f"If you stopped contributing, you would also give up the match you get now, about "
            f"{money(fig(ctx, 'annual_match_current'))} a year."
        )
        if "annual_match_current" not in figs:
            figs.append("annual_match_current")
    if not plan.match.true_up:
        lines.append(
            f"The match is figured each pay period with no year-end true-up (section {plan.match.true_up_section})."
        )
        cites.append(f"{plan.spd_doc_id}#{plan.match.true_up_section}")
    lines.append(kit.blocks.get("taxes_approximate"))
    lines.append(
        f"Whether to change your rate is your choice; you can change it on {plan.contact.portal} "
        f"or by calling {plan.contact.phone}."
    )
    return Draft("answer", join(lines), cites, figs)


def contribution_what_if(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    assert plan is not None
    old, new = fig(ctx, "deferral_pct"), fig(ctx, "new_deferral_pct")
    per = fig(ctx, "contribution_change_per_paycheck")
    match_per = fig(ctx, "match_change_per_paycheck")
    more = per >= 0
    rule = f["match_change_per_paycheck"]["rule"]
    # weighing a new rate ("what do I lose?") opens with the boundary, as the decision's answer does
    choice = bool(CHOICE.search(ctx.text) or LOSS.search(ctx.text))
    lines = [kit.blocks.get("contribution_choice")] if choice else []
    lines += [
        f"If you changed your contribution from {pct(old)} to {pct(new)} of your pay, about "
        f"{money(abs(per))} {'more' if more else 'less'} would go into your account from each paycheck before taxes "
        f"({money(abs(fig(ctx, 'contribution_change_per_year')))} a year)."
    ]
    figs = ["deferral_pct", "new_deferral_pct", "contribution_change_per_paycheck", "contribution_change_per_year"]
    if match_per:
        lines.append(
            f"The employer match would {'rise' if match_per > 0 else 'fall'} by about {money(abs(match_per))} per "
            f"paycheck ({money(abs(fig(ctx, 'match_change_per_year')))} a year) (section {section_label(rule)})."
        )
    else:
        lines.append(f"The employer match would not change (section {section_label(rule)}).")
    figs += ["match_change_per_paycheck", "match_change_per_year"]
    if choice and "annual_match_current" in f:  # the match at that rate beside the match now
        lines.append(
            f"At {pct(new)}, the match would be about {money(fig(ctx, 'match_at_new_rate_per_year'))} a year, "
            f"against about {money(fig(ctx, 'annual_match_current'))} at your current {pct(old)}."
        )
        figs += ["match_at_new_rate_per_year", "annual_match_current"]
    if "full_match_deferral_pct" in f and new < fig(ctx, "full_match_deferral_pct"):
        lines.append(f"The full match takes a contribution of {pct(fig(ctx, 'full_match_deferral_pct'))} of pay.")
        figs.append("full_match_deferral_pct")
    lines += [
        kit.blocks.get("taxes_approximate"),
        next_step(ctx, "Whether to change is your choice; you can change your rate at any time"),
    ]
    return Draft("answer", join(lines), [rule, f"{plan.spd_doc_id}#{plan.contributions.section}"], figs)
