"""The `beacon` command line (the contract is restated in docs/api.md#command-line).

Exit codes: 0 success, 1 a failed check, 2 bad usage or bad input. Errors are one plain
sentence; `--debug` shows the traceback. Each command group lives in its own module and adds its
parsers here, in the order `beacon --help` lists them.
"""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.errors import BeaconError
from assistant.surfaces.cli import (
    conversation,
    database,
    evaluation,
    knowledge,
    nudges,
    records,
    report,
    review,
    users,
)
from evals.errors import EvalError
from guardrails.errors import GuardError

GROUPS = [knowledge, conversation, records, users, evaluation, nudges, review, report, database]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="beacon", description="Beacon retirement-guidance assistant.")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.fn(args))
    except (BeaconError, GuardError, EvalError) as e:
        if args.debug:
            raise
        print(f"beacon: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
