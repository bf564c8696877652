"""Every table of Beacon's stores, defined once (SQLAlchemy Core).

The same schema runs on SQLite (the default, `beacon.db` in the data dir) and PostgreSQL
(`BEACON_DATABASE_URL`). Alembic migrations (`assistant/storage/migrations/`) create and change it;
nothing else issues DDL. Columns keep the types of the hand-written SQLite tables they replace
(ISO-8601 text for times, JSON as text), so an existing `beacon.db` is adopted as it is.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text, UniqueConstraint
from sqlalchemy.schema import SchemaItem

metadata = MetaData()


def _t(name: str, *cols: SchemaItem) -> Table:
    return Table(name, metadata, *cols)


# participants and the document catalog --------------------------------------------------------
participants = _t(
    "participants",
    Column("participant_id", Text, primary_key=True),
    Column("plan_id", Text, nullable=False),
    Column("profile", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)
documents = _t(
    "documents",
    Column("doc_id", Text, primary_key=True),
    Column("path", Text),
    Column("plan_id", Text),
    Column("doc_type", Text),
    Column("title", Text),
    Column("effective_date", Text),
    Column("version", Text),
    Column("sha256", Text),
    Column("chunks", Integer),
    Column("ingested_at", Text),
)

# logins, tokens, sign-in lockouts, rate limits -------------------------------------------------
users = _t(
    "users",
    Column("username", Text, primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("participant_id", Text),
    Column("demo", Integer, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
)
api_tokens = _t(
    "api_tokens",
    Column("token_hash", Text, primary_key=True),
    Column("username", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text),
)
login_failures = _t(
    "login_failures",
    Column("name_hash", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", Float, nullable=False),
    Column("updated", Float, nullable=False),
)
rate_buckets = _t(
    "rate_buckets",
    Column("key", Text, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated", Float, nullable=False),
)

# conversations: ownership, hand-offs, feedback ------------------------------------------------
thread_owners = _t(
    "thread_owners",
    Column("thread_id", Text, primary_key=True),
    Column("participant_id", Text),
    Column("plan_id", Text),
    Column("channel", Text, nullable=False),
    Column("created_by", Text),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Index("thread_owners_participant", "participant_id"),
    Index("thread_owners_creator", "created_by"),
)
thread_turns = _t(
    "thread_turns",
    Column("turn_id", Text, primary_key=True),
    Column("thread_id", Text, nullable=False),
    Column("participant_id", Text),
    Column("created_at", Text, nullable=False),
    Index("thread_turns_thread", "thread_id"),
)
handoffs = _t(
    "handoffs",
    Column("handoff_id", Text, primary_key=True),
    Column("thread_id", Text, nullable=False),
    Column("turn_id", Text, nullable=False, unique=True),
    Column("participant_id", Text),
    Column("plan_id", Text),
    Column("summary", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("claimed_by", Text),
    Column("resolved_at", Text),
    Column("note", Text),
    Index("handoffs_status", "status", "created_at"),
)
feedback = _t(
    "feedback",
    Column("feedback_id", Text, primary_key=True),
    Column("turn_id", Text, nullable=False),
    Column("thread_id", Text),
    Column("participant_id", Text),
    Column("user", Text, nullable=False),
    Column("rating", Text, nullable=False),
    Column("comment", Text),
    Column("created_at", Text, nullable=False),
    Index("feedback_turn", "turn_id"),
)

# privacy -------------------------------------------------------------------------------------
legal_holds = _t(
    "legal_holds",
    Column("participant_id", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("placed_at", Text, nullable=False),
)
pseudonym_salts = _t(
    "pseudonym_salts",
    Column("participant_id", Text, primary_key=True),
    Column("salt", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

# life-event nudges ---------------------------------------------------------------------------
feed_events = _t(
    "feed_events",
    Column("participant_id", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("effective_date", Text, nullable=False),
    Column("loaded_at", Text, nullable=False),
    UniqueConstraint("participant_id", "event", "effective_date"),
)
contact_preferences = _t(
    "contact_preferences",
    Column("participant_id", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("effective_date", Text, nullable=False),
    Column("loaded_at", Text, nullable=False),
    UniqueConstraint("participant_id", "channel", "effective_date"),
)
intents = _t(
    "intents",
    Column("turn_id", Text, primary_key=True),
    Column("participant_key", Text, nullable=False),
    Column("intent", Text, nullable=False),
    Column("day", Text, nullable=False),
    Index("intents_key", "participant_key"),
)
decisions = _t(
    "decisions",
    Column("decision_id", Text, primary_key=True),
    Column("as_of", Text, nullable=False),
    Column("participant_id", Text, nullable=False),
    Column("nudge_id", Text, nullable=False),
    Column("nudge_version", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("event_key", Text, nullable=False),
    Column("event_kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("channels", Text, nullable=False),
    Column("text_sha256", Text),
    Column("baseline", Text),
    Column("audit_hash", Text),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("as_of", "participant_id", "nudge_id", "event_key"),
    Index("decisions_person", "participant_id"),
)
outbox = _t(
    "outbox",
    Column("decision_id", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("as_of", Text, nullable=False),
    Column("participant_key", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("decision_id", "channel"),
)
in_app = _t(
    "in_app",
    Column("decision_id", Text, primary_key=True),
    Column("participant_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("show_after", Text, nullable=False),
    Column("resolved", Text),
    Index("in_app_person", "participant_id"),
)
outcomes = _t(
    "outcomes",
    Column("decision_id", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("day", Text, nullable=False),
    Column("detail", Text),
    UniqueConstraint("decision_id", "event", "day"),
)

NUDGE_TABLES = ("feed_events", "contact_preferences", "intents", "decisions", "outbox", "in_app", "outcomes")
"""the tables that lived in `nudges.db` before one database held everything"""
