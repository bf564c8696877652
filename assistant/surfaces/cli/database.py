"""`beacon db ...`: the database's schema version (`current`) and migrating it (`upgrade`)."""

from __future__ import annotations

import argparse

from assistant.surfaces.cli.common import settings as _settings


def cmd_db_current(args: argparse.Namespace) -> int:
    from assistant.storage import open_database
    from assistant.storage.migrate import current_revision, head_revision

    db = open_database(_settings(), check=False)
    try:
        current, head = current_revision(db), head_revision()
    finally:
        db.close()
    state = "up to date" if current == head else "run `beacon db upgrade`"
    print(f"{db.describe()}: schema {current or 'none'} (this Beacon: {head}; {state})")
    return 0 if current == head else 1


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from assistant.storage import open_database
    from assistant.storage.migrate import upgrade

    db = open_database(_settings(), check=False)
    try:
        before, after = upgrade(db, args.revision)
    finally:
        db.close()
    if before == after:
        print(f"{db.describe()}: schema {after} already up to date")
    else:
        print(f"{db.describe()}: schema upgraded from {before or 'none'} to {after}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="the database's schema: current version, upgrade")
    dsub = p.add_subparsers(dest="db_command", required=True)
    c = dsub.add_parser("current", help="the schema revision of BEACON_DATABASE_URL (exit 1 when older)")
    c.set_defaults(fn=cmd_db_current)
    u = dsub.add_parser("upgrade", help="migrate the database to this Beacon's schema (back it up first)")
    u.add_argument("--revision", default="head", help="target revision (default: the newest)")
    u.set_defaults(fn=cmd_db_upgrade)
