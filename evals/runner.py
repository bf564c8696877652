"""Run suites through the real turn service (the same graph as the chat), one fresh thread per
case; independent cases run concurrently."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import BeaconError
from evals.checks import judge
from evals.models import Case, Suite


@dataclass
class TurnOutcome:
    user: str
    result: dict[str, Any] | None
    failures: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class CaseOutcome:
    suite: str
    suite_file: str
    case_id: str
    policy: str
    passed: bool
    failures: list[str]
    turns: list[TurnOutcome]
    latency_ms: float
    rules: list[str]
    backend: str
    status: str | None = None
    """against a baseline: new | fixed | regressed | unchanged"""

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.case_id}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["key"] = self.key
        for t in d["turns"]:
            if t["result"]:
                t["result"].pop("_allowed_phrases", None)
        return d


def _allowed_phrases(service: Any, plan_id: str | None) -> list[str]:
    plan = service.deps.plans.get(plan_id) if plan_id else None
    return [plan.contact.phone, plan.contact.portal, plan.contact.hours] if plan else []


def run_case(service: Any, suite: Suite, path: Path, case: Case) -> CaseOutcome:
    participant = case.participant if case.participant is not None else suite.defaults.participant
    plan = case.plan if case.plan is not None else suite.defaults.plan
    channel = case.channel or suite.defaults.channel
    thread: str | None = None
    turns: list[TurnOutcome] = []
    failures: list[str] = []
    for n, (turn, expect) in enumerate(zip(case.turns, case.expectations(), strict=True), start=1):
        try:
            result = service.run(
                turn.user, participant=participant, plan=plan, thread_id=thread, channel=channel, offer_nudges=True
            )
        except BeaconError as e:
            turns.append(TurnOutcome(turn.user, None, [f"turn {n} could not run: {e}"], str(e)))
            failures.append(f"turn {n} could not run: {e}")
            break
        thread = result["thread_id"]
        plan_id = plan or (service.deps.participants.get(participant).plan_id if participant else None)
        result["_allowed_phrases"] = _allowed_phrases(service, plan_id)
        turn_failures = judge(expect, result, service.deps.guard.pii) if expect else []
        prefix = f"turn {n}: " if len(case.turns) > 1 else ""
        failures += [prefix + f for f in turn_failures]
        turns.append(TurnOutcome(turn.user, result, turn_failures))
    latency = sum(t.result["latency_ms"] for t in turns if t.result)
    return CaseOutcome(
        suite.suite,
        str(path),
        case.id,
        case.policy,
        not failures,
        failures,
        turns,
        round(latency, 1),
        case.rules,
        service.deps.drafter.backend_id,
    )


def prepare_suites(deps: Any, suites: list[tuple[Path, Suite]]) -> tuple[list[tuple[Path, Suite]], list[str]]:
    """Ingest what each suite's `setup` names; a suite whose documents are absent is skipped with
    the reason (it cannot be judged). Returns the runnable suites and one message per setup step."""
    from assistant.retrieval.indexing.ingest import ingest
    from assistant.settings import PROJECT_ROOT

    runnable: list[tuple[Path, Suite]] = []
    messages: list[str] = []
    for path, suite in suites:
        ok = True
        for step in suite.setup.ingest if suite.setup else []:
            target = Path(step.path)
            if not target.is_absolute() and not target.exists():
                target = PROJECT_ROOT / step.path
            if not target.exists():
                messages.append(f"skipped suite {suite.suite} ({path}): setup path {step.path} is absent")
                ok = False
                break
            report = ingest([target], deps.index, deps.embedder, plan=step.plan, doc_type=step.doc_type, progress=False)
            rejected = [f"{f.path}: {f.reason}" for f in report.files if f.status == "rejected"]
            messages.append(
                f"suite {suite.suite}: ingested {step.path} ({report.count('added')} added, {report.count('updated')}"
                f" updated, {report.count('unchanged')} unchanged, {len(rejected)} rejected)"
                + "".join(f"\n  rejected {r}" for r in rejected)
            )
        if ok:
            runnable.append((path, suite))
    return runnable, messages


def run_suites(service: Any, suites: list[tuple[Path, Suite]], workers: int = 2) -> list[CaseOutcome]:
    jobs = [(suite, path, case) for path, suite in suites for case in suite.cases]
    with cf.ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="eval") as pool:
        futures = [pool.submit(run_case, service, suite, path, case) for suite, path, case in jobs]
        return [f.result() for f in futures]
