"""`beacon users ...`: web and API logins, tokens and lock-outs."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from assistant.surfaces.cli.common import deps as _deps
from assistant.surfaces.cli.common import settings as _settings


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
    from assistant.storage import open_database

    return UserStore(open_database(_settings()))


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


def add_parsers(sub: Any) -> None:
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
