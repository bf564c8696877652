"""Decision playbooks of the grounded composer: the person's figures, the options side by side with
their trade-offs, the plan rules cited, the disclosures, and the next step. Education, never a
recommendation: every option is described with what it costs and what it keeps.

Each playbook takes the composer (for its text blocks and extractive fallback) and the context.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from assistant.decisions.calculators import money, pct
from assistant.decisions.drafts import ComposeContext, Draft, fig, join, section_label, unique

if TYPE_CHECKING:
    from assistant.decisions.composer import GroundedComposer

REASON_LABELS = {
    "medical": "medical care expenses",
    "principal_residence_purchase": "buying your main home",
    "tuition": "tuition and education expenses",
    "eviction_foreclosure": "payments to prevent eviction from, or foreclosure on, your home",
    "funeral": "funeral or burial expenses",
    "casualty_repair": "repairing damage to your home from a casualty",
    "federal_disaster": "expenses and losses from a federally declared disaster",
}


def _day(value: Any) -> str:
    d = dt.date.fromisoformat(str(value))
    return f"{d:%B} {d.day}, {d.year}"


def next_step(ctx: ComposeContext, what: str) -> str:
    """Where to act: the plan's portal and phone (with hours)."""
    plan = ctx.plan
    assert plan is not None
    return f"{what} on {plan.contact.portal} or by calling {plan.contact.phone} ({plan.contact.hours})."


