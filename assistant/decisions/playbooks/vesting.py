"""Vesting: how much of the employer money is the person's now, or in N years."""

from __future__ import annotations

from assistant.decisions.calculators import money, pct
from assistant.decisions.definitions import HOURS, PART_TIME
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, join, section_label
from assistant.decisions.extractive import sentences_about


def vesting(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "vested_pct" not in f:
        return kit.extractive(ctx)
    if PART_TIME.search(ctx.text):
        # going part time: the hours a year of vesting service needs (the plan's sentences on hours), not today's share
        return sentences_about(kit.blocks, ctx, HOURS) or kit.extractive(ctx)
    rule = f["vested_pct"]["rule"]
    years = int(fig(ctx, "years_of_vesting_service"))
    own = plan.vesting.own_contributions_section
    lines = [f"You are always 100% vested in your own contributions (section {own})."]
    ahead = int(f["vested_pct"]["inputs"].get("years_ahead", 0))
    if "years_to_full_vesting" in f:
        when = "if you left today" if not ahead else "if you left then (on today's balance)"
        lead = (
            f"For the employer match, you have {years} year{'s' if years != 1 else ''} of vesting service, so you are "
            if not ahead
            else f"{'Next year' if ahead == 1 else f'In {ahead} years'}, with {years} years of vesting service, you "
            "would be "
        )
        lines.append(
            f"{lead}{pct(fig(ctx, 'vested_pct'))} vested: {money(fig(ctx, 'vested_employer_balance'))} of your "
            f"{money(fig(ctx, 'employer_balance'))} in employer contributions would be yours {when}. "
            f"At {int(fig(ctx, 'next_vesting_years'))} years you reach {pct(fig(ctx, 'next_vested_pct'))}, and you are "
            f"fully vested after {int(f['years_to_full_vesting']['inputs']['full_vesting_years'])} years (section {section_label(rule)})."
        )
        figs = [
            "years_of_vesting_service",
            "vested_pct",
            "vested_employer_balance",
            "employer_balance",
            "next_vesting_years",
            "next_vested_pct",
            "years_to_full_vesting",
        ]
    else:
        lines.append(
            f"You are {pct(fig(ctx, 'vested_pct'))} vested in employer contributions "
            f"({money(fig(ctx, 'employer_balance'))} in your account) (section {section_label(rule)})."
        )
        figs = ["vested_pct", "employer_balance"]
    return Draft("answer", join(lines), [f"{plan.spd_doc_id}#{own}", rule], figs)
