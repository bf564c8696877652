"""Plan loans: the largest new loan, its cost and how many are allowed."""

from __future__ import annotations

import re

from assistant.decisions.calculators import money
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, section_label

_LEAVE = r"(leave|leaving|left|quit|quitting|laid off|lay ?off|fired|terminated|let go|lose my job|retire|retiring|change jobs)"
_HELD = r"(unpaid|outstanding|open|existing)"
_A_LOAN = (
    rf"((my|the|{_HELD}) (401\s?\(?k\)? |plan )?loans?\b|\b(with|i (still )?(have|owe on)) an? (401\s?\(?k\)? |plan )?loan\b"
    rf"|\ban? ({_HELD} )(401\s?\(?k\)? |plan )?loan\b"
    rf"|\ban? (401\s?\(?k\)? |plan )?loan (still )?({_HELD}|owed|unpaid|balance|on (it|my account))\b)"
)
LOAN_ON_LEAVING = re.compile(
    rf"^(?!.*\b(take|taking|get an?|get another|borrow|new|apply)\b).*(\b{_A_LOAN}.{{0,60}}\b{_LEAVE}\b"
    rf"|\b{_LEAVE}\b.{{0,60}}\b{_A_LOAN})",
    re.I,
)
"""what happens to a loan the person has when they leave ("what happens to my loan if i get laid off",
"what happens if I leave my job with a loan outstanding?" got the largest new loan first): the plan's
rule for a loan at leaving, not the new-loan figures"""


LOAN_TAX = re.compile(
    r"^(?!.*\b(how much|max\w*|most|largest|biggest|limit)\b).*\b(tax(es|ed|able)?|1099|irs|income)\b", re.I
)
"""whether a loan is taxed ("do I pay taxes on a 401k loan?" got the largest new loan first): the sentences
that say so (not taxed if repaid on time; an unpaid balance becomes a taxable distribution)"""


LOAN_REPAYMENT = re.compile(
    r"^(?!.*\b(how much|max\w*|most|largest|biggest|limit)\b).*\b(pay (it |them |(a |my |the )?loan )?(back|off)( early)?"
    r"|repay\w*|prepay\w*|pay ?off|miss(ed|ing)? (a |my |one )?(loan )?payments?|default\w*|behind on)\b",
    re.I,
)
"""repaying a loan the person has ("can I pay my loan back early?", "what happens if I miss a loan payment?" got the
largest new loan first): the plan's repayment rules"""

CONTRIBUTING_WITH_LOAN = re.compile(
    r"\b(still|keep|continue|stop|pause)\w* (to )?(contribut\w*|sav(e|ing)|deferr\w*|put(ting)? money in)\b"
    r"|\b(contribut\w*|match\w*)\b.{0,30}\b(while|during|with)\b.{0,20}\bloans?\b",
    re.I,
)
"""contributing while a loan is repaid ("if I take a loan can I still contribute?" got the largest new loan): the
plan's sentence on it"""


LOAN_TERMS = re.compile(
    r"^(?!.*\b(how much|max\w*|most|largest|biggest|limit)\b).*\b(interest|apr|how long (do i have |can i take |will i have )?"
    r"to (re)?pay|how many years|(loan|repayment) (term|period|length))\b",
    re.I,
)
"""the terms of a loan ("what's the interest rate on a 401k loan?" got the largest new loan first, and the rate only
in the third paragraph): the plan's sentences that state them"""


LOAN_OWED = re.compile(
    r"\b(how much|what) (do i|i|is) (still )?(owe|owed|left)\b|\b(loan|remaining|outstanding|current) balance\b"
    r"|\bleft to (re)?pay\b|\bpaid (it |my loan )?off yet\b|\bpay ?off (amount|balance|figure|quote)\b",
    re.I,
)
"""what the person still owes on a loan they have ("how much do I still owe on my 401k loan?" got the largest new loan):
the balance in their record"""


