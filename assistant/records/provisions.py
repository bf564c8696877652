"""Structured plan provisions (`knowledge/plans/<plan>/provisions.yaml`) and IRS limits by year.

Both are validated by pydantic with `extra="forbid"` so a typo fails at load with the file and
field named, never mid-conversation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import BadInputError, NotFoundError

HardshipReason = Literal[
    "medical",
    "principal_residence_purchase",
    "tuition",
    "eviction_foreclosure",
    "funeral",
    "casualty_repair",
    "federal_disaster",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(Strict):
    phone: str
    portal: str
    hours: str


class Eligibility(Strict):
    min_age: int = Field(ge=0, le=21)
    deferral_wait_months: int = Field(ge=0, le=12)
    match_wait_months: int = Field(ge=0, le=24)
    match_min_age: int = Field(default=0, ge=0, le=21)
    section: str


class AutoEnrollment(Strict):
    enabled: bool
    default_rate_pct: float | None = Field(default=None, ge=0, le=15)
    opt_out_window_days: int | None = None
    section: str


class AutoEscalation(Strict):
    enabled: bool
    step_pct: float | None = Field(default=None, gt=0, le=5)
    cap_pct: float | None = Field(default=None, gt=0, le=15)
    effective: str | None = None
    section: str


class Contributions(Strict):
    min_pct: float = Field(ge=0)
    max_pct: float = Field(le=100)
    roth_available: bool
    section: str


class MatchTier(Strict):
    up_to_pct: float = Field(gt=0, le=100, description="upper end of the deferral slice, % of pay")
    rate: float = Field(gt=0, le=2, description="employer dollars per employee dollar in the slice")


class Match(Strict):
    tiers: list[MatchTier] = Field(min_length=1)
    true_up: bool
    safe_harbor: bool
    eligible_pay: str
    section: str
    true_up_section: str

    @property
    def full_match_deferral_pct(self) -> float:
        return self.tiers[-1].up_to_pct

    @property
    def max_match_pct(self) -> float:
        lower, total = 0.0, 0.0
        for tier in self.tiers:
            total += (tier.up_to_pct - lower) * tier.rate
            lower = tier.up_to_pct
        return total


class VestingStep(Strict):
    years: int = Field(ge=0, le=10)
    pct: float = Field(ge=0, le=100)


class Vesting(Strict):
    schedule: list[VestingStep] = Field(min_length=1)
    section: str
    own_contributions_section: str
    full_on_death: bool = False
    """the employer money becomes fully vested if the person dies while employed (the section says so)"""


class Loans(Strict):
    available: bool
    min_amount: float = Field(ge=0)
    max_outstanding: int = Field(ge=0)
    origination_fee: float = Field(ge=0)
    max_term_years: int = Field(ge=1, le=5)
    residence_term_years: int = Field(ge=1, le=30)
    interest: str
    section: str


class Hardship(Strict):
    available: bool
    reasons: list[HardshipReason]
    sources: str
    section: str


class EmergencyWithdrawal(Strict):
    available: bool
    max_amount: float = Field(ge=0, le=1000)
    section: str


class Roth(Strict):
    available: bool
    in_plan_conversion: bool
    section: str


class CatchUp(Strict):
    available: bool
    super_catch_up_60_63: bool
    roth_required_above_wage_threshold: bool
    section: str


class Distributions(Strict):
    options: list[
        Literal[
            "stay_in_plan",
            "rollover_to_plan",
            "rollover_to_ira",
            "lump_sum",
            "installments",
            "partial",
        ]
    ]
    stay_in_plan_min_balance: float
    section: str


class Fees(Strict):
    recordkeeping_per_quarter: float = Field(ge=0)
    loan_origination: float = Field(ge=0)
    distribution: float = Field(ge=0)
    section: str


class PlanProvisions(Strict):
    """One plan's rules, each naming the SPD section it comes from."""

    plan_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    plan_name: str
    plan_type: Literal["401k", "403b", "457b"]
    sponsor: str
    spd_doc_id: str
    effective_date: dt.date
    version: str
    pay_periods_per_year: Literal[12, 24, 26, 52]
    contact: Contact
    eligibility: Eligibility
    auto_enrollment: AutoEnrollment
    auto_escalation: AutoEscalation
    contributions: Contributions
    match: Match
    vesting: Vesting
    loans: Loans
    hardship: Hardship
    in_service_age: float
    emergency_expense_withdrawal: EmergencyWithdrawal
    roth: Roth
    catch_up: CatchUp
    distributions: Distributions
    fees: Fees
    sections: dict[
        Literal[
            "beneficiaries",
            "rmd",
            "in_service",
            "investments",
            "taxes",
            "loan_on_leaving",
            "contribution_limit",
            "rate_change",
            "loan_terms",
            "eligible_pay",
        ],
        str,
    ]
    advice_service: str | None

    @property
    def type_label(self) -> str:
        return {"401k": "401(k)", "403b": "403(b)", "457b": "457(b)"}[self.plan_type]


class Limit(Strict):
    value: float
    previous_year: float
    citation: str


class RmdAgeRow(Strict):
    born_from: int
    born_to: int | None
    age: int


class Ages(Strict):
    catch_up_min_age: int
    super_catch_up_ages: list[int]
    rmd_age_by_birth_year: list[RmdAgeRow]
    additional_tax_free_age: float
    separation_from_service_age: int


class IrsLimits(Strict):
    """The IRS figures of one tax year, with their source."""

    year: int
    source: str
    source_url: str
    limits: dict[str, Limit]
    ages: Ages

    def value(self, name: str) -> float:
        return self.limits[name].value


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise BadInputError(f"{path} cannot be read as YAML ({e}); fix the file and retry.") from e


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], path: Path) -> M:
    data = _load_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise BadInputError(f"{path}: field '{field}' is invalid ({err['msg']}); fix it and retry.") from e


def load_plans(knowledge_dir: Path) -> dict[str, PlanProvisions]:
    """Every `plans/*/provisions.yaml`, keyed by plan id."""
    plans: dict[str, PlanProvisions] = {}
    for path in sorted((knowledge_dir / "plans").glob("*/provisions.yaml")):
        plan = _validate(PlanProvisions, path)
        if plan.plan_id != path.parent.name:
            raise BadInputError(f"{path}: plan_id '{plan.plan_id}' must match its folder name '{path.parent.name}'.")
        plans[plan.plan_id] = plan
    return plans


def load_limits(knowledge_dir: Path) -> dict[int, IrsLimits]:
    """Every `irs/limits-<year>.yaml`, keyed by tax year."""
    out: dict[int, IrsLimits] = {}
    for path in sorted((knowledge_dir / "irs").glob("limits-*.yaml")):
        limits = _validate(IrsLimits, path)
        out[limits.year] = limits
    return out


def limits_for(limits: dict[int, IrsLimits], year: int) -> IrsLimits:
    if year not in limits:
        known = ", ".join(str(y) for y in sorted(limits)) or "none"
        raise NotFoundError(
            f"No IRS limits are loaded for {year} (known years: {known}); add knowledge/irs/limits-{year}.yaml."
        )
    return limits[year]
