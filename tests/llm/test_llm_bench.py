"""`make bench-llm`: the scoring of a reply against its labels, the independent figure check, the
guard outcome of each draft, and a two-question run of both backends against a real local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.tooling.llm_bench import Question, Recorder, interleave, labelled_questions, merged, run_backend
from assistant.tooling.llm_bench_report import draft_outcome, figure_check, score_labelled, summarise, table

UNITS = [{"expect": "answer", "facts": [["$24,500"], ["catch-up"]]}]


@pytest.mark.parametrize(
    "units,result,relevant,irrelevant,behaved",
    [
        (UNITS, {"action": "answer", "answer": "The limit is $24,500."}, True, False, None),
        (UNITS, {"action": "answer", "answer": "IRAs have other fees."}, False, True, None),
        (UNITS, {"action": "escalate", "reason": "no_source", "answer": "I couldn't find it."}, False, False, None),
        (
            [{"expect": "advice", "facts": []}],
            {"action": "refuse", "reason": "advice", "answer": "..."},
            False,
            False,
            True,
        ),
        (
            [{"expect": "out_of_scope", "facts": []}],
            {"action": "answer", "answer": "Loans cost $75."},
            False,
            True,
            False,
        ),
        # the 988 check-in before an answer with its citations is an answer, relevant or not
        (
            [{"expect": "answer", "facts": [["notary"]]}],
            {
                "action": "escalate",
                "reason": "crisis_check_in",
                "answer": "Call 988. A notary witnesses it.",
                "citations": ["acme-401k/spd#10"],
            },
            True,
            False,
            None,
        ),
        (
            [{"expect": "answer", "facts": [["notary"]]}],
            {
                "action": "escalate",
                "reason": "crisis_check_in",
                "answer": "Call 988. Loans cost $75.",
                "citations": ["acme-401k/spd#7"],
            },
            False,
            True,
            None,
        ),
        # ... but a check-in before "I couldn't find this" (no citation) is not
        (
            [{"expect": "answer", "facts": [["notary"]]}],
            {
                "action": "escalate",
                "reason": "crisis_check_in",
                "answer": "Call 988. I couldn't find this.",
                "citations": [],
            },
            False,
            False,
            None,
        ),
    ],
)
def test_a_reply_is_scored_against_its_labels(units, result, relevant: bool, irrelevant: bool, behaved) -> None:  # type: ignore[no-untyped-def]
    score = score_labelled(units, result)
    assert (score["relevant"], score["irrelevant"], score["behaved"]) == (relevant, irrelevant, behaved)


def test_figures_are_checked_against_the_calculators_and_sources() -> None:
    figures = [{"name": "annual_match_missed", "value": 1440.38, "unit": "USD"}]
    ok = figure_check("You miss about $1,440 a year; the limit is $24,500.", figures, ["limit $24,500"])
    assert ok == {"calculated": True, "stated": ["$1,440"], "wrong": []}
    bad = figure_check("You miss $1,500 a year, 7% of pay.", figures, ["limit $24,500"])
    assert bad["stated"] == [] and bad["wrong"] == ["$1,500", "7%"]
    # a change is stated as an amount: "-76.15" is "$76.15 less" (the what-if replies counted as wrong)
    change = [{"name": "contribution_change_per_paycheck", "value": -76.15, "unit": "USD"}]
    assert figure_check("about $76.15 less from each paycheck", change, [])["wrong"] == []
    assert figure_check("about $76.51 less from each paycheck", change, [])["wrong"] == ["$76.51"]


def _row(source: str | None, decision: str = "allow", rejected: list[str] | None = None, fallback: str | None = None):  # type: ignore[no-untyped-def]
    return {
        "draft_source": source,
        "guard_decision": decision,
        "rejected_by_guard": rejected or [],
        "rejected_findings": [{"rule_id": r} for r in rejected or [] if r != "output.tax_disclaimer"],
        "fallback_reason": fallback,
        "latency_ms": 100.0,
        "figures": {"calculated": False, "stated": [], "wrong": []},
    }


def test_each_draft_outcome_is_counted_with_its_reason() -> None:
    rows = [
        _row("llm"),
        _row("llm", "transform"),
        _row("composer", rejected=["output.unsupported_citation", "output.tax_disclaimer"]),
        _row("composer", fallback="OpenAITimeoutError: Request timed out."),
        _row("composer", fallback="unusable reply: the reply contains no JSON object"),
        _row("composer"),
    ]
    assert [draft_outcome(r) for r in rows] == ["passed", "transformed", "blocked", "fallback", "fallback", "not asked"]
    s = summarise(rows)
    assert s["blocked_by_rule"] == {"output.unsupported_citation": 1}  # a transform is no reason to block
    assert s["fallbacks"] == {"timeout": 1, "unusable reply (no JSON)": 1}
    lines = table(s, s, "model")
    assert "LLM drafts: 5 asked of 6 turns" in lines[-3] and "blocked 20% (1/5)" in lines[-3]


def test_a_run_made_in_chunks_is_reported_as_one(tmp_path: Path) -> None:
    import json

    def report(name: str, keys: list[str], rows: list[dict], prompt_version: int = 2) -> Path:
        body = {
            "model": "qwen",
            "prompt": {"name": "draft_answer", "version": prompt_version},
            "questions": len(keys),
            "composer": [{**r, "key": k} for k, r in zip(keys, rows, strict=True)],
            "llm": [{**r, "key": k} for k, r in zip(keys, rows, strict=True)],
        }
        path = tmp_path / name
        path.write_text(json.dumps(body))
        return path

    a = report("a.json", ["fiqa/1", "irs/2"], [_row("llm"), _row("composer", fallback="unsupported sentence: x")])
    b = report("b.json", ["suite/x#1"], [_row("composer", rejected=["output.ungrounded_figure"])])
    lines = merged([a, b])
    assert "on 3 questions in 2 chunks (3 turns)" in lines[0]
    drafts = next(line for line in lines if line.startswith("LLM drafts"))
    assert "3 asked of 3 turns" in drafts and "blocked 33% (1/3)" in drafts and "fallback 33% (1/3)" in drafts
    with pytest.raises(SystemExit, match="two of the reports"):
        merged([a, a])
    with pytest.raises(SystemExit, match="different models or prompts"):
        merged([a, report("c.json", ["irs/9"], [_row("llm")], prompt_version=3)])


def test_the_labelled_sample_is_the_test_half_in_a_fixed_order() -> None:
    first = labelled_questions()
    assert first and all(q.key.startswith(("fiqa/", "irs/")) for q in first)
    assert [q.key for q in labelled_questions()] == [q.key for q in first]
    from evals.answer_sets import split_for

    assert all(split_for(q.key.split("/", 1)[1]) == "test" for q in first)
    mixed = interleave([Question("a1", "fiqa"), Question("a2", "fiqa")], [Question("b1", "irs")])
    assert [q.key for q in mixed] == ["a1", "b1", "a2"]


@pytest.mark.slow
def test_both_backends_answer_the_same_questions_against_a_real_server(models, llm_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from assistant.services.turn_service import TurnService
    from assistant.settings import LLMSettings
    from assistant.tooling.eval_turns import EvalTurns
    from tests.conftest import make_deps

    questions = [
        Question(
            "t/ira",
            "fiqa",
            "can I take money out of my traditional IRA at 40 without the 10% penalty?",
            [{"expect": "answer", "facts": [["10% additional tax"]]}],
        ),
        Question(
            "t/rollover",
            "irs",
            "Can I roll over my 401(k) into an IRA when I leave my job?",
            [{"expect": "answer", "facts": [["rollover", "roll over"]]}],
        ),
    ]
    offline = make_deps(tmp_path / "data", models, guard_timeout_s=60)
    composer = run_backend(EvalTurns(TurnService(offline)), None, questions, "composer")
    llm = make_deps(
        tmp_path / "data",
        models,
        ingest=False,
        roster=False,
        backend="llm",
        guard_timeout_s=60,
        llm=LLMSettings(base_url=llm_server, timeout_s=60, max_retries=0),
    )
    recorder = Recorder(llm)
    rows = run_backend(EvalTurns(TurnService(llm)), recorder, questions, "gemma")
    assert [r["key"] for r in rows] == [r["key"] for r in composer] == ["t/ira", "t/rollover"]
    assert all(r["draft_source"] == "composer" and r["llm_draft"] is None for r in composer)
    for r in rows:
        outcome = draft_outcome(r)
        assert outcome in ("passed", "transformed", "blocked", "fallback")
        # a draft the model wrote is kept for reading, also one that fell back (with why), and a blocked one says why
        if outcome in ("passed", "transformed", "blocked"):
            assert r["llm_draft"] is not None and "fell_back" not in r["llm_draft"]
        elif r["llm_draft"] is not None:
            assert r["llm_draft"]["fell_back"] == r["fallback_reason"]
        assert (outcome == "blocked") == bool(r["rejected_findings"])
        assert r["figures"]["wrong"] == []  # whatever the model wrote, no unsupported figure is shown
    s = summarise(rows)
    assert sum(s["drafts"].values()) == 2 and s["answered_relevant"][1] == 2