def loan_owed(kit: Kit, ctx: ComposeContext) -> Draft:
    """The balance the person's record shows on their plan loans, and where the exact payoff amount is."""
    plan = ctx.plan
    assert plan is not None
    owed, count = fig(ctx, "loan_balance_owed"), int(fig(ctx, "loans_outstanding"))
    if owed > 0:
        first = (
            f"The records I have show about {money(owed)} still owed on your plan "
            f"{'loan' if count == 1 else 'loans'} ({count} outstanding)."
        )
    else:
        first = "The records I have show no plan loan outstanding."
    lines = [
        first,
        f"Your statement shows the exact balance and payoff amount, or ask on {plan.contact.portal} or at "
        f"{plan.contact.phone} ({plan.contact.hours}).",
        kit.blocks.get("education_note"),
    ]
    return Draft("answer", "\n\n".join(lines), [], ["loan_balance_owed", "loans_outstanding"])


def loan(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is not None and "loan_balance_owed" in f and LOAN_OWED.search(ctx.text):
        return loan_owed(kit, ctx)
    if (
        plan is None
        or "loan_maximum" not in f
        or LOAN_ON_LEAVING.search(ctx.text)
        or LOAN_TAX.search(ctx.text)
        or LOAN_REPAYMENT.search(ctx.text)
        or LOAN_TERMS.search(ctx.text)
        or CONTRIBUTING_WITH_LOAN.search(ctx.text)
    ):
        return kit.extractive(ctx)
    rule = f["loan_maximum"]["rule"]
    inputs = f["loan_maximum"]["inputs"]
    reason = inputs["reason"]
    figs = ["loan_maximum", "loan_minimum", "loan_fee", "loans_outstanding", "loan_max_outstanding"]
    if reason == "ok":
        owed = inputs["outstanding_loan_balance"]
        highest = inputs["highest_balance_12m"]
        by_cap = (
            f"{money(fig(ctx, 'loan_limit_by_50000'))} ($50,000 minus your highest loan balance in the last "
            f"12 months, {money(highest)})"
            if highest
            else "$50,000"
        )
        lines = [
            f"The largest new loan you could take now is about {money(fig(ctx, 'loan_maximum'))} "
            f"(section {section_label(rule)}): the lesser of {by_cap} "
            f"and {money(fig(ctx, 'loan_limit_by_half_vested'))} (half of your {money(fig(ctx, 'vested_balance'))} "
            f"vested balance{', minus the ' + money(owed) + ' you owe now' if owed else ''}).",
            f"The smallest loan is {money(fig(ctx, 'loan_minimum'))}, each new loan costs "
            f"{money(fig(ctx, 'loan_fee'))}, and you can have {int(fig(ctx, 'loan_max_outstanding'))} "
            f"at a time (you have {int(fig(ctx, 'loans_outstanding'))}).",
        ]
        figs += ["loan_limit_by_50000", "loan_limit_by_half_vested", "vested_balance"]
    elif reason == "too_many_loans":
        lines = [
            f"You already have {int(fig(ctx, 'loans_outstanding'))} loan(s) and the plan allows "
            f"{int(fig(ctx, 'loan_max_outstanding'))} at a time, so another loan is not possible until one "
            f"is repaid (section {section_label(f['loan_max_outstanding']['rule'])})."
        ]
    elif reason == "below_plan_minimum":
        lines = [
            f"The most the law would let you borrow is below the plan's {money(fig(ctx, 'loan_minimum'))} "
            f"minimum, so a loan is not available now (section {section_label(rule)})."
        ]
    else:
        lines = [f"Loans are available only while you work for {plan.sponsor} (section {section_label(rule)})."]
    lines.append(
        f"Whether to borrow is your choice; to request a loan, use {plan.contact.portal} or call {plan.contact.phone}."
    )
    return kit.with_education(ctx, lines, [rule, f["loan_max_outstanding"]["rule"], f["loan_fee"]["rule"]], figs)
