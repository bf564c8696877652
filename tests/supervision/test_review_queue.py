"""The review loop on real turns: `beacon review sample | list | show | decide` over the audit
trail of a running Beacon (real guard, index and audit chain)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from assistant.surfaces.cli import review as review_cli
from guardrails.audit import canonical

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def turns(service):  # type: ignore[no-untyped-def]
    """A day of real turns: answers, an escalation (talk to a person), a refusal, a copilot turn."""
    run = service.run
    out = {
        "answer": run("How much can I borrow from my 401(k)?", "A-1002"),
        "vesting": run("Am I vested?", "A-1002"),
        "escalate": run("I want to talk to a person", "A-1002"),
        "refuse": run("Which fund should I buy to get rich?", "A-1002"),
        "copilot": run("What is the loan fee?", "A-1002", channel="copilot"),
    }
    assert out["escalate"].action == "escalate" and out["refuse"].action == "refuse"
    return out


def test_sample_list_show_decide_and_check(service, turns, run_beacon, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = service.deps.settings.data_dir
    day = dt.datetime.now(dt.UTC).date().isoformat()  # the turns' own (real) timestamps
    code, out, err = run_beacon(data, "review", "sample", "--day", day, "--seed", "20261122", "--by", "test")
    assert code == 0, err
    assert "seed 20261122" in out and turns["escalate"].turn_id in out
    sample = next(r for r in service.deps.audit.iter_records() if r.get("kind") == "review_sample" and r["day"] == day)
    why = {i["turn_id"]: i["why"] for i in sample["items"]}
    assert why[turns["escalate"].turn_id] == "escalated"
    assert sample["seed"] == 20261122 and sample["policy_version"] == service.deps.guard.version
    assert sample["population"]["participant"] >= 4 and sample["population"]["copilot"] >= 1
    # the copilot channel is topped up to its minimum (policy: min_per_channel 2; it had >= 1 turn)
    assert any(i["channel"] == "copilot" for i in sample["items"])

    # a second draw for the same day is refused; the recorded one reproduces from its seed
    code, _, err = run_beacon(data, "review", "sample", "--day", day)
    assert code == 2 and "already drawn" in err
    code, out, _ = run_beacon(data, "review", "sample", "--day", day, "--check")
    assert code == 0 and "reproduced from seed 20261122" in out

    code, out, _ = run_beacon(data, "review", "list", "--json")
    queue = {i["turn_id"]: i for i in json.loads(out)}
    assert queue[turns["escalate"].turn_id]["status"] == "open"

    code, out, _ = run_beacon(data, "review", "show", turns["escalate"].turn_id, "--json")
    view = json.loads(out)
    assert view["in_sample"]["why"] == "escalated" and view["shown"]["action"] == "escalate"
    assert view["input"]["redacted_text"] == "I want to talk to a person" and view["input"]["classification"]

    # the turn with passages and figures, as the participant saw it
    code, out, _ = run_beacon(data, "review", "show", turns["answer"].turn_id)
    assert code == 0
    assert "Largest new loan you could take: $20,150.00" in out and "acme-401k/spd#7.1" in out
    assert "passages" in out and "(no longer in the index)" not in out and "output." in out

    # a verdict with a note holding an SSN: the note is redacted before it is stored
    guard = service.deps.guard
    monkeypatch.setattr(review_cli, "_redactor", lambda: lambda t: guard.redact(t).text)
    code, out, err = run_beacon(
        data,
        "review",
        "decide",
        turns["escalate"].turn_id,
        "--verdict",
        "issue",
        "--category",
        "tone",
        "--note",
        "Caller gave SSN 123-45-6789; reply was curt",
        "--reviewer",
        "rita",
    )
    assert code == 0, err
    review = next(
        r
        for r in service.deps.audit.iter_records()
        if r.get("kind") == "review" and r["reviewed_turn"] == turns["escalate"].turn_id
    )
    assert review["verdict"] == "issue" and review["category"] == "tone" and review["reviewer"] == "rita"
    assert "123-45-6789" not in canonical(review) and "[US_SSN" in review["note"]
    code, out, _ = run_beacon(data, "review", "list", "--json")
    assert turns["escalate"].turn_id not in {i["turn_id"] for i in json.loads(out)}  # no longer open
    code, out, _ = run_beacon(data, "review", "list", "--decided")
    assert turns["escalate"].turn_id in out and "issue/tone" in out

    # bad verdicts: exit 2 with one sentence
    code, _, err = run_beacon(
        data, "review", "decide", turns["vesting"].turn_id, "--verdict", "issue", "--note", "x", "--reviewer", "rita"
    )
    assert code == 2 and "needs a category" in err
    code, _, err = run_beacon(data, "review", "decide", "nope", "--verdict", "ok", "--reviewer", "rita")
    assert code == 2 and "No conversation turn 'nope'" in err
    code, _, err = run_beacon(
        data, "review", "decide", turns["vesting"].turn_id, "--verdict", "needs-policy-change", "--reviewer", "rita"
    )
    assert code == 2 and "needs a note" in err
    # the chain still verifies with the new record kinds in it
    assert service.deps.audit.verify().ok
