"""Plan provisions and IRS limits: validated data with correct 2026 figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.errors import BadInputError
from assistant.records.provisions import load_limits, load_plans

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_2026_limits_match_irs_notice_2025_67() -> None:
    limits = load_limits(KNOWLEDGE)[2026]
    assert limits.source == "IRS Notice 2025-67"
    expected = {
        "elective_deferral_402g": 24500,
        "catch_up_50_plus_414v": 8000,
        "catch_up_60_to_63_414v": 11250,
        "annual_additions_415c": 72000,
        "ira_contribution_219b": 7500,
        "ira_catch_up_219b5b": 1100,
        "compensation_401a17": 360000,
        "roth_catch_up_wage_threshold": 150000,
    }
    assert {k: limits.value(k) for k in expected} == expected
    assert [(r.born_from, r.born_to, r.age) for r in limits.ages.rmd_age_by_birth_year] == [
        (1951, 1959, 73),
        (1960, None, 75),
    ]


def test_every_dollar_figure_in_education_docs_is_a_known_limit() -> None:
    limits = load_limits(KNOWLEDGE)[2026]
    known = {v.value for v in limits.limits.values()} | {v.previous_year for v in limits.limits.values()}
    totals = {24500 + 8000, 24500 + 11250, 7500 + 1100}
    text = (KNOWLEDGE / "general/contribution-limits-2026.md").read_text()
    figures = {float(m.replace(",", "")) for m in re.findall(r"\$([\d,]+)", text)}
    assert figures, "the document states figures"
    assert figures <= known | totals, figures - known - totals


def test_two_plans_that_differ_like_real_plans() -> None:
    plans = load_plans(KNOWLEDGE)
    acme, cedar = plans["acme-401k"], plans["cedar-403b"]
    assert (acme.plan_type, cedar.plan_type) == ("401k", "403b")
    assert acme.match.max_match_pct == 4 and acme.match.full_match_deferral_pct == 5 and acme.match.true_up
    assert cedar.match.max_match_pct == 3 and cedar.match.full_match_deferral_pct == 6 and not cedar.match.true_up
    assert acme.auto_enrollment.enabled and acme.auto_escalation.enabled and not cedar.auto_enrollment.enabled
    assert acme.roth.available and not cedar.roth.available
    assert [s.pct for s in acme.vesting.schedule] == [100]
    assert [s.pct for s in cedar.vesting.schedule] == [0, 20, 40, 60, 80, 100]
    assert (acme.loans.max_outstanding, cedar.loans.max_outstanding) == (2, 1)


@pytest.mark.parametrize("plan_id", ["acme-401k", "cedar-403b"])
def test_every_provision_section_exists_in_the_spd(plan_id: str) -> None:
    plan = load_plans(KNOWLEDGE)[plan_id]
    spd = (KNOWLEDGE / "plans" / plan_id / "spd.md").read_text()
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.?\s", spd, flags=re.M))
    data = plan.model_dump()
    sections = {v["section"] for v in data.values() if isinstance(v, dict) and "section" in v}
    sections |= set(plan.sections.values()) | {plan.match.true_up_section, plan.vesting.own_contributions_section}
    assert sections <= headings, sections - headings


def test_bad_provisions_name_the_file_and_field(tmp_path: Path) -> None:
    src = yaml.safe_load((KNOWLEDGE / "plans/acme-401k/provisions.yaml").read_text())
    src["match"]["tiers"][0]["rate"] = "lots"
    (tmp_path / "plans/acme-401k").mkdir(parents=True)
    (tmp_path / "plans/acme-401k/provisions.yaml").write_text(yaml.safe_dump(src))
    with pytest.raises(BadInputError, match=r"provisions.yaml: field 'match.tiers.0.rate'"):
        load_plans(tmp_path)


def test_unknown_provision_field_is_rejected(tmp_path: Path) -> None:
    src = yaml.safe_load((KNOWLEDGE / "plans/cedar-403b/provisions.yaml").read_text())
    src["loans"]["max_outstandng"] = 3
    (tmp_path / "plans/cedar-403b").mkdir(parents=True)
    (tmp_path / "plans/cedar-403b/provisions.yaml").write_text(yaml.safe_dump(src))
    with pytest.raises(BadInputError, match=r"loans\.max_outstandng"):
        load_plans(tmp_path)
