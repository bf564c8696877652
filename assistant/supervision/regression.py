"""Closing the loop: a turn a reviewer marked as an issue becomes, in one step, a regression case
appended to an eval suite file (docs/evals.md format), so the next `beacon eval run` checks it.

The case replays the conversation up to that turn from the audit (redacted inputs only: the
placeholders such as `[US_SSN_1]` stay placeholders), in the same plan, channel and, when the
participant's key still maps to a roster id, as the same participant. It expects what the reviewer
wrote: the action, text the answer must and must not contain. The file is validated with the eval
loader before it is written; a file that would not load is never left behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import BadInputError
from assistant.supervision.reviews import ReviewDesk, day_of
from assistant.supervision.sampling import is_turn

CASE_ID = re.compile(r"[^A-Za-z0-9_.:-]")


def case_from_review(desk: ReviewDesk, turn_id: str, participant_of: Callable[[str], str | None]) -> dict[str, Any]:
    """The eval case for a turn whose latest verdict is `issue`."""
    record = desk.turn(turn_id)
    reviews = desk.reviews_of(turn_id)
    if not reviews or reviews[-1]["verdict"] != "issue":
        latest = reviews[-1]["verdict"] if reviews else "none"
        raise BadInputError(
            f"Turn {turn_id} has no 'issue' verdict (latest: {latest}); record one with "
            "`beacon review decide TURN_ID --verdict issue --category C --note N --must TEXT`."
        )
    review = reviews[-1]
    expect: dict[str, Any] = {}
    if review.get("expected_action"):
        expect["action"] = review["expected_action"]
    if review.get("must_contain"):
        expect["contains_all"] = list(review["must_contain"])
    if review.get("must_not_contain"):
        expect["not_contains"] = list(review["must_not_contain"])
    if not expect:
        raise BadInputError(
            f"The verdict on turn {turn_id} says nothing a test can check; decide again with "
            "--expect-action, --must or --must-not."
        )
    expect["pii_absent"] = True
    earlier = [
        str(r["redacted_input"])
        for r in desk.audit.iter_records(thread_id=str(record["thread_id"]))
        if is_turn(r) and r["turn_id"] != turn_id and str(r.get("started_at")) < str(record.get("started_at"))
    ]
    key = record.get("participant_key")
    participant = participant_of(str(key)) if key else None
    case: dict[str, Any] = {
        "id": CASE_ID.sub("-", f"review-{turn_id[:16]}"),
        "policy": f"supervision-{review.get('category') or 'issue'}",
        "description": (
            f"From compliance review {review['turn_id']} by {review['reviewer']} on {str(review['at'])[:10]} of a "
            f"{record.get('channel')} turn on {day_of(record)} ({review.get('category')}): {review.get('note') or ''}"
        ).strip(),
        "plan": record.get("plan_id"),
        "participant": participant,
        "channel": record.get("channel") or "participant",
        "turns": [*earlier, str(record["redacted_input"])],
        "expect": expect,
    }
    return {k: v for k, v in case.items() if v is not None}


def _indent_of_cases(text: str) -> str | None:
    """The indentation of the items under a top-level `cases:` that ends the file, or None."""
    lines = text.rstrip("\n").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("cases:")]
    if not starts:
        return None
    after = lines[starts[-1] + 1 :]
    if any(line and not line.startswith((" ", "-", "#")) for line in after):
        return None  # another top-level key follows `cases`
    for line in after:
        m = re.match(r"^( *)- ", line)
        if m:
            return m.group(1)
    return None


def append_case(suite_path: Path, case: dict[str, Any], suite_id: str | None = None) -> Path:
    """Append `case` to the suite file (created when missing); validated before it replaces the file."""
    from evals.errors import SuiteError
    from evals.loader import load_suite

    if suite_path.exists():
        text = suite_path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
        cases = raw.get("cases") or [] if isinstance(raw, dict) else []
        if any(isinstance(c, dict) and c.get("id") == case["id"] for c in cases):
            raise BadInputError(
                f"{suite_path} already has a case '{case['id']}'; the turn was turned into a case before."
            )
        indent = _indent_of_cases(text)
        block = yaml.safe_dump([case], sort_keys=False, allow_unicode=True, width=100)
        new_text = None
        if indent is not None:  # keep the file as written (comments too): add the case's lines at the end
            candidate = text.rstrip("\n") + "\n" + "".join(indent + line + "\n" for line in block.splitlines())
            parsed = yaml.safe_load(candidate)
            if isinstance(parsed, dict) and parsed.get("cases") == [*cases, case]:
                new_text = candidate
        if new_text is None:
            raw["cases"] = [*cases, case]
            new_text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)
    else:
        suite = {
            "suite": suite_id or suite_path.stem,
            "description": "Regression cases from compliance reviews (beacon review regress); one per reviewed issue.",
            "cases": [case],
        }
        new_text = "# Written by `beacon review regress`; edit freely (docs/supervision.md).\n" + yaml.safe_dump(
            suite, sort_keys=False, allow_unicode=True, width=100
        )
    suite_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".regress-", suffix=".yaml", dir=suite_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
        try:
            load_suite(Path(tmp))
        except SuiteError as e:
            raise BadInputError(f"The case would make {suite_path} invalid ({e}); nothing was written.") from e
        os.replace(tmp, suite_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return suite_path
