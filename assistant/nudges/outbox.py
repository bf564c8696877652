"""The outbox for the email and SMS channels: one JSONL file per run date plus one `.eml` file per
email, under `<data dir>/outbox/<date>/`. A mail or SMS relay picks them up and resolves the
pseudonymous recipient key to an address; no address or other personal data is written here.

The files are regenerated from the store, so re-running a date rewrites the same content and
never adds a second copy of a message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

RECIPIENT_DOMAIN = "recipients.invalid"
SENDER = "Beacon retirement plan education <nudges@beacon.invalid>"


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def email_message(row: dict[str, str]) -> bytes:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = f"{row['participant_key']}@{RECIPIENT_DOMAIN}"
    msg["Subject"] = row["subject"]
    msg["Message-ID"] = f"<{row['decision_id']}@beacon.invalid>"
    msg["X-Beacon-Recipient-Key"] = row["participant_key"]
    msg["X-Beacon-Decision"] = row["decision_id"]
    msg["Date"] = dt.datetime.fromisoformat(row["as_of"]).strftime("%a, %d %b %Y 09:00:00 +0000")
    msg.set_content(row["body"] + "\n")
    return msg.as_bytes(policy=SMTP)


def write_outbox(store: Any, outbox_dir: Path, as_of: dt.date) -> list[str]:
    """Write the day's outbox from the store; returns the files written."""
    rows = store.outbox(as_of)
    if not rows:
        return []
    day_dir = outbox_dir / as_of.isoformat()
    day_dir.mkdir(parents=True, exist_ok=True)
    written = []
    lines = [
        json.dumps({k: r[k] for k in ("decision_id", "channel", "as_of", "participant_key", "subject", "body")})
        for r in rows
    ]
    jsonl = day_dir / "outbox.jsonl"
    _atomic_write(jsonl, ("\n".join(lines) + "\n").encode())
    written.append(str(jsonl))
    for r in rows:
        if r["channel"] != "email":
            continue
        eml = day_dir / f"{r['decision_id']}.eml"
        data = email_message(r)
        if not eml.exists() or eml.read_bytes() != data:
            _atomic_write(eml, data)
        written.append(str(eml))
    return written
