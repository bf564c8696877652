"""Which question a playbook is really asked: whether one kind of money is matched (match.py), money
coming into the plan in other words (leaving.py). Each reading beside a near-miss that keeps its old
route."""

from __future__ import annotations

import pytest

from assistant.decisions.playbooks.leaving import ROLL_IN
from assistant.decisions.playbooks.match import KIND_MATCHED


@pytest.mark.parametrize(
    ("text", "kind_asked"),
    [
        ("do my catch up dollars get a company match too?", True),
        ("Does my Roth money get matched?", True),
        ("Is overtime counted for the match?", True),
        ("how much does my employer match?", False),  # the person's figures answer this
        ("Does the match on my Roth money come to how much a year?", False),
        ("What would the company put in if I raised my catch-up?", False),  # no yes/no question
    ],
)
def test_a_kind_of_money_matched(text: str, kind_asked: bool) -> None:
    assert bool(KIND_MATCHED.search(text)) is kind_asked


@pytest.mark.parametrize(
    ("text", "roll_in"),
    [
        ("Can I fold my old employer's 401(k) into the Acme one?", True),
        ("can I merge my old 403b with this plan", True),
        ("can I roll my old 403b into this plan?", True),
        ("Can I roll my 401k into the one at my new employer?", False),  # money going out
        ("move my money into the new one", False),
    ],
)
def test_money_coming_into_the_plan(text: str, roll_in: bool) -> None:
    assert bool(ROLL_IN.search(text)) is roll_in
