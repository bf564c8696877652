"""The output rules added for issue 6: urgency, citation support and required disclosures,
table-tested with near-misses against the shipped policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.policy import load_policy
from guardrails.rules import RULE_KINDS, CheckContext

POLICY = load_policy(Path(__file__).resolve().parents[2] / "guardrails/policy.yaml").policy
SPECS = {r.id: r for r in POLICY.output_rules}


def rule(rule_id: str):  # type: ignore[no-untyped-def]
    spec = SPECS[rule_id]
    return RULE_KINDS[spec.kind](spec, None)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Act now before it's too late: roll it over today.", "fail"),
        ("Don't wait - you'll run out of money.", "fail"),
        ("This is a limited-time chance.", "fail"),
        ("If you leave your job, the loan becomes due.", "pass"),
        ("The plan accepts federally declared disaster expenses as a hardship reason.", "pass"),
        ("You can act on this at any time; there is no deadline for changing your rate.", "pass"),
    ],
)
def test_urgency(text: str, expected: str) -> None:
    assert rule("output.urgency").check(text, CheckContext()).finding.outcome == expected


DISCLOSURES = [
    # (rule, triggers, already has the disclosure, unrelated near miss)
    (
        "output.projection_disclosure",
        "At 6% a year your balance could grow to $120,000.",
        "In this hypothetical illustration your balance could grow to $120,000.",
        "Your balance today is $12,000.",
    ),
    (
        "output.tax_disclaimer",
        "Hardship withdrawals are taxable.",
        "Withdrawals are taxable. This is general information, not tax or legal advice.",
        "The loan fee is $75.",
    ),
    (
        "output.loan_disclosure",
        "You can borrow up to $50,000.",
        "You can borrow up to $50,000; if you leave your job the loan becomes due.",
        "Loans are not available for hardship.",
    ),
    (
        "output.hardship_disclosure",
        "A hardship withdrawal can pay for a funeral.",
        "A hardship withdrawal can pay for a funeral, but it cannot be paid back.",
        "A loan can pay for many things.",
    ),
    (
        "output.rollover_balance",
        "You can roll your 401(k) over to an IRA.",
        "You can roll it over to an IRA or leave it in the plan.",
        "You can roll your balance into your new employer's plan.",
    ),
    (
        "output.roth_disclosure",
        "Roth contributions are made after tax.",
        "Roth earnings are tax-free in a qualified distribution.",
        "Pre-tax contributions lower your taxable pay.",
    ),
    (
        "output.rmd_disclosure",
        "Your RMDs start at 73.",
        "Your RMDs start at 73; missing one costs an excise tax.",
        "Your match is 4%.",
    ),
]


@pytest.mark.parametrize("rule_id,trigger,present,unrelated", DISCLOSURES)
def test_required_disclosures(rule_id: str, trigger: str, present: str, unrelated: str) -> None:
    r = rule(rule_id)
    added = r.check(trigger, CheckContext())
    assert added.finding.outcome == "transform" and added.text == f"{trigger}\n\n{SPECS[rule_id].disclosure}"
    assert r.check(present, CheckContext()).finding.outcome == "pass"
    assert r.check(unrelated, CheckContext()).finding.outcome == "pass"
    # the disclosure satisfies its own rule: applying it twice changes nothing
    assert r.check(added.text, CheckContext()).finding.outcome == "pass"


def test_a_source_title_is_no_topic_of_the_answer() -> None:
    # "what happens to my loan if I get fired?" got the hardship-withdrawal disclosure from the label of a quoted
    # section, "Plan loans compared with hardship withdrawals, section 4: ..."
    r = rule("output.hardship_disclosure")
    labelled = "Plan loans compared with hardship withdrawals, section 4: An unpaid loan balance is a loan offset."
    assert r.check(labelled, CheckContext()).finding.outcome == "pass"
    roth = rule("output.roth_disclosure")
    assert (
        roth.check(
            "Roth and pre-tax contributions compared, page 3: The match is pre-tax.", CheckContext()
        ).finding.outcome
        == "pass"
    )
    # near-misses: the topic in the quoted sentence itself, or a label's title with no quote after it, still adds it
    body = "Plan loans compared with hardship withdrawals, section 2: A hardship withdrawal is taxable income."
    assert r.check(body, CheckContext()).finding.outcome == "transform"
    assert r.check("Ask about hardship withdrawals, section by section.", CheckContext()).finding.outcome == "transform"
    # a "title" with a comma or a full stop is not taken for a label: the disclosure is added (the safe side)
    dressed = "Hardship withdrawals, as you asked, section 2: They are taxable."
    assert r.check(dressed, CheckContext()).finding.outcome == "transform"
    # a disclosure phrase inside a label does not satisfy the rule
    fake = "Roth money that cannot be repaid, section 1: A hardship withdrawal is taxable."
    assert r.check(fake, CheckContext()).finding.outcome == "transform"


def test_disclosures_carry_no_figures() -> None:
    from guardrails.grounding import numbers_in

    for spec in POLICY.output_rules:
        if spec.kind == "required_disclosure":
            assert numbers_in(spec.disclosure or "") == [], spec.id


@pytest.mark.parametrize(
    "answer,cited,expected",
    [
        ("The match is 50% of the first 6% you contribute.", ["p#4.1"], "pass"),
        (
            "The match is 50% of the first 6% you contribute.",
            ["p#4.1", "p#7"],
            "fail",
        ),  # loans cited for a match answer
        ("Nothing cited.", [], "pass"),
        # a plural and a stated amount are shared content ("each new loan costs $75" and the fees
        # section's "Loans carry a $75 origination fee"); a passage sharing neither still fails
        ("The smallest loan is $1,000, and each new loan costs $75.", ["p#11"], "pass"),
        ("The smallest loan is $1,000, and each new loan costs $75.", ["p#4.1"], "fail"),
        ("The match is 50% of the first 6% you contribute.", ["p#11"], "fail"),
    ],
)
def test_citation_support(answer: str, cited: list[str], expected: str) -> None:
    ctx = CheckContext(
        cited_ids=cited,
        passage_texts={
            "p#4.1": "Employer match. Cedar Valley matches 50% of the first 6% of eligible pay you contribute.",
            "p#7": "Loans. Borrowing requires a promissory note; repayment is by payroll deduction.",
            "p#11": "Fees. A recordkeeping fee of $18 per quarter is deducted. Loans carry a $75 origination fee.",
        },
    )
    assert rule("output.citation_support").check(answer, ctx).finding.outcome == expected


@pytest.mark.parametrize(
    "note",
    [
        "This is general information, not investment, tax or legal advice.",
        "This is general information about your plan, not investment, tax or legal advice.",
    ],
)
def test_disclosure_goes_before_the_closing_education_note(note: str) -> None:
    # "can I borrow from my 401k?" ended with the education note and then the hardship disclosure
    spec = SPECS["output.hardship_disclosure"]
    body = "A hardship withdrawal can pay for a funeral."
    added = rule("output.hardship_disclosure").check(f"{body}\n\n{note}\n", CheckContext())
    assert added.text == f"{body}\n\n{spec.disclosure}\n\n{note}"
    # a note that does not close the reply is no closing note: the disclosure still goes last
    middle = f"{body}\n\n{note}\n\nYou can call the service center."
    assert rule("output.hardship_disclosure").check(middle, CheckContext()).text == f"{middle}\n\n{spec.disclosure}"
