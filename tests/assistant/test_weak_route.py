"""A playbook answers a topic reached by a distant nearest example only through the relevance gate:
"How secure is my 403(b)?" is nearest to a contribution-limit example (similarity under
`PLAYBOOK_ROUTE_MIN`) and used to get the 2026 limits; a keyword-routed limit question still gets
the playbook with its figures."""

from __future__ import annotations

import pytest

from assistant.decisions.composer import ALWAYS_PLAYBOOK, PLAYBOOK_ROUTE_MIN, weak_route
from assistant.decisions.drafts import Blocks, ComposeContext
from assistant.decisions.extractive import ANCHOR_ROUTE_MIN, extractive


def ctx(method: str, confidence: float) -> ComposeContext:
    return ComposeContext(
        intent="contribution_limit",
        text="q",
        query="q",
        plan=None,
        figures={},
        passages=[],
        route_method=method,
        route_confidence=confidence,
    )


@pytest.mark.parametrize(
    ("method", "confidence", "playbook", "weak"),
    [
        ("exemplar", PLAYBOOK_ROUTE_MIN - 0.01, "contribution_limit", True),
        ("exemplar", PLAYBOOK_ROUTE_MIN, "contribution_limit", False),  # at the bound: the playbook
        ("rule", 1.0, "contribution_limit", False),
        ("classifier", 0.4, "contribution_limit", False),
        ("inherited", 0.3, "loan", False),  # a follow-up keeps its topic's playbook
        *[("exemplar", 0.3, name, False) for name in sorted(ALWAYS_PLAYBOOK)],  # boundaries stay
    ],
)
def test_weak_route(method: str, confidence: float, playbook: str, weak: bool) -> None:
    assert weak_route(ctx(method, confidence), playbook) is weak


def test_a_distant_example_no_longer_brings_the_limits(service) -> None:  # type: ignore[no-untyped-def]
    out = service.run("How secure is my 403(b)?")
    assert "$24,500" not in out.answer, out.answer
    limit = service.run("What's the maximum I can contribute to my 403(b) this year?")
    assert limit.action == "answer" and "$24,500" in limit.answer


class RecordingGate:
    """Records the passages the extractive answer asks the gate about (and finds no answer)."""

    def __init__(self) -> None:
        self.seen: list[dict] = []  # type: ignore[type-arg]

    def score(self, query: str, passages: list[dict], ignore=frozenset()):  # type: ignore[no-untyped-def,type-arg]
        self.seen = passages
        return [], {}


@pytest.mark.parametrize(
    ("method", "confidence", "anchored"),
    [
        ("exemplar", ANCHOR_ROUTE_MIN - 0.01, False),  # a guessed topic: its sections are ordinary candidates
        ("exemplar", ANCHOR_ROUTE_MIN, True),
        ("rule", 1.0, True),
    ],
)
def test_a_guessed_topics_sections_get_no_anchor_threshold(method: str, confidence: float, anchored: bool) -> None:
    gate = RecordingGate()
    context = ctx(method, confidence)
    context.passages = [{"text": "The plan's rule.", "anchor": True, "metadata": {}}]
    drafted = extractive(gate, Blocks(), context)  # type: ignore[arg-type]
    assert drafted.reason == "no_source"
    assert gate.seen[0]["anchor"] is anchored


def test_a_document_set_without_provisions_keeps_its_own_anchors() -> None:
    """`beacon ingest --plan NEW` anchors the set's own best passages whatever the topic: no guess."""
    gate = RecordingGate()
    context = ctx("exemplar", ANCHOR_ROUTE_MIN - 0.2)
    context.passages = [{"text": "Spousal IRA rule.", "anchor": True, "metadata": {"plan_id": "irs-pubs"}}]
    extractive(gate, Blocks(), context)  # type: ignore[arg-type]
    assert gate.seen[0]["anchor"] is True
