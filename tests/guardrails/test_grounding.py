"""Faithful paraphrases of figures and citations pass the guard's grounding; each is held beside a
near-miss that must stay blocked (guardrails/grounding.py, output.ungrounded_figure and
output.unsupported_citation). The faithful forms come from LLM drafts read in `make bench-llm`."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.grounding import numbers_in, unsupported_figures, word_numbers
from guardrails.policy import load_policy
from guardrails.rules import CheckContext, CitationGroundingRule, FigureGroundingRule

POLICY = load_policy(Path(__file__).resolve().parents[2] / "guardrails/policy.yaml").policy
SPECS = {r.id: r for r in POLICY.output_rules}

SOURCES = [
    "In 2026 the most you can contribute is $24,500; the catch-up is $8,000.",
    "You may have two loans at a time. Loans are limited to 50% of your vested balance, up to $50,000.",
    "The plan matches half of what you contribute, up to 6% of pay.",
    "Distributions before age 59½ may be subject to a 10% additional tax under section 72(t).",
    "You have sixty days to complete an indirect rollover.",
    "Call 800-906-9887 for information on free tax return preparation.",
]
CALCULATED = [1440.38, 55.38, 4.615, 72000.0]

# (faithful paraphrase that must pass, near-miss that must be blocked)
FIGURE_PAIRS = [
    ("The match is about $1,440 a year.", "The match is about $1,441 a year."),
    ("The match comes to about $1,400 a year.", "The match comes to about $1,500 a year."),
    ("The match comes to about $1,400 a year.", "The match comes to $1,400 a year."),  # rounding must be said
    ("That is roughly $55 a paycheck.", "That is roughly $56 a paycheck."),
    ("You save 4.6% of your pay.", "You save 4.7% of your pay."),
    ("The plan matches 50% of what you put in, up to 6% of pay.", "The plan matches 70% of what you put in, up to 6%."),
    ("The plan matches 50 percent of your contributions.", "The plan matches 40 percent of your contributions."),
    ("You can have 2 loans at once.", "You can have 3 loans at once."),
    ("You have 60 days to finish the rollover.", "You have 90 days to finish the rollover."),
    ("Before age 59 1/2 a 10% additional tax may apply.", "Before age 58 1/2 a 10% additional tax may apply."),
    ("Before age 59.5 a 10% additional tax may apply.", "Before age 55.5 a 10% additional tax may apply."),
    ("You can put in up to $24.5k in 2026.", "You can put in up to $25k in 2026."),
    (
        "You can put in up to $24,500 in 2026.",
        "You can put in about $25,000 in 2026.",
    ),  # a legal limit is never rounded
    ("Loans go up to $50,000 (acme-401k/spd#7.4).", "Loans go up to $50,000 (see 7.4)."),
    ("You can roll a 401k or 403b into an IRA.", "You can roll $401 into an IRA."),
    # a printed phone number holding an allowed phrase ("988") is read whole, not as "800-906-" and "7"
    ("For free tax help call 800-906-9887.", "For free tax help call 800-906-9888."),
    ("In a crisis call or text 988.", "In a crisis call or text 989."),
]


def figure_outcome(text: str) -> str:
    ctx = CheckContext(sources=SOURCES, figures=CALCULATED)
    return FigureGroundingRule(SPECS["output.ungrounded_figure"]).check(text, ctx).finding.outcome


@pytest.mark.parametrize("faithful,near_miss", FIGURE_PAIRS)
def test_a_faithful_figure_passes_and_its_near_miss_is_blocked(faithful: str, near_miss: str) -> None:
    assert figure_outcome(faithful) == "pass", faithful
    assert figure_outcome(near_miss) == "fail", near_miss


# A bare current year dates a claim (bench-llm: "The 2026 IRA withdrawal for a domestic abuse victim is
# limited to ..." was blocked though every figure was a source's); as an amount or another year it is checked.
YEAR_SOURCES = ["The dollar cap on a domestic abuse victim distribution started at $10,000 and is indexed."]
YEAR_ROWS = [
    ("The 2026 cap for a domestic abuse victim started at $10,000.", []),
    ("For 2026, the cap started at $10,000 and is indexed.", []),
    ("The cap for 2026 is $2,026.", ["$2,026"]),
    ("The cap is 2,026 dollars in 2026.", ["2,026"]),
    ("You may take 2026% of the cap.", ["2026%"]),
    ("The 2027 cap started at $10,000.", ["2027"]),
    ("The 2026 cap is $10,500.", ["$10,500"]),
]


@pytest.mark.parametrize("text,unsupported", YEAR_ROWS)
def test_the_current_year_written_bare_is_a_date_not_a_figure(text: str, unsupported: list[str]) -> None:
    assert unsupported_figures(text, YEAR_SOURCES, [], year=2026) == unsupported


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Up to $1.2 million", [("$1.2 million", 1_200_000.0)]),
        ("age 59½ or 59 1/2", [("59½", 59.5), ("59 1/2", 59.5)]),
        ("6 percent and 7%", [("6 percent", 6.0), ("7%", 7.0)]),
        ("a 457b, a 401(k) and [acme-401k/spd#4.2]", []),
        ("$12k but 12k alone", [("$12k", 12000.0), ("12", 12.0)]),
    ],
)
def test_numbers_are_read_as_written(text: str, expected: list[tuple[str, float]]) -> None:
    assert numbers_in(text) == expected


def test_numbers_in_words() -> None:
    assert word_numbers("two loans within sixty-five days, half of it, a quarter") == {2.0, 65.0, 50.0, 0.5, 25.0, 0.25}
    assert word_numbers("someone wonders, often tenfold") == set()  # no numbers inside other words


# (faithful citation in other words that must pass, near-miss that must be blocked)
CITATION_PAIRS = [
    ("The match rule is in section 4 of your plan.", "The match rule is in section 5 of your plan."),
    ("Section 72(t) lists the exceptions.", "Section 72(q) lists the exceptions."),
    ("See section 4.2 for the match.", "See sections 12.7 and 4.2 for the match."),
]


@pytest.mark.parametrize("faithful,near_miss", CITATION_PAIRS)
def test_a_section_named_in_other_words_passes_and_an_invented_one_is_blocked(faithful: str, near_miss: str) -> None:
    ctx = CheckContext(sources=SOURCES, cited_ids=["acme-401k/spd#4.2"], known_ids=["acme-401k/spd#4.2"])
    rule = CitationGroundingRule(SPECS["output.unsupported_citation"])
    assert rule.check(faithful, ctx).finding.outcome == "pass", faithful
    assert rule.check(near_miss, ctx).finding.outcome == "fail", near_miss


# A length of time is checked as a number with its unit (bench-llm, 6 December 2026: "You have 1 year to roll
# the loan offset amount over" passed, its "1" found in another passage; the source says "by your tax-return
# due date"). Each faithful wording beside a near-miss that must still be blocked.
DURATION_SOURCES = [
    "Loans are repaid through payroll within five years. A 60-day rollover is allowed once per 12 months.",
    "You can avoid the tax by rolling over the offset amount by your tax-return due date. Form 1 of 2.",
]
DURATION_ROWS = [
    ("Loans are repaid within 5 years.", []),
    ("Loans are repaid over a five-year period.", []),
    ("You have 60 days to finish the rollover.", []),
    ("One rollover is allowed in any 12-month period.", []),
    ("Once a year you can make one rollover.", []),
    ("You have 1 year to roll the offset amount over.", ["1 year"]),
    ("Loans are repaid within 10 years.", ["10", "10 years"]),
    ("You have 2 months to finish the rollover.", ["2 months"]),
    ("You have 60 weeks to finish the rollover.", ["60 weeks"]),
]


@pytest.mark.parametrize("text,unsupported", DURATION_ROWS)
def test_a_length_of_time_needs_its_number_and_unit_in_a_source(text: str, unsupported: list[str]) -> None:
    assert unsupported_figures(text, DURATION_SOURCES, [], year=2026) == unsupported


def test_a_calculated_number_of_years_is_grounded() -> None:
    # "you have 7 years of vesting service": the calculator's input, not a source's wording
    assert unsupported_figures("You have 7 years of vesting service.", [], [7.0], year=2026) == []
    assert unsupported_figures("You have 8 years of vesting service.", [], [7.0], year=2026) == ["8", "8 years"]
