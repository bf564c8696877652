"""Current rule over stale pages: a plan document that still states a law-driven figure the law has
changed (a 2020 page saying RMDs start at 72) is answered with today's rule, the page is said to
predate it, both are cited and the turn is flagged for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.decisions.stale_rules import current_sentences, load_rules, stale_statements
from assistant.errors import SettingsError
from assistant.records.provisions import load_limits
from assistant.retrieval.indexing.ingest import ingest
from assistant.services.turn_service import TurnService
from tests.conftest import ROOT, make_deps

LIMITS = load_limits(ROOT / "knowledge")[2026]
ALPINE = Path(__file__).parent / "fixtures/stale/alpine-spd-2020.md"


def passage(text: str, plan_id: str = "alpine-401k") -> dict:  # type: ignore[type-arg]
    return {"citation_id": f"{plan_id}/spd#1", "text": text, "metadata": {"plan_id": plan_id}}


@pytest.mark.parametrize(
    ("text", "intent", "rule", "stated"),
    [
        # stale: the law has changed since the page was written
        (
            "You must begin receiving required minimum distributions by April 1 of the year after you reach age 72.",
            "rmd",
            "rmd_age",
            72,
        ),
        ("Required minimum distributions start when you reach age 70½ or retire, if later.", "rmd", "rmd_age", 70.5),
        ("RMDs must begin by April 1 following the year you turn 70 1/2.", "distributions", "rmd_age", 70.5),
        (
            "For 2024 the law limits your own contributions to $23,000.",
            "contribution_limit",
            "elective_deferral_limit",
            23000,
        ),
        (
            "You may contribute up to $19,500 of your pay each year.",
            "contribution_limit",
            "elective_deferral_limit",
            19500,
        ),
        (
            "If you are 50 or older you may contribute up to $7,500 more as catch-up contributions.",
            "catch_up",
            "catch_up_limit",
            7500,
        ),
        # current, or not a statement of the rule: never flagged
        ("Required minimum distributions must begin by April 1 after the year you reach age 73.", "rmd", None, None),
        (
            "Your RMD age is 73 if you were born from 1951 through 1959 and 75 if you were born in 1960 or later.",
            "rmd",
            None,
            None,
        ),
        ("If you reached age 72 in 2022, your required minimum distributions have already started.", "rmd", None, None),
        ("If you were born before July 1, 1949, RMDs began at age 70½.", "rmd", None, None),
        (
            "You can make a qualified charitable distribution from age 70½ instead of taking your RMD.",
            "rmd",
            None,
            None,
        ),
        ("For 2026 the law limits your own contributions to $24,500.", "contribution_limit", None, None),
        ("Catch-up contributions of up to $8,000, or $11,250 at ages 60 to 63, are allowed.", "catch_up", None, None),
        (
            "If your 2025 wages were more than $150,000, your catch-up contributions must be Roth.",
            "catch_up",
            None,
            None,
        ),
        ("The total of your and the employer's contributions cannot exceed $72,000.", "contribution_limit", None, None),
        # a stale figure, but not what was asked about
        (
            "You must begin receiving required minimum distributions by April 1 after you reach age 72.",
            "loan",
            None,
            None,
        ),
    ],
)
def test_stale_statements(text: str, intent: str, rule: str | None, stated: float | None) -> None:
    found = stale_statements([passage(text)], LIMITS, intent)
    assert [(s.rule.id, s.stated) for s in found] == ([(rule, stated)] if rule else [])


def test_general_education_and_unshown_sentences_are_never_flagged() -> None:
    old = "You must begin receiving required minimum distributions by April 1 after you reach age 72."
    assert stale_statements([passage(old, plan_id="general")], LIMITS, "rmd") == []
    assert stale_statements([passage(old)], LIMITS, "rmd", shown="Something else entirely.") == []
    assert len(stale_statements([passage(old)], LIMITS, "rmd", shown=f"Plan, section 9: {old}")) == 1


def test_the_current_sentence_is_the_one_with_todays_figure() -> None:
    rmd = next(r for r in load_rules() if r.id == "rmd_age")
    text = (ROOT / "knowledge/general/required-minimum-distributions.md").read_text()
    section = text.split("## 2. RMD age by year of birth", 1)[1].split("## 3.", 1)[0]
    assert current_sentences(rmd, section, LIMITS) == [
        "If you were born from 1951 through 1959, your RMD age is 73.",
        "If you were born in 1960 or later, your RMD age is 75.",
    ]


def test_a_bad_rules_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "stale_rules.yaml"
    bad.write_text(
        "- {id: x, what: y, about: 'a', figure: '(b', range: [1, 2], current: [z], general: general/a#1, intents: [rmd]}\n"
    )
    with pytest.raises(SettingsError, match=r"stale_rules\.yaml"):
        load_rules(bad)
    bad.write_text(
        "- {id: x, what: y, about: 'a', figure: 'b', range: [1, 2], current: [], general: general/a#1, intents: [rmd]}\n"
    )
    with pytest.raises(SettingsError, match="current"):
        load_rules(bad)


@pytest.fixture(scope="module")
def alpine(models, tmp_path_factory) -> TurnService:  # type: ignore[no-untyped-def]
    """General education plus a 2020 plan booklet, in a fresh data dir."""
    deps = make_deps(tmp_path_factory.mktemp("stale") / "data", models, ingest=False, roster=False)
    ingest([ROOT / "knowledge/general", ALPINE], deps.index, deps.embedder, progress=False)
    return TurnService(deps)


def test_a_2020_page_saying_rmds_start_at_72_is_answered_with_todays_rule(alpine: TurnService) -> None:
    out = alpine.run("When do I have to start taking required minimum distributions?", plan="alpine-401k")
    assert out.action == "answer"
    assert out.answer.startswith("Your plan's document states a rule that the law has since changed.")
    assert "If you were born from 1951 through 1959, your RMD age is 73." in out.answer
    assert "If you were born in 1960 or later, your RMD age is 75." in out.answer
    assert "section 9.1, effective 2020-01-01, predates this rule" in out.answer
    assert out.answer.count("reach age 72") == 1  # quoted once, as the stale statement, not as the answer
    assert out.answer.index("RMD age is 73") < out.answer.index("reach age 72")
    cited = [c.id for c in out.citations]
    assert "general/rmd#2" in cited and "alpine-401k/spd#9.1" in cited
    assert out.review == {"reason": "stale_document", "citations": ["alpine-401k/spd#9.1", "general/rmd#2"]}
    assert alpine.deps.audit.get(out.turn_id)["review"]["reason"] == "stale_document"  # and in the audit record


def test_a_current_plan_page_is_not_flagged(service: TurnService) -> None:
    out = service.run("When do required minimum distributions start?", participant="C-2006")
    assert out.action == "answer" and out.review is None
