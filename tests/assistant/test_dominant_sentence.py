"""When no sentence reaches the relevance gate's threshold, one that stands well above every other
candidate is still the answer (`DOMINANT_MIN`, `DOMINANT_MARGIN` in extractive.py); a close field is
"I don't know" with the contact."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.decisions.drafts import Blocks, ComposeContext
from assistant.decisions.extractive import DOMINANT_MARGIN, DOMINANT_MIN, extractive
from assistant.decisions.relevance import Candidate

SENTENCES = [
    "You don't report Roth IRA contributions on your return.",
    "Roth IRA contributions are made with money that was already taxed.",
]


class _Weights:
    keep = 0.9

    def passes(self, candidate: Candidate, passages: list[dict[str, Any]]) -> bool:
        return False  # nothing reaches the gate's own threshold


class ScriptedGate:
    """The gate's ranking, scripted: (probability of the first sentence, of the second)."""

    def __init__(self, first: float, second: float) -> None:
        self.weights = _Weights()
        self.probabilities = (first, second)

    def score(
        self, query: str, passages: list[dict[str, Any]], ignore: frozenset[str] = frozenset()
    ) -> tuple[list[Candidate], dict[int, list[str]]]:
        ranked = [Candidate(0, n, s, p) for n, (s, p) in enumerate(zip(SENTENCES, self.probabilities, strict=True))]
        return sorted(ranked, key=lambda c: -c.probability), {0: SENTENCES}


def _ctx() -> ComposeContext:
    passage = {
        "text": " ".join(SENTENCES),
        "citation_id": "general/p590a_2025#p40",
        "metadata": {"title": "2025 Publication 590-A", "page": 40, "plan_id": "general"},
    }
    return ComposeContext(
        intent="roth",
        text="Do I report my Roth IRA contributions on my tax return?",
        query="Do I report my Roth IRA contributions on my tax return?",
        plan=None,
        figures={},
        passages=[passage],
        route_method="rule",
        route_confidence=1.0,
    )


def test_the_same_sentence_in_another_publication_is_no_rival() -> None:
    """Pub 590-A prints "don\u2019t", 590-B "don't": one sentence, not a close second."""
    gate = ScriptedGate(0.30, 0.20)
    gate.score = lambda query, passages, ignore=frozenset(): (  # type: ignore[method-assign]
        [
            Candidate(0, 0, "You don\u2019t report Roth IRA contributions on your return.", 0.30),
            Candidate(0, 0, "You don't report Roth IRA contributions on your return.", 0.20),
            Candidate(0, 1, SENTENCES[1], 0.04),
        ],
        {0: SENTENCES},
    )
    assert extractive(gate, Blocks(), _ctx()).action == "answer"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "second", "answered"),
    [
        (0.36, 0.09, True),  # irs/roth-contrib-on-return on the dev half
        (DOMINANT_MIN, DOMINANT_MIN - DOMINANT_MARGIN, True),  # at both bounds
        (DOMINANT_MIN - 0.01, 0.0, False),  # too weak however alone
        (0.36, 0.36 - DOMINANT_MARGIN + 0.02, False),  # a close second: not plainly the answer
    ],
)
def test_a_sentence_well_above_the_rest_answers(first: float, second: float, answered: bool) -> None:
    drafted = extractive(ScriptedGate(first, second), Blocks(), _ctx())  # type: ignore[arg-type]
    if answered:
        assert drafted.action == "answer"
        assert drafted.text.startswith("2025 Publication 590-A, page 40: You don't report Roth IRA contributions")
        assert drafted.citations == ["general/p590a_2025#p40"]
    else:
        assert (drafted.action, drafted.reason) == ("escalate", "no_source")


def test_an_aside_from_another_unanchored_passage_needs_aside_min() -> None:
    from assistant.decisions.extractive import ASIDE_MIN, choose

    first = Candidate(0, 0, "The answer sentence of the best passage.", 0.6)
    own = Candidate(0, 1, "Another sentence of the same passage.", ASIDE_MIN - 0.05)
    aside = Candidate(1, 0, "A sentence of another passage that is not anchored.", ASIDE_MIN - 0.01)
    anchored = Candidate(2, 0, "A sentence of the routed topic's own anchored section.", ASIDE_MIN - 0.01)
    chosen = choose([first, own, aside, anchored], keep=0.1, anchored=frozenset({2}))
    assert chosen == [first, own, anchored]
    # at ASIDE_MIN the aside is kept
    near = Candidate(1, 0, "A sentence of another passage that is not anchored.", ASIDE_MIN)
    assert near in choose([first, near], keep=0.1)
