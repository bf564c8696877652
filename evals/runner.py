"""Run suites through the real turn service (the same graph as the chat), one fresh thread per
case; independent cases run concurrently.

Beacon is driven through `TurnRunner` (implemented by `assistant.tooling.eval_turns.EvalTurns`):
the turn JSON of `beacon ask --json`, the plan's own contact phrases, the PII engine the checks
use, and ingestion for a suite's `setup`. So evals never import assistant."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from evals.checks import judge
from evals.errors import TurnFailed
from evals.models import Case, Suite


class TurnRunner(Protocol):
    """What the runner needs of Beacon."""

    backend_id: str
    pii: Any
    """the guard's PII engine (for `pii_absent`)"""

    def run(self, text: str, **scope: Any) -> dict[str, Any]:
        """One turn as the `beacon ask --json` object; raises `TurnFailed` when it cannot run."""
        ...

    def allowed_phrases(self, plan: str | None, participant: str | None) -> list[str]:
        """The plan's own contact phrases (phone, portal, hours), which are not PII."""
        ...

    def ingest(self, path: Path, plan: str | None, doc_type: str | None) -> tuple[dict[str, int], list[str]]:
        """Ingest documents: (counts by status, one 'path: reason' per rejected file)."""
        ...


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


def run_case(service: TurnRunner, suite: Suite, path: Path, case: Case) -> CaseOutcome:
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
        except TurnFailed as e:
            turns.append(TurnOutcome(turn.user, None, [f"turn {n} could not run: {e}"], str(e)))
            failures.append(f"turn {n} could not run: {e}")
            break
        thread = result["thread_id"]
        result["_allowed_phrases"] = service.allowed_phrases(plan, participant)
        turn_failures = judge(expect, result, service.pii) if expect else []
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
        service.backend_id,
    )


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def prepare_suites(service: TurnRunner, suites: list[tuple[Path, Suite]]) -> tuple[list[tuple[Path, Suite]], list[str]]:
    """Ingest what each suite's `setup` names; a suite whose documents are absent is skipped with
    the reason (it cannot be judged). Returns the runnable suites and one message per setup step."""
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
            counts, rejected = service.ingest(target, step.plan, step.doc_type)
            messages.append(
                f"suite {suite.suite}: ingested {step.path} ({counts.get('added', 0)} added, {counts.get('updated', 0)}"
                f" updated, {counts.get('unchanged', 0)} unchanged, {len(rejected)} rejected)"
                + "".join(f"\n  rejected {r}" for r in rejected)
            )
        if ok:
            runnable.append((path, suite))
    return runnable, messages


def run_suites(service: TurnRunner, suites: list[tuple[Path, Suite]], workers: int = 2) -> list[CaseOutcome]:
    jobs = [(suite, path, case) for path, suite in suites for case in suite.cases]
    with cf.ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="eval") as pool:
        futures = [pool.submit(run_case, service, suite, path, case) for suite, path, case in jobs]
        return [f.result() for f in futures]
