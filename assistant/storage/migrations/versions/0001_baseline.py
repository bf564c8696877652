"""Baseline: every store's tables (participants, logins, tokens, lockouts, rate limits, threads,
hand-offs, feedback, privacy, the document catalog, nudge state).

A `beacon.db` written by a release before migrations already holds most of these tables (created
by hand-written SQL with the same columns): they are adopted as they are, and only what is missing
is created.

Revision ID: 0001
Revises:
Create Date: 2026-12-04 08:50:42.721643
"""

import sqlalchemy as sa
from alembic import op

from assistant.settings import CHAT_SCHEMA

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return table not in sa.inspect(op.get_bind()).get_table_names()


def _create_table(name: str, *parts: sa.schema.SchemaItem) -> None:
    if _missing(name):
        op.create_table(name, *parts)


def _create_index(name: str, table: str, columns: list[str]) -> None:
    if name not in {i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table)}:
        op.create_index(name, table, columns)


def upgrade() -> None:
    _create_table(
        "api_tokens",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _create_table(
        "contact_preferences",
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("participant_id", "channel", "effective_date"),
    )
    _create_table(
        "decisions",
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("nudge_id", sa.Text(), nullable=False),
        sa.Column("nudge_version", sa.Integer(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("event_key", sa.Text(), nullable=False),
        sa.Column("event_kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("channels", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Text(), nullable=True),
        sa.Column("audit_hash", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("decision_id"),
        sa.UniqueConstraint("as_of", "participant_id", "nudge_id", "event_key"),
    )
    _create_index("decisions_person", "decisions", ["participant_id"])

    _create_table(
        "documents",
        sa.Column("doc_id", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("plan_id", sa.Text(), nullable=True),
        sa.Column("doc_type", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("effective_date", sa.Text(), nullable=True),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("chunks", sa.Integer(), nullable=True),
        sa.Column("ingested_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("doc_id"),
    )
    _create_table(
        "feed_events",
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("participant_id", "event", "effective_date"),
    )
    _create_table(
        "feedback",
        sa.Column("feedback_id", sa.Text(), nullable=False),
        sa.Column("turn_id", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.Text(), nullable=True),
        sa.Column("participant_id", sa.Text(), nullable=True),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("rating", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id"),
    )
    _create_index("feedback_turn", "feedback", ["turn_id"])

    _create_table(
        "handoffs",
        sa.Column("handoff_id", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.Text(), nullable=False),
        sa.Column("turn_id", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=True),
        sa.Column("plan_id", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("handoff_id"),
        sa.UniqueConstraint("turn_id"),
    )
    _create_index("handoffs_status", "handoffs", ["status", "created_at"])

    _create_table(
        "in_app",
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("show_after", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("decision_id"),
    )
    _create_index("in_app_person", "in_app", ["participant_id"])

    _create_table(
        "intents",
        sa.Column("turn_id", sa.Text(), nullable=False),
        sa.Column("participant_key", sa.Text(), nullable=False),
        sa.Column("intent", sa.Text(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("turn_id"),
    )
    _create_index("intents_key", "intents", ["participant_key"])

    _create_table(
        "legal_holds",
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    _create_table(
        "login_failures",
        sa.Column("name_hash", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name_hash"),
    )
    _create_table(
        "outbox",
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Text(), nullable=False),
        sa.Column("participant_key", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("decision_id", "channel"),
    )
    _create_table(
        "outcomes",
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.UniqueConstraint("decision_id", "event", "day"),
    )
    _create_table(
        "participants",
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Text(), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    _create_table(
        "pseudonym_salts",
        sa.Column("participant_id", sa.Text(), nullable=False),
        sa.Column("salt", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    _create_table(
        "rate_buckets",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    _create_table(
        "thread_owners",
        sa.Column("thread_id", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=True),
        sa.Column("plan_id", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("thread_id"),
    )
    _create_index("thread_owners_creator", "thread_owners", ["created_by"])
    _create_index("thread_owners_participant", "thread_owners", ["participant_id"])

    _create_table(
        "thread_turns",
        sa.Column("turn_id", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("turn_id"),
    )
    _create_index("thread_turns_thread", "thread_turns", ["thread_id"])

    _create_table(
        "users",
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Text(), nullable=True),
        sa.Column("demo", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # the web chat history follows BEACON_DATABASE_URL in a schema of its own (Chainlit's tables)
        op.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{CHAT_SCHEMA}"'))


def downgrade() -> None:
    op.drop_table("users")
    with op.batch_alter_table("thread_turns", schema=None) as batch_op:
        batch_op.drop_index("thread_turns_thread")

    op.drop_table("thread_turns")
    with op.batch_alter_table("thread_owners", schema=None) as batch_op:
        batch_op.drop_index("thread_owners_participant")
        batch_op.drop_index("thread_owners_creator")

    op.drop_table("thread_owners")
    op.drop_table("rate_buckets")
    op.drop_table("pseudonym_salts")
    op.drop_table("participants")
    op.drop_table("outcomes")
    op.drop_table("outbox")
    op.drop_table("login_failures")
    op.drop_table("legal_holds")
    with op.batch_alter_table("intents", schema=None) as batch_op:
        batch_op.drop_index("intents_key")

    op.drop_table("intents")
    with op.batch_alter_table("in_app", schema=None) as batch_op:
        batch_op.drop_index("in_app_person")

    op.drop_table("in_app")
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_index("handoffs_status")

    op.drop_table("handoffs")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("feedback_turn")

    op.drop_table("feedback")
    op.drop_table("feed_events")
    op.drop_table("documents")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("decisions_person")

    op.drop_table("decisions")
    op.drop_table("contact_preferences")
    op.drop_table("api_tokens")