# Roth vs pre-tax -------------------------------------------------------------------------------
def roth(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "roth_available" not in f:
        return c._extractive(ctx)
    rule = f["roth_available"]["rule"]
    edu = "general/roth-vs-traditional"
    if not fig(ctx, "roth_available"):
        lines = [
            f"The {plan.plan_name} does not offer Roth contributions, even though the law allows them: all your "
            f"contributions are pre-tax (section {section_label(rule)}). Pre-tax contributions lower your taxable "
            "pay now and are taxed as income when you withdraw them.",
            next_step(ctx, "You can ask about the plan's contribution options"),
            c.blocks.get("education_note"),
        ]
        return Draft("answer", join(lines), [rule, f"{edu}#1"], ["roth_available"])
    limit = fig(ctx, "elective_deferral_limit")
    year = f["elective_deferral_limit"]["inputs"]["year"]
    lines = [f"Your plan lets you contribute pre-tax, Roth or a mix of both (section {section_label(rule)})."]
    figs = ["roth_available", "elective_deferral_limit"]
    if "contribution_per_paycheck" in f:
        lines.append(
            f"Today you contribute {pct(fig(ctx, 'deferral_pct'))} of your pay: {pct(fig(ctx, 'pretax_pct'))} pre-tax "
            f"and {pct(fig(ctx, 'roth_pct'))} Roth, about {money(fig(ctx, 'pretax_per_paycheck'))} pre-tax and "
            f"{money(fig(ctx, 'roth_per_paycheck'))} Roth from each paycheck before taxes."
        )
        figs += ["deferral_pct", "pretax_pct", "roth_pct", "pretax_per_paycheck", "roth_per_paycheck"]
    lines += [
        "Side by side:",
        "- Pre-tax: lowers your taxable pay now, so more take-home pay for the same contribution; the "
        "contributions and their earnings are taxed as income when you withdraw them.",
        "- Roth: no tax saving now, so less take-home pay for the same contribution; a qualified withdrawal "
        "(five years after your first Roth contribution and after age 59½, disability or death) is tax-free, "
        "including the earnings.",
        f"- Both: one limit of {money(limit)} for {year} counts pre-tax and Roth together, and the employer "
        "match is figured on both the same way.",
        "Which costs less in tax depends on your tax rate now compared with when you withdraw, which no one "
        "knows for certain; many people use a mix. A tax professional can help with your own situation.",
        next_step(ctx, "You can change the split between pre-tax and Roth at any time"),
        c.blocks.get("education_note"),
    ]
    return Draft("answer", join(lines), [rule, f"{edu}#1", f"{edu}#2", f"{edu}#3", f"{edu}#4"], figs)


# Money now: loan vs hardship vs emergency withdrawal vs other sources ---------------------------
def money_now(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "loan_maximum" not in f:
        return c._extractive(ctx)
    edu = "general/loans-vs-hardship"
    hardship_rule = f"{plan.spd_doc_id}#{plan.hardship.section}"
    loan_rule = f["loan_maximum"]["rule"]
    cites = [hardship_rule, loan_rule]
    figs = ["loan_maximum", "loan_fee"]
    lines: list[str] = []
    if "hardship_reason_allowed" in f:
        reason = f["hardship_reason_allowed"]["inputs"]["reason"]
        if fig(ctx, "hardship_reason_allowed"):
            lines.append(
                f"Your plan accepts hardship withdrawals for {REASON_LABELS[reason]} "
                f"(section {section_label(hardship_rule)})."
            )
        else:
            accepted = "; ".join(REASON_LABELS[r] for r in plan.hardship.reasons)
            lines.append(
                f"From what you describe, the need may not be one of the reasons your plan accepts for a hardship "
                f"withdrawal (section {section_label(hardship_rule)}): {accepted}."
            )
        figs.append("hardship_reason_allowed")
    else:
        accepted = "; ".join(REASON_LABELS[r] for r in plan.hardship.reasons)
        lines.append(
            f"Your plan accepts hardship withdrawals for: {accepted} (section {section_label(hardship_rule)})."
        )
    lines.append(f"In your plan, hardship withdrawals can come from: {plan.hardship.sources}.")
    lines.append("Your options for getting money from the plan while you work, side by side:")
    if fig(ctx, "loan_maximum") > 0:
        lines.append(
            f"- Loan: you could borrow up to about {money(fig(ctx, 'loan_maximum'))} (section "
            f"{section_label(loan_rule)}), repaid through payroll with interest that goes back into your account; "
            f"not taxed if you repay on time, but a {money(fig(ctx, 'loan_fee'))} fee applies and an unpaid balance "
            "becomes taxable if you leave or stop repaying."
        )
    else:
        why = {
            "too_many_loans": "you already have the most loans the plan allows",
            "below_plan_minimum": "the most you could borrow is below the plan's minimum loan",
            "not_employed": "loans are only for people still working for the employer",
            "plan_has_no_loans": "the plan does not offer loans",
        }.get(f["loan_maximum"]["inputs"]["reason"], "a loan is not available now")
        lines.append(f"- Loan: not available to you now, because {why} (section {section_label(loan_rule)}).")
    tax = ""
    if "additional_tax_applies" in f:
        figs += ["additional_tax_applies", "age_59_and_a_half_on"]
        tax = (
            f" Because you reach age 59½ on {_day(fig(ctx, 'age_59_and_a_half_on'))}, the 10% additional tax may "
            "also apply."
            if fig(ctx, "additional_tax_applies")
            else " You are past 59½, so the 10% additional tax does not apply."
        )
    lines.append(
        "- Hardship withdrawal: money out for good, limited to the amount of the need plus taxes; it is taxable "
        f"income and cannot be repaid or rolled over.{tax}"
    )
    if fig(ctx, "emergency_withdrawal_max") > 0:
        em_rule = f["emergency_withdrawal_max"]["rule"]
        lines.append(
            f"- Emergency personal expense withdrawal: up to {money(fig(ctx, 'emergency_withdrawal_max'))} once per "
            "calendar year for an unforeseeable emergency expense; taxable, but not subject to the 10% additional "
            f"tax, and you can repay it within 3 years (section {section_label(em_rule)})."
        )
        figs.append("emergency_withdrawal_max")
        cites.append(em_rule)
    lines.append(
        "- Other sources: emergency savings or other money outside the plan may cost less than taking it from "
        "your retirement savings."
    )
    lines.append(next_step(ctx, "You can request a loan or a withdrawal, or ask which documents the plan needs,"))
    lines.append(c.blocks.get("education_note"))
    return Draft("answer", join(lines), unique([*cites, f"{edu}#1", f"{edu}#2", f"{edu}#3"]), figs)


# Changing jobs: stay, roll to the new plan, roll to an IRA, cash out ----------------------------
def leaving(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "vested_balance" not in f or "cash_out_withholding" not in f:
        return c._extractive(ctx)
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
        c.blocks.get("education_note"),
    ]
    return Draft(
        "answer",
        join(lines),
        unique([*cites, f"{edu}#1", f"{edu}#2", f"{edu}#3", f"{edu}#4", f"{edu}#5"]),
        figs,
    )


EVENT_WORDS = [
    ("divorce", re.compile(r"\bdivorc|\bex[- ](wife|husband|spouse)\b|\bseparated\b", re.I)),
    ("death_in_family", re.compile(r"\b(passed away|died|death|widow)", re.I)),
    ("birth", re.compile(r"\b(baby|born|newborn|birth|had a (son|daughter|child))\b", re.I)),
    ("adoption", re.compile(r"\badopt", re.I)),
    ("marriage", re.compile(r"\b(married|marriage|wedding|spouse|husband|wife)\b", re.I)),
]


def _event_in(text: str) -> str | None:
    return next((event for event, rx in EVENT_WORDS if rx.search(text)), None)


# Beneficiaries after a life event --------------------------------------------------------------
def beneficiaries(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "spouse_is_default_beneficiary" not in f:
        return c._extractive(ctx)
    rule = f["spouse_is_default_beneficiary"]["rule"]
    edu = "general/life-events"
    event = f["life_event_date"]["inputs"]["event"] if "life_event_date" in f else None
    said = _event_in(ctx.text)
    on_file = event is not None and (said is None or said == event)
    event = event if on_file else said
    figs = ["spouse_is_default_beneficiary"]
    cites = [rule]
    lines: list[str] = []
    if on_file and event:
        label = {"death_in_family": "the death in your family", "adoption": "the adoption"}.get(event, f"your {event}")
        if event in ("birth", "adoption"):
            # a child's birth date is a date of birth: the event is named without it
            lines.append("Our records show a new child in your family.")
        else:
            lines.append(f"Our records show {label} on {_day(fig(ctx, 'life_event_date'))}.")
            figs.append("life_event_date")
    spouse_rule = (
        "If you are married, your spouse is automatically your beneficiary for 100% of your account unless your "
        "spouse consents in writing, witnessed by a notary or plan representative, to a different beneficiary "
        f"(section {section_label(rule)})."
    )
    if event == "marriage" or (event is None and fig(ctx, "spouse_is_default_beneficiary")):
        lines.append(spouse_rule.replace("If you are married,", "Now that you are married,") if event else spouse_rule)
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
                f"{_day(fig(ctx, 'birth_distribution_deadline'))}, if your plan offers it: it is taxable but not "
                "subject to the 10% additional tax, and it can be repaid within 3 years."
            )
            figs += ["birth_distribution_max", "birth_distribution_deadline"]
        cites.append(f"{edu}#3")
    elif event == "death_in_family":
        lines.append(
            "If a beneficiary you named has died, name a new one; otherwise the plan's default rules decide who "
            "receives your account."
        )
        cites.append(f"{edu}#4")
    else:
        lines.append(
            "Your beneficiary designation decides who receives your account when you die. Review it after "
            f"marriage, divorce, a birth or adoption, or a death in the family (section {section_label(rule)})."
        )
    if event in ("divorce", "birth", "adoption", "death_in_family") and fig(ctx, "spouse_is_default_beneficiary"):
        lines.append(spouse_rule)
    lines += [next_step(ctx, "You can review or change your beneficiaries"), c.blocks.get("education_note")]
    return Draft("answer", join(lines), unique(cites), figs)


# What if I changed my contribution rate? --------------------------------------------------------
def contribution_what_if(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    assert plan is not None
    old, new = fig(ctx, "deferral_pct"), fig(ctx, "new_deferral_pct")
    per = fig(ctx, "contribution_change_per_paycheck")
    match_per = fig(ctx, "match_change_per_paycheck")
    more = per >= 0
    rule = f["match_change_per_paycheck"]["rule"]
    lines = [
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
    if "full_match_deferral_pct" in f and new < fig(ctx, "full_match_deferral_pct"):
        lines.append(f"The full match takes a contribution of {pct(fig(ctx, 'full_match_deferral_pct'))} of pay.")
        figs.append("full_match_deferral_pct")
    lines += [
        c.blocks.get("taxes_approximate"),
        next_step(ctx, "Whether to change is your choice; you can change your rate at any time"),
    ]
    return Draft("answer", join(lines), [rule, f"{plan.spd_doc_id}#{plan.contributions.section}"], figs)


# Talk to a person -------------------------------------------------------------------------------
def handoff_summary(ctx: ComposeContext) -> dict[str, Any]:
    """What the person who picks up the conversation needs: no re-asking, no raw PII (the history
    holds redacted text only)."""
    users = [h for h in ctx.history if h.get("role") == "user"]
    replies = [h for h in ctx.history if h.get("role") == "assistant"]
    intents = unique([h.get("intent") or "" for h in users if h.get("intent") not in ("human", "greeting", None)])
    figures: dict[str, Any] = {}
    sources: list[str] = []
    flags: list[str] = []
    for r in replies:
        figures.update(r.get("figures") or {})
        sources = unique([*sources, *(r.get("citations") or [])])
        flags = unique([*flags, *(r.get("flags") or [])])
        if r.get("review"):
            flags = unique([*flags, f"review:{r['review']}"])
        if r.get("action") in ("refuse", "escalate") and r.get("reason"):
            flags = unique([*flags, f"{r['action']}:{r['reason']}"])
    if replies and replies[-1].get("action") == "clarify":
        flags = unique([*flags, f"waiting for: {replies[-1].get('missing_field')}"])
    last_question = users[-1]["text"] if users else None
    topic = ", ".join(intents) if intents else "no question yet"
    shown = ", ".join(f"{k}={v}" for k, v in list(figures.items())[:8]) or "none"
    return {
        "intents": intents,
        "last_question": last_question,
        "figures": figures,
        "sources": sources,
        "open_flags": flags,
        "turns": len(users),
        "summary": f"Asked about: {topic}. Figures shown: {shown}. Sources: {len(sources)}. "
        f"Open flags: {', '.join(flags) or 'none'}.",
    }


def distributions(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    """Taking money out: while working, the money-now options; after leaving, the leaving options."""
    return money_now(c, ctx) if "loan_maximum" in ctx.figures else leaving(c, ctx)


def human(c: GroundedComposer, ctx: ComposeContext) -> Draft:
    text = f"{c.blocks.get('human')} {c.blocks.get('handoff')} {c.blocks.contact(ctx.plan)}"
    return Draft("escalate", text, reason="human_requested", handoff=handoff_summary(ctx))
