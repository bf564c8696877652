"""`beacon review ...`: the compliance review queue (docs/supervision.md).

sample  draw (or check) a day's sample: every blocked, escalated or flagged turn plus a weighted draw
list    the queue (open by default)
show    one turn as the participant saw it, with passages, figures, guard findings and verdicts
decide  record a verdict (ok / issue + category / needs-policy-change) and a note
regress turn an issue verdict into a regression case appended to an eval suite file
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from assistant.surfaces.cli.common import settings as _settings


def _desk():  # type: ignore[no-untyped-def]
    from assistant.supervision.reviews import open_desk

    return open_desk(_settings())


def _day(args: argparse.Namespace) -> dt.date:
    from assistant.settings import today
    from assistant.supervision.reviews import parse_day

    return parse_day(args.day) if args.day else today() - dt.timedelta(days=1)


def cmd_sample(args: argparse.Namespace) -> int:
    desk, day = _desk(), _day(args)
    if args.check:
        recorded, diffs = desk.check_sample(day)
        if diffs:
            print(f"sample {recorded['turn_id']} for {day} does NOT reproduce from seed {recorded['seed']}:")
            for d in diffs:
                print(f"  {d}")
            return 1
        print(
            f"sample {recorded['turn_id']} for {day} reproduced from seed {recorded['seed']}: {len(recorded['items'])} turns"
        )
        return 0
    rec = desk.draw_day(day, args.by, args.seed)
    pop = ", ".join(f"{n} {ch}" for ch, n in rec["population"].items()) or "no turns"
    print(
        f"sample {rec['turn_id']} for {day} (seed {rec['seed']}): {rec['always']} always reviewed "
        f"(blocked, escalated, flagged) + {rec['sampled']} drawn at rate {rec['sampling']['rate']} from {pop}"
    )
    for it in rec["items"]:
        print(f"  {it['turn_id']}  {it['channel']:<11} {it['intent'] or '-'!s:<18} {it['why']}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    status = "all" if args.all else "decided" if args.decided else "open"
    items = _desk().queue(status, _day(args) if args.day else None)
    if args.json:
        print(json.dumps([i.to_dict() for i in items], indent=2, default=str))
        return 0
    if not items:
        print(f"no {status if status != 'all' else ''} items in the review queue".replace("  ", " "))
        return 0
    for i in items:
        verdict = (
            "open"
            if i.open
            else f"{i.verdict['verdict']}" + (f"/{i.verdict['category']}" if i.verdict.get("category") else "")
        )  # type: ignore[index]
        print(f"{i.day}  {i.turn_id}  {i.channel:<11} {i.intent or '-'!s:<18} {i.why:<24} {verdict}")
    return 0


def view_of(desk: Any, turn_id: str, index: Any) -> dict[str, Any]:
    from assistant.supervision.sources import passages
    from assistant.supervision.views import turn_view

    record = desk.turn(turn_id)
    item = next((i for i in desk.queue("all") if i.turn_id == turn_id), None)
    return turn_view(record, passages(index, record.get("retrieved", [])), item, desk.reviews_of(turn_id))


def _index() -> Any:
    """The document index, opened without loading any model (for the passages' text)."""
    from assistant.retrieval.indexing.index import KnowledgeIndex, open_chroma
    from assistant.storage import open_database

    s = _settings()
    return KnowledgeIndex(open_chroma(str(s.chroma_dir), s.chroma_url), open_database(s), s.embedding_model)


def cmd_show(args: argparse.Namespace) -> int:
    from assistant.supervision.views import render_view

    view = view_of(_desk(), args.turn_id, _index())
    print(json.dumps(view, indent=2, default=str, ensure_ascii=False) if args.json else render_view(view))
    return 0


def _redactor():  # type: ignore[no-untyped-def]
    """The guard's PII redaction (loads the spaCy model): notes are redacted before they are stored."""
    from assistant.services.deps import _secret_key, load_models
    from guardrails.pii import PiiEngine
    from guardrails.policy import load_policy

    s = _settings()
    pii = PiiEngine(load_models(s).analyzer, load_policy(s.policy_file).policy.pii, _secret_key(s))
    return lambda text: pii.redact(text).text


def cmd_decide(args: argparse.Namespace) -> int:
    desk = _desk()
    desk.turn(args.turn_id)  # a mistyped id fails before the model loads
    texts = [args.note, *(args.must or []), *(args.must_not or [])]
    redact = _redactor() if any(texts) else (lambda t: t)
    rec = desk.decide(
        args.turn_id,
        args.verdict,
        args.reviewer,
        redact,
        category=args.category,
        note=args.note,
        expected_action=args.expect_action,
        must_contain=args.must,
        must_not_contain=args.must_not,
    )
    print(
        f"verdict {rec['verdict']}{'/' + rec['category'] if rec['category'] else ''} on {args.turn_id} recorded as {rec['turn_id']}"
    )
    return 0


def _roster_by_key() -> dict[str, Any]:
    """Audit keys -> roster rows (no model loaded)."""
    from assistant.records.participants import ParticipantStore
    from assistant.records.pseudonyms import Pseudonyms
    from assistant.services.deps import _secret_key
    from assistant.storage import open_database
    from assistant.supervision.keys import roster_by_key

    s = _settings()
    db = open_database(s)
    return roster_by_key(Pseudonyms(db, _secret_key(s)), ParticipantStore(db))


def cmd_regress(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.supervision.regression import append_case, case_from_review

    people = _roster_by_key()
    case = case_from_review(_desk(), args.turn_id, lambda key: people[key].participant_id if key in people else None)
    path = append_case(Path(args.suite), case, args.suite_id)
    print(f"case '{case['id']}' (policy {case['policy']}) appended to {path}; run `beacon eval run {path}`")
    return 0


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("review", help="the compliance review queue (sample, list, show, decide)")
    rsub = s.add_subparsers(dest="review_command", required=True)
    sa = rsub.add_parser("sample", help="draw a day's review sample (recorded in the audit with its seed)")
    sa.add_argument("--day", help="YYYY-MM-DD (default: yesterday)")
    sa.add_argument("--seed", type=int, help="the random seed (default: a fresh random one, recorded)")
    sa.add_argument("--by", default="beacon review", help="who drew it (recorded)")
    sa.add_argument("--check", action="store_true", help="redraw the recorded sample from its seed and compare")
    sa.set_defaults(fn=cmd_sample)
    li = rsub.add_parser("list", help="the review queue (open items by default)")
    li.add_argument("--day", help="only this day's sample")
    li.add_argument("--all", action="store_true", help="open and decided")
    li.add_argument("--decided", action="store_true", help="decided only")
    li.add_argument("--json", action="store_true")
    li.set_defaults(fn=cmd_list)
    sh = rsub.add_parser("show", help="one turn as the participant saw it, with its evidence")
    sh.add_argument("turn_id")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(fn=cmd_show)
    de = rsub.add_parser("decide", help="record a verdict on a turn (audit record of kind review)")
    de.add_argument("turn_id")
    de.add_argument("--verdict", required=True, choices=["ok", "issue", "needs-policy-change"])
    de.add_argument("--category", help="for an issue: one of supervision.categories in the policy file")
    de.add_argument("--note", help="what is wrong (PII is redacted before it is stored)")
    de.add_argument("--reviewer", required=True, help="who decides (recorded)")
    de.add_argument(
        "--expect-action", choices=["answer", "clarify", "refuse", "escalate"], help="what the turn should have done"
    )
    de.add_argument("--must", action="append", help="text the answer must contain (repeatable)")
    de.add_argument("--must-not", action="append", help="text the answer must not contain (repeatable)")
    de.set_defaults(fn=cmd_decide)
    rg = rsub.add_parser("regress", help="turn an issue verdict into a regression case in a suite file")
    rg.add_argument("turn_id")
    rg.add_argument("--suite", required=True, help="the suite file to append to (created when missing)")
    rg.add_argument("--suite-id", help="the suite id when the file is created (default: its file name)")
    rg.set_defaults(fn=cmd_regress)
