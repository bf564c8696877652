"""`beacon audit ...` and `beacon privacy ...`: the audit trail, erasure, legal holds and retention."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.surfaces.cli.common import settings as _settings


def _audit_store():  # type: ignore[no-untyped-def]
    """The configured audit store, opened without loading any model."""
    from assistant.services.deps import open_audit_store

    return open_audit_store(_settings())


def _privacy(redact: bool = False):  # type: ignore[no-untyped-def]
    """The stores privacy commands touch; models are loaded only to redact a hold reason."""
    from assistant.records.privacy import PrivacyContext
    from assistant.records.pseudonyms import Pseudonyms
    from assistant.services.deps import _secret_key
    from assistant.settings import history_url
    from assistant.storage import open_database
    from assistant.storage.checkpoints import open_checkpointer

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = _secret_key(settings)
    db = open_database(settings)
    ctx = PrivacyContext(
        db=db,
        checkpoints=open_checkpointer(settings),
        audit=_audit_store(),
        pseudonyms=Pseudonyms(db, key),
        thread_days=settings.retention_thread_days,
        audit_days=settings.retention_audit_days,
        chat_history_url=history_url(settings, sync=True),
    )
    if redact:
        from assistant.services.deps import load_models
        from guardrails.pii import PiiEngine
        from guardrails.policy import load_policy

        policy = load_policy(settings.policy_file)
        pii = PiiEngine(load_models(settings).analyzer, policy.policy.pii, key)
        ctx.redact = lambda text: pii.redact(text).text
    return ctx


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from assistant.settings import load_settings
    from guardrails.audit.spool import AuditSpool

    log = _audit_store()
    report = log.verify()
    pending = AuditSpool(load_settings().audit_spool_path).pending()
    spooled = f"; {pending} records wait in the spool (run `beacon audit replay`)" if pending else ""
    if report.ok:
        print(f"audit chain OK: {report.records} records verified ({log.describe()}){spooled}")
        return 0
    print(
        f"audit chain BROKEN at record {report.records} (turn {report.broken_turn_id}): {report.reason}"
        f" ({log.describe()}){spooled}"
    )
    return 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    log = _audit_store()
    record = log.get(args.turn_id)
    if record is None:
        print(
            f"beacon: no audit record for turn '{args.turn_id}' in {log.describe()}; "
            "list turns with `beacon audit export`.",
            file=sys.stderr,
        )
        return 2
    superseded_by = log.get(f"{args.turn_id}/withheld")
    if args.json:
        print(json.dumps({**record, "_superseded_by": superseded_by}, indent=2, default=str, ensure_ascii=False))
        return 0
    from assistant.services.audit_view import render_turn

    print(render_turn(record))
    if superseded_by is not None:
        print(f"  NOTE        the answer above was withheld; see `beacon audit show {args.turn_id}/withheld`")
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    key = args.participant_key
    if args.participant:
        ctx = _privacy()
        key = ctx.pseudonyms.peek(args.participant)
        if key is None:
            print(
                f"beacon: participant '{args.participant}' has no audit key (never served, or erased); "
                "nothing to export.",
                file=sys.stderr,
            )
            return 2
    out = Path(args.output).open("w", encoding="utf-8") if args.output else sys.stdout
    n = 0
    try:
        for record in _audit_store().iter_records(
            since=args.since, until=args.until, thread_id=args.thread, participant_key=key, with_hashes=True
        ):
            out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
            n += 1
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"{n} records written to {args.output}")
    return 0


def cmd_audit_replay(args: argparse.Namespace) -> int:
    from assistant.settings import load_settings
    from guardrails.audit.spool import AuditSpool

    report = AuditSpool(load_settings().audit_spool_path).replay(_audit_store())
    print(
        f"{report.replayed} spooled records written, {report.already_present} were already present, "
        f"{report.pending} still pending"
    )
    return 1 if report.pending else 0


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in d.items())


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    from assistant.records.privacy import erase_participant, hold_of, plan_erasure

    ctx = _privacy()
    if not args.yes:
        plan = plan_erasure(ctx, args.participant)
        hold = hold_of(ctx, args.participant)
        print(f"would erase for {args.participant}: {_counts(plan.found)}")
        print(
            f"audit records kept (redacted, key {plan.participant_key or '-'} made unlinkable): "
            f"{plan.audit_records_kept}"
        )
        if hold:
            print(f"BLOCKED: under legal hold since {hold.placed_at[:10]} ({hold.reason})")
            return 1
        print("nothing was changed; run again with --yes to erase")
        return 0
    report = erase_participant(ctx, args.participant)
    print(f"erased for {args.participant}: {_counts(report.erased)}")
    print(
        f"{report.audit_records_kept} audit records kept, redacted, under key {report.participant_key or '-'}, "
        f"which can no longer be linked to {args.participant}; see `beacon audit show {report.audit_id}`"
    )
    return 0


def cmd_privacy_hold(args: argparse.Namespace) -> int:
    from assistant.records.privacy import place_hold

    hold = place_hold(_privacy(redact=True), args.participant, args.reason)
    print(f"legal hold placed on {hold.participant_id} ({hold.reason}); erasure and retention purges skip them")
    return 0


def cmd_privacy_release(args: argparse.Namespace) -> int:
    from assistant.records.privacy import release_hold

    hold = release_hold(_privacy(), args.participant)
    print(f"legal hold on {hold.participant_id} released (placed {hold.placed_at[:10]}: {hold.reason})")
    return 0


def cmd_privacy_holds(args: argparse.Namespace) -> int:
    from assistant.records.privacy import holds

    rows = holds(_privacy())
    for h in rows:
        print(f"  {h.participant_id:<12} since {h.placed_at[:10]}  {h.reason}")
    print(f"{len(rows)} participants under legal hold")
    return 0


def cmd_privacy_purge(args: argparse.Namespace) -> int:
    from assistant.records.privacy import purge_expired

    ctx = _privacy()
    r = purge_expired(ctx, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {r.threads_deleted} conversations idle over {ctx.thread_days} days; kept "
        f"{r.threads_kept_on_hold} under legal hold and {r.threads_kept_recent} recent ones; "
        f"{verb} {r.chat_threads_deleted} web chat histories idle as long"
    )
    if r.audit_past_retention:
        print(
            f"{r.audit_past_retention} audit records are older than the {ctx.audit_days}-day audit retention period; "
            "Beacon never deletes audit records (archive them with `beacon audit export --until DATE`)"
        )
    return 0


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("audit", help="the audit trail")
    asub = s.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="recompute the hash chain")
    v.set_defaults(fn=cmd_audit_verify)
    sh = asub.add_parser("show", help="reconstruct one turn")
    sh.add_argument("turn_id")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(fn=cmd_audit_show)
    ex = asub.add_parser("export", help="export records as JSON lines (with their hashes, for an examiner)")
    ex.add_argument("--since", help="ISO date or timestamp (inclusive)")
    ex.add_argument("--until", help="ISO date (to its end) or timestamp (inclusive)")
    ex.add_argument("--thread", help="one conversation")
    ex.add_argument("--participant", help="one participant's records (roster id)")
    ex.add_argument("--participant-key", help="one pseudonymous key (p_...)")
    ex.add_argument("--format", default="jsonl", choices=["jsonl"])
    ex.add_argument("--output", help="write to this file instead of standard output")
    ex.set_defaults(fn=cmd_audit_export)
    rp = asub.add_parser("replay", help="write records spooled while the audit store was down")
    rp.set_defaults(fn=cmd_audit_replay)
    s = sub.add_parser("privacy", help="erasure, legal holds and retention")
    prsub = s.add_subparsers(dest="privacy_command", required=True)
    er_ = prsub.add_parser("erase", help="erase one participant's profile, logins and conversations")
    er_.add_argument("--participant", required=True)
    er_.add_argument("--yes", action="store_true", help="really erase (without it: show what would be erased)")
    er_.set_defaults(fn=cmd_privacy_erase)
    ho = prsub.add_parser("hold", help="place a legal hold (blocks erasure and retention purges)")
    ho.add_argument("--participant", required=True)
    ho.add_argument("--reason", required=True, help="matter or case reference (PII is redacted)")
    ho.set_defaults(fn=cmd_privacy_hold)
    rl = prsub.add_parser("release", help="release a legal hold")
    rl.add_argument("--participant", required=True)
    rl.set_defaults(fn=cmd_privacy_release)
    hl = prsub.add_parser("holds", help="list legal holds")
    hl.set_defaults(fn=cmd_privacy_holds)
    pe = prsub.add_parser("purge-expired", help="delete conversations past BEACON_RETENTION_THREAD_DAYS")
    pe.add_argument("--dry-run", action="store_true")
    pe.set_defaults(fn=cmd_privacy_purge)
