"""Money now, while working: loan vs hardship vs emergency withdrawal vs other sources."""

from __future__ import annotations

import datetime as dt
import re

from assistant.decisions.calculators import money
from assistant.decisions.definitions import WITHDRAWAL_TAX, WITHHELD
from assistant.decisions.drafts import ComposeContext, Draft, Kit, day, fig, join, next_step, section_label, unique
from assistant.decisions.playbooks.leaving import leaving
from assistant.decisions.playbooks.limits import age_contradicted, record_mismatch

REASON_LABELS = {
    "medical": "medical care expenses",
    "principal_residence_purchase": "buying your main home",
    "tuition": "tuition and education expenses",
    "eviction_foreclosure": "payments to prevent eviction from, or foreclosure on, your home",
    "funeral": "funeral or burial expenses",
    "casualty_repair": "repairing damage to your home from a casualty",
    "federal_disaster": "expenses and losses from a federally declared disaster",
}
REASONS_ONLY = re.compile(
    r"\b(reasons?|qualif\w*|count(s)? as|eligible|allowed|accepted|what (can|could) (i|you) (use|take)|"
    r"which (expenses|needs|costs))\b",
    re.I,
)
OPTIONS_ASKED = re.compile(r"\b(loans?|borrow\w*|options?|instead|better|compare|vs\.?|versus|should|or)\b", re.I)
"""a question only about which needs qualify gets the reasons and where to apply, not the side-by-side"""
AFTERWARDS = re.compile(
    r"\b(stop|stops|stopped|suspend\w*|pause\w*|block\w*|freez\w*|bar\w*)\b.{0,40}\b(contribut\w*|deferr\w*|sav\w*)"
    r"|\b(still|keep|continue)\b.{0,20}\b(contribut\w*|sav\w*|put\w* money in)\b.{0,40}\b(after|afterwards)\b",
    re.I,
)
"""what a hardship withdrawal does to contributing afterwards: the plan's own sentence, not the side-by-side"""


def age_label(age: float) -> str:
    return f"{int(age)}½" if age % 1 else str(int(age))


def in_service_open(ctx: ComposeContext) -> bool:
    """The person is past both 59½ (no 10% additional tax) and the plan's in-service withdrawal age."""
    f, plan = ctx.figures, ctx.plan
    if (
        plan is None
        or "additional_tax_applies" not in f
        or fig(ctx, "additional_tax_applies")
        or "in_service" not in plan.sections
    ):
        return False
    reached = dt.date.fromisoformat(str(fig(ctx, "age_59_and_a_half_on")))
    return plan.in_service_age <= 59.5 and reached <= dt.date.today()


def record_age_contradicted(ctx: ComposeContext) -> bool:
    """The person gives an age their record contradicts ("I'm 62 and still working" on a record of 38):
    no line figured from the record's age (its 59½ date, the in-service withdrawal it opens)."""
    return age_contradicted(ctx.text, record_age(ctx))


def record_age(ctx: ComposeContext) -> int | None:
    """The person's age today from the birth date in their record (the 59½ figure's input), None without it."""
    f = ctx.figures
    if "additional_tax_applies" not in f:
        return None
    born = dt.date.fromisoformat(str(f["additional_tax_applies"]["inputs"]["birth_date"]))
    today = dt.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def reasons_only(text: str) -> bool:
    return bool(REASONS_ONLY.search(text)) and not OPTIONS_ASKED.search(text)


