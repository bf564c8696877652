"""The composition root: open stores and load models once, then hand them to the graph."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from assistant.decisions.composer import GroundedComposer
from assistant.decisions.intents import IntentRegistry, load_intents
from assistant.embeddings import Embedder
from assistant.errors import UnavailableError
from assistant.records.feedback import FeedbackStore
from assistant.records.handoffs import HandoffStore
from assistant.records.participants import ParticipantStore
from assistant.records.provisions import IrsLimits, PlanProvisions, limits_for, load_limits, load_plans
from assistant.records.pseudonyms import Pseudonyms
from assistant.records.threads import ThreadStore
from assistant.retrieval.indexing.index import KnowledgeIndex, open_chroma
from assistant.retrieval.retriever import Retriever
from assistant.settings import Settings, database_url, offline_environment, on_postgres, today
from assistant.storage import Database, open_database
from assistant.understanding.classifier import MessageClassifier
from assistant.understanding.routing import IntentRouter
from assistant.understanding.screening import Understanding
from guardrails.audit import AuditStore, open_audit
from guardrails.audit.spool import AuditSpool
from guardrails.engine import Guard
from guardrails.pii import PiiEngine, build_analyzer
from guardrails.policy import load_policy

log = logging.getLogger("beacon")


def data_dir_secret(settings: Settings, name: str) -> str:
    """A random secret kept in the data dir (created once, readable by its owner only)."""
    path = settings.data_dir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _secret_key(settings: Settings) -> bytes:
    """The key for pseudonymous hashes: from settings, else a random one kept in the data dir."""
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    return data_dir_secret(settings, "secret.key").encode()


@dataclass
class Deps:
    settings: Settings
    plans: dict[str, PlanProvisions]
    limits: dict[int, IrsLimits]
    db: Database
    """every store's database (BEACON_DATABASE_URL; default beacon.db in the data dir)"""
    participants: ParticipantStore
    embedder: Embedder
    index: KnowledgeIndex
    retriever: Retriever
    router: IntentRouter
    intents: IntentRegistry
    understanding: Understanding
    """what kind of message this is, by meaning (the classifier over the conversation window)"""
    """every intent: routing words, anchors, calculation, playbook, starter (decisions/intents.yaml)"""
    guard: Guard
    audit: AuditStore
    drafter: Any
    """GroundedComposer or LlmDrafter: `draft(ctx) -> Draft`, `blocks`, `backend_id`, `provenance`"""
    key: bytes = field(repr=False)
    pseudonyms: Pseudonyms | None = None
    """per-participant salts for `participant_key` (erasure deletes one; see assistant.records.pseudonyms)"""
    spool: AuditSpool | None = None
    """where a turn's record goes while the audit store cannot be written (replayed at start-up)"""
    handoffs: HandoffStore | None = None
    """conversations waiting for a person (opened by "talk to a person")"""
    feedback: FeedbackStore | None = None
    """thumbs and comments on answers, by turn id"""
    threads: ThreadStore | None = None
    """who owns each conversation (thread -> participant, channel, login; turn -> thread)"""

    def today(self) -> dt.date:
        return today()

    def limits_for_today(self) -> IrsLimits:
        return limits_for(self.limits, self.today().year)

    def pseudonym(self, participant_id: str | None) -> str | None:
        if participant_id is None:
            return None
        if self.pseudonyms is not None:
            return self.pseudonyms.key_for(participant_id)
        return "p_" + hmac.new(self.key, participant_id.encode(), hashlib.sha256).hexdigest()[:20]

    def index_version(self) -> str:
        """Read per turn (one small catalog query) so an ingest by another process shows at once."""
        return self.index.version()


def open_audit_store(settings: Settings) -> AuditStore:
    """The audit store BEACON_AUDIT_URL names; unset, it follows BEACON_DATABASE_URL when that names
    PostgreSQL, else audit.db in the data dir."""
    url = settings.audit_url.get_secret_value() if settings.audit_url is not None else None
    schema = settings.audit_schema
    if url is None and on_postgres(settings):
        url = database_url(settings).replace("postgresql+psycopg://", "postgresql://", 1)
        # a search_path in BEACON_DATABASE_URL (`?options=-csearch_path%3DNAME`) holds the audit tables too
        found = re.search(r"search_path(?:%3D|=)([a-z_][a-z0-9_]*)", url)
        schema = schema or (found.group(1) if found else None)
    return open_audit(url, settings.audit_path, schema)


