"""The `beacon` command line (see ../shared/specs/cli.md).

Exit codes: 0 success, 1 a failed check, 2 bad usage or bad input. Errors are one plain
sentence; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from assistant.errors import BeaconError, NotFoundError, SettingsError
from guardrails.errors import GuardError


def _settings():  # type: ignore[no-untyped-def]
    from assistant.settings import load_settings

    return load_settings()


def _deps():  # type: ignore[no-untyped-def]
    from assistant.services.deps import build_deps

    return build_deps(_settings())


# commands ---------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.retrieval.indexing.ingest import ingest

    deps = _deps()
    report = ingest(
        [Path(p) for p in args.paths],
        deps.index,
        deps.embedder,
        plan=args.plan,
        doc_type=args.doc_type,
        effective_date=args.effective_date,
        progress=not args.quiet,
    )
    for f in report.files:
        detail = f"{f.chunks} chunks in {f.seconds:.1f} s" if f.status not in ("rejected", "skipped") else f.reason
        print(f"  {f.status:<9} {f.doc_id or f.path}  {detail}")
    print(
        f"{report.count('added')} added, {report.count('updated')} updated, {report.count('unchanged')} unchanged, "
        f"{report.count('rejected')} rejected, {report.count('skipped')} skipped; index version {deps.index.version()}"
    )
    return 1 if report.count("rejected") and args.strict else 0


def cmd_index_status(args: argparse.Namespace) -> int:
    deps = _deps()
    entries = deps.index.entries()
    plans = sorted({e.plan_id for e in entries})
    status = {
        "documents": len(entries),
        "chunks": deps.index.chunk_count(),
        "plans": plans,
        "index_version": deps.index.version(),
        "embedding_model": deps.embedder.model_id,
        "store": deps.settings.chroma_url or str(deps.settings.chroma_dir),
    }
    if args.json:
        print(json.dumps({**status, "entries": [e.__dict__ for e in entries]}, indent=2))
        return 0
    for k, v in status.items():
        print(f"{k:>16}: {', '.join(v) if isinstance(v, list) else v}")
    states = deps.retriever.document_states()
    for e in entries:
        print(
            f"  {e.doc_id:<42} {e.doc_type:<10} v{e.version:<8} {e.effective_date or '-':<10} {e.chunks:>4} chunks"
            f"  {states.get(e.doc_id, '')}"
        )
    return 0


def cmd_index_retire(args: argparse.Namespace) -> int:
    deps = _deps()
    for doc_id in args.doc_ids:
        entry = deps.index.entry(doc_id)
        if entry is None:
            known = ", ".join(e.doc_id for e in deps.index.entries()) or "none"
            raise NotFoundError(f"no indexed document has doc_id '{doc_id}' (indexed: {known}).")
        deps.index.remove_document(doc_id)
        print(f"  retired   {doc_id}  {entry.chunks} chunks removed")
    print(f"index version {deps.index.version()}")
    return 0


def cmd_participants_load(args: argparse.Namespace) -> int:
    from assistant.records.participants import parse_roster

    deps = _deps()
    good, bad = parse_roster(Path(args.file), set(deps.plans))
    report = deps.participants.upsert(good)
    for line, reason in bad:
        print(f"  rejected line {line}: {reason}", file=sys.stderr)
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, {len(bad)} rejected "
        f"from {args.file}"
    )
    return 0


def _print_turn(out: dict[str, Any]) -> None:
    print(out["answer"])
    for c in out["citations"]:
        print(f"  [source] {source_label(c)}")
    print(
        f"  ({out['action']}, guard: {out['guardrail']['decision']}, {out['latency_ms']:.0f} ms, turn {out['turn_id']})"
    )


def source_label(c: dict[str, Any]) -> str:
    """ "Title §4.2 Section title (effective 2026-01-01)" or "Title, page 6" for a PDF page."""
    where = f", page {c['page']}" if c.get("page") else f" §{c['section']} {c['title']}"
    effective = f" (effective {c['effective_date']})" if c.get("effective_date") else ""
    return f"{c['document_title']}{where}{effective}"


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.services.turn_service import TurnService

    service = TurnService(_deps())
    out = service.run(
        args.text,
        participant=args.participant,
        plan=args.plan,
        thread_id=args.thread,
        channel=args.channel,
        offer_nudges=True,
    )
    if args.json:
        print(json.dumps(out, indent=2, default=str))
    else:
        _print_turn(out)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.services.turn_service import TurnService

    service = TurnService(_deps())
    thread = None
    print("Beacon — ask about your retirement plan. Empty line or Ctrl-D to quit.")
    while True:
        try:
            text = input("you> ")
        except EOFError:
            print()
            return 0
        if not text.strip():
            return 0
        try:
            out = service.run(text, participant=args.participant, plan=args.plan, thread_id=thread)
        except BeaconError as e:
            print(f"beacon: {e}")
            continue
        thread = out["thread_id"]
        _print_turn(out)


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.surfaces.server import serve, serve_api

    if args.api_only:
        serve_api(_settings(), host=args.host, port=args.port, workers=args.workers)
    elif args.workers != 1:
        raise SettingsError(
            "--workers needs --api-only: the chat UI runs in one process (its sessions live in memory); "
            "run the REST API with several workers as its own service."
        )
    else:
        serve(_settings(), host=args.host, port=args.port)
    return 0


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

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = _secret_key(settings)
    ctx = PrivacyContext(
        db_path=settings.db_path,
        checkpoint_path=settings.checkpoint_path,
        audit=_audit_store(),
        pseudonyms=Pseudonyms(settings.db_path, key),
        thread_days=settings.retention_thread_days,
        audit_days=settings.retention_audit_days,
        nudges_path=getattr(settings, "nudges_path", None),
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


def cmd_users_seed_demo(args: argparse.Namespace) -> int:
    from assistant.records.users import seed_demo_users

    deps = _deps()
    rows = seed_demo_users(deps.db, deps.participants.all(), deps.settings)
    print("Demo logins (passwords are new each time this runs; they are not stored in clear):")
    for username, password, role, who in rows:
        print(f"  {username:<10} {password:<22} {role:<12} {who}")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    import getpass

    from assistant.records.users import UserStore

    deps = _deps()
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    UserStore(deps.db).add(args.username, password, args.role, args.participant)
    print(f"user {args.username} added with role {args.role}")
    return 0


def _user_store():  # type: ignore[no-untyped-def]
    """The users table without loading any model."""
    from assistant.records.users import UserStore
    from assistant.storage.db import connect

    return UserStore(connect(_settings().db_path))


def cmd_users_token(args: argparse.Namespace) -> int:
    store = _user_store()
    if args.revoke:
        n = store.revoke_tokens(args.username)
        print(f"{n} API token(s) of {args.username} revoked")
        return 0
    token = store.issue_token(args.username)
    print(f"API token for {args.username} (shown once; earlier tokens are revoked):\n{token}")
    print("Send it as the header  Authorization: Bearer <token>")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    _user_store().remove(args.username)
    print(f"user {args.username} removed (and their API tokens)")
    return 0


def cmd_users_unlock(args: argparse.Namespace) -> int:
    cleared = _user_store().unlock(args.username)
    print(f"{args.username}: failed sign-ins cleared" if cleared else f"{args.username}: no failed sign-ins recorded")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    for u in _user_store().all():
        print(f"  {u.username:<16} {u.role:<12} {u.participant_id or '-':<10} {'demo' if u.demo else ''}")
    return 0


def _eval_service(backend: str | None):  # type: ignore[no-untyped-def]
    from assistant.services.deps import build_deps
    from assistant.services.turn_service import TurnService
    from assistant.settings import load_settings

    settings = load_settings(**({"backend": backend} if backend else {}))
    return TurnService(build_deps(settings))


def cmd_eval_run(args: argparse.Namespace) -> int:
    from evals.loader import load_suites
    from evals.report import apply_baseline, console, policy_table, write_reports
    from evals.runner import prepare_suites, run_suites

    suites = load_suites([Path(p) for p in args.suites])  # invalid suite: exit 2 before any work
    service = _eval_service(args.backend)
    suites, messages = prepare_suites(service.deps, suites)
    for m in messages:
        print(m)
    if not suites:
        print("beacon: no suite could run (see the messages above)", file=sys.stderr)
        return 1
    outcomes = run_suites(service, suites, workers=args.workers)
    if args.baseline:
        apply_baseline(outcomes, Path(args.baseline))
    rows = policy_table(outcomes, [s for _, s in suites])
    print(console(outcomes, rows))
    if args.report_dir:
        title = "Beacon eval: " + ", ".join(s.suite for _, s in suites)
        write_reports(outcomes, rows, Path(args.report_dir), title)
        print(f"reports written to {args.report_dir}/ (report.html, results.json, junit.xml)")
    return 0 if all(r.ok for r in rows) else 1


def cmd_eval_compare(args: argparse.Namespace) -> int:
    from evals.loader import load_suites
    from evals.report import compare_table, draft_stats, policy_table, write_reports
    from evals.runner import prepare_suites, run_suites

    suites = load_suites([Path(p) for p in args.suites])
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if len(backends) != 2:
        print("beacon: --backends takes exactly two backends, e.g. offline,llm", file=sys.stderr)
        return 2
    tables = []
    stats = []
    for backend in backends:
        service = _eval_service(backend)
        runnable, messages = prepare_suites(service.deps, suites)
        for m in messages:
            print(m)
        outcomes = run_suites(service, runnable, workers=args.workers)
        rows = policy_table(outcomes, [s for _, s in suites])
        tables.append(rows)
        stats.append(draft_stats(outcomes))
        if args.report_dir:
            write_reports(outcomes, rows, Path(args.report_dir) / backend, f"Beacon eval on {backend}")
    print(compare_table(tables[0], tables[1], backends[0], backends[1]))
    for backend, st in zip(backends, stats, strict=True):
        print(
            f"{backend}: {st['turns']} turns; LLM drafts shown {st['llm_shown']}, rejected by the guard "
            f"{st['rejected_by_guard']}, replaced after an error {st['fallback_error']}; "
            f"ungrounded figures in final answers {st['ungrounded_shown']}"
        )
    return 0 if all(r.ok for rows in tables for r in rows) else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.tooling.bench import main as bench_main

    return bench_main()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="beacon", description="Beacon retirement-guidance assistant.")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="add or update documents in the index")
    s.add_argument("paths", nargs="+")
    s.add_argument("--plan")
    s.add_argument("--doc-type")
    s.add_argument("--effective-date")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--strict", action="store_true", help="exit 1 if any file is rejected")
    s.set_defaults(fn=cmd_ingest)

    s = sub.add_parser("index", help="the document index")
    isub = s.add_subparsers(dest="index_command", required=True)
    st = isub.add_parser("status", help="documents, chunks, plans, index version, embedding model")
    st.add_argument("--json", action="store_true")
    st.set_defaults(fn=cmd_index_status)
    rt = isub.add_parser("retire", help="remove documents (all their chunks) from the index")
    rt.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    rt.set_defaults(fn=cmd_index_retire)

    s = sub.add_parser("participants", help="the participant roster")
    psub = s.add_subparsers(dest="participants_command", required=True)
    ld = psub.add_parser("load", help="load or update a roster (CSV or JSONL)")
    ld.add_argument("file")
    ld.set_defaults(fn=cmd_participants_load)

    s = sub.add_parser("ask", help="one turn")
    s.add_argument("text")
    s.add_argument("--plan")
    s.add_argument("--participant")
    s.add_argument("--thread")
    s.add_argument("--channel", default="participant", choices=["participant", "copilot"])
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_ask)

    s = sub.add_parser("chat", help="interactive terminal chat")
    s.add_argument("--participant")
    s.add_argument("--plan")
    s.set_defaults(fn=cmd_chat)

    s = sub.add_parser("serve", help="the web chat and the REST API")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--api-only", action="store_true", help="serve only the REST API (no chat UI)")
    s.add_argument("--workers", type=int, default=1, help="REST API worker processes (with --api-only)")
    s.set_defaults(fn=cmd_serve)

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

    s = sub.add_parser("users", help="web and API logins")
    usub = s.add_subparsers(dest="users_command", required=True)
    sd = usub.add_parser("seed-demo", help="(re)create demo logins with new passwords and print them")
    sd.set_defaults(fn=cmd_users_seed_demo)
    ua = usub.add_parser("add", help="add a user (password read from the terminal or stdin)")
    ua.add_argument("username")
    ua.add_argument("--role", required=True, choices=["participant", "agent", "compliance", "admin"])
    ua.add_argument("--participant", help="roster id, for participant logins")
    ua.set_defaults(fn=cmd_users_add)
    ut = usub.add_parser("token", help="issue an API token for a user (shown once), or --revoke their tokens")
    ut.add_argument("username")
    ut.add_argument("--revoke", action="store_true", help="revoke the user's tokens instead")
    ut.set_defaults(fn=cmd_users_token)
    ur = usub.add_parser("remove", help="remove a login (and its API tokens)")
    ur.add_argument("username")
    ur.set_defaults(fn=cmd_users_remove)
    uu = usub.add_parser("unlock", help="clear a login's failed sign-ins (after a lock-out)")
    uu.add_argument("username")
    uu.set_defaults(fn=cmd_users_unlock)
    ul = usub.add_parser("list", help="list logins (no passwords)")
    ul.set_defaults(fn=cmd_users_list)

    s = sub.add_parser("eval", help="compliance regression suites")
    esub = s.add_subparsers(dest="eval_command", required=True)
    er = esub.add_parser("run", help="run suites against one backend")
    er.add_argument("suites", nargs="+", help="suite files or folders")
    er.add_argument("--report-dir")
    er.add_argument("--baseline", help="a results.json from an earlier run")
    er.add_argument("--backend", choices=["offline", "llm"])
    er.add_argument("--workers", type=int, default=2)
    er.set_defaults(fn=cmd_eval_run)
    ec = esub.add_parser("compare", help="run suites on two backends side by side")
    ec.add_argument("suites", nargs="+")
    ec.add_argument("--backends", default="offline,llm")
    ec.add_argument("--report-dir")
    ec.add_argument("--workers", type=int, default=2)
    ec.set_defaults(fn=cmd_eval_compare)

    s = sub.add_parser("bench", help="the performance benchmark")
    s.set_defaults(fn=cmd_bench)

    from assistant.surfaces.cli.nudges import add_nudges_parser

    add_nudges_parser(sub)  # beacon nudges load-feed | load-preferences | run | outcome | report | simulate | catalog
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.fn(args))
    except (BeaconError, GuardError) as e:
        if args.debug:
            raise
        print(f"beacon: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
