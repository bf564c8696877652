"""`beacon ask`, `beacon chat`, `beacon serve`: talking to Beacon."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.errors import BeaconError, SettingsError
from assistant.surfaces.cli.common import deps as _deps
from assistant.surfaces.cli.common import settings as _settings
from assistant.turn.result import Citation, TurnResult


def _print_turn(out: TurnResult) -> None:
    print(out.answer)
    for c in out.citations:
        print(f"  [source] {source_label(c)}")
    print(f"  ({out.action}, guard: {out.guardrail.decision}, {out.latency_ms:.0f} ms, turn {out.turn_id})")


def source_label(c: Citation) -> str:
    """ "Title §4.2 Section title (effective 2026-01-01)" or "Title, page 6" for a PDF page."""
    where = f", page {c.page}" if c.page else f" §{c.section} {c.title}"
    effective = f" (effective {c.effective_date})" if c.effective_date else ""
    return f"{c.document_title}{where}{effective}"


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
        print(out.model_dump_json(indent=2))
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
        thread = out.thread_id
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


def add_parsers(sub: Any) -> None:
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
