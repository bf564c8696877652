"""The answer bench's halves and its report (the full run is `make bench`)."""

from __future__ import annotations

from assistant.tooling.answer_bench import answer_report, questions


def test_the_dev_and_test_halves_are_disjoint_and_cover_every_set() -> None:
    dev, test = list(questions("dev")), list(questions("test"))
    assert not {q.key for q in dev} & {q.key for q in test}
    assert {q.set for q in test} >= {"irs", "bundled"}  # fiqa needs ../shared/data
    assert all(q.plan for q in test if q.set == "bundled") and not any(q.plan for q in test if q.set == "irs")


def _row(set_: str, answerable: bool, relevant: bool, irrelevant: bool, behaved: bool | None = None) -> dict:  # type: ignore[type-arg]
    return {
        "set": set_,
        "score": {"answerable": answerable, "relevant": relevant, "irrelevant": irrelevant, "behaved": behaved},
    }


def test_the_report_counts_each_set_on_its_own_denominators() -> None:
    rows = [
        _row("irs", True, True, False),
        _row("irs", True, False, True),
        _row("irs", True, False, False),  # said "I don't know": neither relevant nor irrelevant
        _row("irs", False, False, False, behaved=True),
    ]
    lines = answer_report(rows, "test")
    irs = next(line for line in lines if line.strip().startswith("irs"))
    assert "33.3% (1/3)" in irs and "25.0% (1/4)" in irs and "100.0% (1/1)" in irs
    assert any("fiqa" in line and "skipped" in line for line in lines)