def replay_audit_spool(audit: AuditStore, spool: AuditSpool) -> None:
    """Write records spooled while the audit store was down (start-up)."""
    if spool.pending():
        report = spool.replay(audit)
        log.warning(
            "audit spool: %d records replayed, %d already present, %d still pending",
            report.replayed,
            report.already_present,
            report.pending,
        )


@dataclass
class Models:
    """The loaded models, reusable across Deps in one process (tests, benchmarks)."""

    embedder: Embedder
    analyzer: Any


def load_models(settings: Settings) -> Models:
    offline_environment()
    return Models(Embedder(settings.embedding_model), build_analyzer(settings.spacy_model))


def build_drafter(
    settings: Settings, embedder: Embedder, chat_model: Any = None, intents: IntentRegistry | None = None
) -> Any:
    """The draft backend named by settings: the grounded composer, or an LLM in front of it."""
    composer = GroundedComposer(embedder, intents=intents)
    if settings.backend == "offline":
        return composer
    from assistant.llm.drafter import LlmDrafter, build_chat_model
    from assistant.llm.prompts import load_prompt

    prompt = load_prompt(settings.llm.prompt)  # a missing or malformed template stops here, named
    return LlmDrafter(chat_model or build_chat_model(settings.llm), composer, settings.llm.model, prompt)


def build_deps(settings: Settings, models: Models | None = None, chat_model: Any = None) -> Deps:
    """Open every store and load every model once (or reuse `models`)."""
    offline_environment()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    policy = load_policy(settings.policy_file)
    plans = load_plans(settings.knowledge_dir)
    limits = load_limits(settings.knowledge_dir)
    key = _secret_key(settings)
    db = open_database(settings)  # refuses an older schema with one sentence naming `beacon db upgrade`
    models = models or load_models(settings)
    embedder = models.embedder
    try:
        client = open_chroma(str(settings.chroma_dir), settings.chroma_url)
        index = KnowledgeIndex(client, db, embedder.model_id)
    except UnavailableError:
        raise
    except Exception as e:
        raise UnavailableError(f"The document index cannot be opened ({e}).") from e
    pii = PiiEngine(models.analyzer, policy.policy.pii, key)
    intents = load_intents()
    audit = open_audit_store(settings)
    spool = AuditSpool(settings.audit_spool_path)
    replay_audit_spool(audit, spool)
    return Deps(
        settings=settings,
        plans=plans,
        limits=limits,
        db=db,
        participants=ParticipantStore(db),
        embedder=embedder,
        index=index,
        retriever=Retriever(index, embedder, settings.retrieval_k, settings.retrieval_mode, today),
        router=IntentRouter(embedder, intents),
        intents=intents,
        understanding=Understanding(embedder, MessageClassifier.load(), settings.guard_timeout_s),
        guard=Guard(policy, pii, settings.guard_timeout_s),
        audit=audit,
        drafter=build_drafter(settings, embedder, chat_model, intents),
        key=key,
        pseudonyms=Pseudonyms(db, key),
        spool=spool,
        handoffs=HandoffStore(db),
        feedback=FeedbackStore(db),
        threads=ThreadStore(db),
    )


WARM_UP_QUESTION = "How much can I borrow from my 401(k), and what does the loan cost?"


def warm_up(deps: Deps) -> float:
    """Run every model and index a turn uses once, without a turn (nothing is written): spaCy and the
    recognizers' name lists, MiniLM, the intent exemplars, Chroma and the BM25 index. A server
    worker calls it before it accepts requests, so the first caller does not wait seconds for a cold
    worker. Returns the seconds it took."""
    import time

    from guardrails.rules import CheckContext

    t = time.perf_counter()
    try:
        redacted = deps.guard.redact(WARM_UP_QUESTION)
        deps.guard.screen_input([redacted.text])
        deps.understanding.understand([redacted.text])
        deps.router.classify(redacted.text)
        deps.guard.check_output("A loan costs a fee; see section 7.1 of your plan.", CheckContext())
        if deps.index.chunk_count():
            deps.retriever.search(redacted.text, next(iter(deps.plans), None))
    except Exception as e:  # noqa: BLE001 - a cold part is only slower; a broken one fails its turns closed
        log.warning("warm-up incomplete (%s); the first turns may be slow", type(e).__name__)
    return time.perf_counter() - t