def money_now(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "loan_maximum" not in f or AFTERWARDS.search(ctx.text) or WITHHELD.search(ctx.text):
        # "does a hardship withdrawal stop my contributions for 6 months?" got the side-by-side of loan and
        # withdrawal, not the plan's sentence on contributing afterwards; nor does it say what tax is withheld
        return kit.extractive(ctx)
    edu = "general/loans-vs-hardship"
    hardship_rule = f"{plan.spd_doc_id}#{plan.hardship.section}"
    loan_rule = f["loan_maximum"]["rule"]
    cites = [hardship_rule, loan_rule]
    figs = ["loan_maximum", "loan_fee"]
    lines: list[str] = []
    contradicted = record_age_contradicted(ctx)
    if contradicted and plan.in_service_age and "in_service" in plan.sections:
        # never the record's age-based line when the person states another age: the record differs, and
        # the plan's rule for the age they give
        section = plan.sections["in_service"]
        lines += [
            record_mismatch(ctx, "age-based withdrawal rules"),
            f"If you are {age_label(plan.in_service_age)} or older, your plan lets you withdraw your vested balance "
            f"while you still work (section {section}): it is taxable income, and the 10% additional tax does "
            "not apply from age 59½.",
        ]
        cites.append(f"{plan.spd_doc_id}#{section}")
    elif contradicted:
        lines.append(record_mismatch(ctx, "age-based withdrawal rules"))
    # past the plan's in-service age, money can come out without a hardship ("how do I get a check sent to me?"
    # from a 73-year-old still working got the hardship reasons first): that first, and the plan's list of
    # hardship reasons only when the person names a need
    in_service = in_service_open(ctx) and not reasons_only(ctx.text) and not contradicted
    if in_service:
        section = plan.sections["in_service"]
        lines.append(
            f"You are past age {age_label(plan.in_service_age)}, so your plan lets you withdraw your vested balance "
            f"while you still work (section {section}): it is taxable income, and the 10% additional tax does not "
            "apply."
        )
        cites.append(f"{plan.spd_doc_id}#{section}")
        figs.append("additional_tax_applies")
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
    elif not in_service:
        accepted = "; ".join(REASON_LABELS[r] for r in plan.hardship.reasons)
        lines.append(
            f"Your plan accepts hardship withdrawals for: {accepted} (section {section_label(hardship_rule)})."
        )
    if not in_service or "hardship_reason_allowed" in f:
        lines.append(f"In your plan, hardship withdrawals can come from: {plan.hardship.sources}.")
    if reasons_only(ctx.text) and "hardship_reason_allowed" not in f:
        lines.append(next_step(ctx, "You can request a hardship withdrawal, or ask which documents the plan needs,"))
        lines.append(kit.blocks.get("education_note"))
        return Draft("answer", join(lines), [hardship_rule], [])
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
    if contradicted:
        tax = " Before age 59½, the 10% additional tax may also apply."
    elif "additional_tax_applies" in f:
        figs += ["additional_tax_applies", "age_59_and_a_half_on"]
        tax = (
            f" Because you reach age 59½ on {day(fig(ctx, 'age_59_and_a_half_on'))}, the 10% additional tax may "
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
    lines.append(kit.blocks.get("education_note"))
    return Draft("answer", join(lines), unique([*cites, f"{edu}#1", f"{edu}#2", f"{edu}#3"]), figs)


IN_SERVICE_AT_AGE = re.compile(r"\b59\s*(½|1/2|and a half|\.5)|\bin[- ]service\b", re.I)
"""a withdrawal while working at 59½, the plan's in-service rule ("can I take money out at 59 and a half while still
working here?" got the hardship reasons and the loan side by side)"""


def distributions(kit: Kit, ctx: ComposeContext) -> Draft:
    """Taking money out: while working, the money-now options; after leaving, the leaving options."""
    if ctx.plan is not None and "in_service" in ctx.plan.sections and IN_SERVICE_AT_AGE.search(ctx.text):
        return kit.extractive(ctx)  # the plan's in-service section is the topic's anchored rule
    if WITHDRAWAL_TAX.search(ctx.text):
        return kit.extractive(ctx)  # how a withdrawal is taxed: the plan's taxes section and the general rule, anchored
    return money_now(kit, ctx) if "loan_maximum" in ctx.figures else leaving(kit, ctx)
