"""Required minimum distributions and the 10% additional tax on early withdrawals."""

from __future__ import annotations

import datetime as dt
import re

from assistant.decisions.definitions import HYPOTHETICAL_AGE, PLAN_TERM, WITHHOLDING
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, next_step, section_label
from assistant.decisions.extractive import quoted
from assistant.decisions.playbooks.limits import age_contradicted, ira_only, record_mismatch
from assistant.decisions.playbooks.money_now import record_age, record_age_contradicted
from assistant.decisions.sentences import sentences as split_sentences

RMD_RULES = "general/rmd"
"""the general RMD document (its section 1 says what an RMD is)"""

STILL_WORKING = re.compile(
    r"\b(still|currently|continu\w*( to)?|keep) (work\w*|employed|on the payroll)\b|\bhaven'?t (retired|stopped working)\b"
    r"|\bnot (yet )?retired\b",
    re.I,
)


def _mismatch_then_documents(kit: Kit, ctx: ComposeContext, what: str) -> Draft:
    """How to correct a record the person has just contradicted, then the rule as the documents state it."""
    drafted = kit.extractive(ctx)
    drafted.text = f"{record_mismatch(ctx, what)}\n\n{drafted.text}"
    return drafted


def rmd(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "rmd_age" not in f or not fig(ctx, "rmd_age"):
        return kit.extractive(ctx)
    rule = f["rmd_age"]["rule"]
    birth = f["rmd_age"]["inputs"]["birth_year"]
    if age_contradicted(ctx.text, dt.date.today().year - int(birth)):
        # never the RMD age of a record the person has just contradicted ("I'm 74" to a record born in
        # 1988): how to correct the record, and the rules as the documents state them for every age
        return _mismatch_then_documents(kit, ctx, "RMD age")
    lines = [
        f"Because you were born in {birth}, your RMD age is {int(fig(ctx, 'rmd_age'))}, which you reach in "
        f"{int(fig(ctx, 'rmd_age_year'))} (section {section_label(rule)})."
    ]
    figs = ["rmd_age", "rmd_age_year"]
    cites = [rule]
    meaning = quoted(ctx, f"{RMD_RULES}#1") if PLAN_TERM.search(ctx.text) else None
    if meaning is not None:
        # "what is a required minimum distribution?": what one is, before the person's own dates
        lines.insert(0, meaning)
        cites.append(f"{RMD_RULES}#1")
    if "first_rmd_due" in f and STILL_WORKING.search(ctx.text):
        # the record says the person has left; they say they still work there: not the record's due date
        # ("I turn 73 next year, do I have to take money out even though I'm still working here?" got
        # "due by April 1, 2028"), the rule for each case and how to correct the record
        lines.append(
            f"Your plan record shows that you no longer work for {plan.sponsor}, which would make your first "
            "required minimum distribution due by April 1 of the year after you reach your RMD age. If you "
            f"still work there, the plan lets you wait until April 1 after the year you retire, unless you own "
            f"more than five percent of the business; call {plan.contact.phone} to correct your record."
        )
    elif "first_rmd_due" in f:
        due = dt.date.fromisoformat(str(fig(ctx, "first_rmd_due")))
        lines.append(
            f"Your first required minimum distribution is due by {due:%B} {due.day}, {due.year}; later ones "
            "are due by the end of each year."
        )
        figs.append("first_rmd_due")
    else:
        lines.append(
            f"Because you still work for {plan.sponsor}, the plan lets you wait until April 1 after the "
            "year you retire, unless you own more than five percent of the business."
        )
        figs.append("rmd_delayed_while_working")
    lines.append(next_step(ctx, "You can set up your required distributions, or ask about them,"))
    return kit.with_education(ctx, lines, cites, figs)


def _other_age(ctx: ComposeContext) -> int | None:
    """The age the question asks about when it is more than a year off the person's own."""
    m = HYPOTHETICAL_AGE.search(ctx.text)
    own = record_age(ctx)
    if m is None or own is None:
        return None
    asked = int(m.group(1))
    return asked if abs(own - asked) > 1 else None


def early_withdrawal(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if ira_only(ctx.part or ctx.text):
        # an IRA's early withdrawal: its own rule (anchored by retrieval.anchors.early_withdrawal_anchor),
        # never the plan's age-59½ date ("what's the penalty for withdrawing from a roth ira early?")
        return kit.extractive(ctx)
    if plan is None or "additional_tax_applies" not in f:
        return kit.extractive(ctx)
    if record_age_contradicted(ctx):
        # never the 59½ date of a record the person has just contradicted ("I'm 58 and thinking about retiring
        # early" on a record of 34 got "You reach age 59½ on December 15, 2051"): how to correct the record,
        # and the rule and its exceptions as the documents state them for every age
        return _mismatch_then_documents(kit, ctx, "59½ date")
    if WITHHOLDING.search(ctx.text):
        # tax withheld from a payment: the plan's sentences on withholding, not the 59½ date ("how much fed tax
        # withholding is there on a cash dist?")
        return kit.extractive(ctx)
    rule = f["additional_tax_applies"]["rule"]
    reason = f["additional_tax_applies"]["inputs"]["reason"]
    day = dt.date.fromisoformat(str(fig(ctx, "age_59_and_a_half_on")))
    when = f"{day:%B} {day.day}, {day.year}"
    figs = ["additional_tax_applies", "additional_tax_rate", "age_59_and_a_half_on"]
    asked_age = _other_age(ctx)
    if asked_age is not None:
        # an age asked about that is not the person's own ("what's the penalty if I pull money out at 45?" to a man
        # of 61 got "You reached age 59½ on September 2, 2024"): the rule at that age, not the person's date (the
        # age itself is not repeated: a number the documents and calculators do not state is not shown)
        figs = ["additional_tax_rate"]
        if asked_age < 59:
            reason = "asked_before_59_and_a_half"
            text = (
                "The age you ask about is before age 59½: money you take out then is generally subject to the 10% "
                "additional tax on top of income tax, unless an exception applies."
            )
        else:
            text = (
                "The age you ask about is after age 59½: the 10% additional tax does not apply to money you take out "
                "then; it is still taxable income."
            )
            reason = "age_59_and_a_half"
    elif reason == "age_59_and_a_half":
        text = f"You reached age 59½ on {when}, so the 10% additional tax no longer applies to your withdrawals."
    elif reason == "separated_in_or_after_year_of_55":
        text = (
            "You left your employer in or after the year you turned 55, so withdrawals from this plan are not "
            "subject to the 10% additional tax (this exception does not follow money rolled into an IRA)."
        )
    else:
        text = (
            f"You reach age 59½ on {when}. Before then, money you take out is generally subject to the 10% "
            "additional tax on top of income tax, unless an exception applies."
        )
    lines, cites = [f"{text} (section {section_label(rule)})"], [rule]
    if reason not in ("age_59_and_a_half", "separated_in_or_after_year_of_55"):
        # the exceptions the tax has, from the general rule the intent names (its general anchor)
        general = next((p for p in ctx.passages if p.get("anchor") and p["citation_id"].startswith("general/")), None)
        if general is not None:
            first = split_sentences(general["text"], min_chars=21)[:1]
            md = general["metadata"]
            if first:
                lines.append(f"{md['title']}, section {md['section']}: {first[0]}")
                cites.append(general["citation_id"])
    lines.append(next_step(ctx, "Before taking money out, you can review your options"))
    return kit.with_education(ctx, lines, cites, figs)
