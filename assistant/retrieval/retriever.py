"""Plan-scoped retrieval: the participant's plan documents plus general documents only."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.decisions.definitions import PLAN_TERM
from assistant.decisions.extractive import INDIVIDUAL_ACCOUNT
from assistant.embeddings import Embedder
from assistant.retrieval.indexing.index import KnowledgeIndex, Passage
from assistant.retrieval.indexing.lexical import Bm25Index
from assistant.retrieval.indexing.lifecycle import Lifecycle, lifecycle

GENERAL = "general"


MODES = ("hybrid", "dense", "bm25")
RRF_K = 60
"""reciprocal rank fusion constant (Cormack et al., 2009)"""
POOL = 30
"""candidates each method contributes before fusion"""
PLAN_WEIGHT = 1.2
"""the participant's own plan documents rank a little ahead of general education"""


@dataclass
class Snapshot:
    """Every chunk of one index version, for BM25, lifecycle and scoring of lexical-only hits."""

    version: str
    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray
    bm25: Bm25Index
    position: dict[str, int]
    lifecycles: dict[dt.date, Lifecycle]
    vocabularies: dict[str, set[str]] = field(default_factory=dict)

    @cached_property
    def glossary(self) -> frozenset[str]:
        """The chunks of glossary documents (`doc_type: glossary`)."""
        return frozenset(i for i, m in zip(self.ids, self.metadatas, strict=True) if m.get("doc_type") == "glossary")

    def vocabulary(self, plan_id: str) -> set[str]:
        """The words one plan's own documents use (titles included)."""
        if plan_id not in self.vocabularies:
            self.vocabularies[plan_id] = {
                w
                for m, t in zip(self.metadatas, self.texts, strict=True)
                if m.get("plan_id") == plan_id
                for w in re.findall(r"[a-z]+", bm25_text(m, t).lower())
            }
        return self.vocabularies[plan_id]

    def lifecycle(self, as_of: dt.date) -> Lifecycle:
        if as_of not in self.lifecycles:
            self.lifecycles[as_of] = lifecycle(zip(self.ids, self.metadatas, strict=True), as_of)
        return self.lifecycles[as_of]


def bm25_text(metadata: dict[str, Any], text: str) -> str:
    """What BM25 indexes for a chunk: its document and section titles, then the passage."""
    return f"{metadata.get('title', '')}\n{metadata.get('section_title', '')}\n{text}"


@dataclass(frozen=True)
class Anchor:
    """A scope the answer must come from: a document (and topic), or a whole plan's documents."""

    doc_id: str | None
    topic: str | None
    k: int = 1
    plan_id: str | None = None
    section: str | None = None
    """one sub-section ("2.4"), where the topic's best chunks by the query are not the one that answers"""

    def within(self) -> dict[str, str]:
        out = {"doc_id": self.doc_id} if self.doc_id else {}
        out |= {"topic": self.topic} if self.topic else {}
        out |= {"section": self.section} if self.section else {}
        return out | ({"plan_id": self.plan_id} if self.plan_id else {})


LAY_TERMS_FILE = Path(__file__).with_name("lay_terms.yaml")
AVAILABILITY = re.compile(
    r"\b(does|do|will|can|is|are)\b[^.?!]{0,40}\b(plan|acme|cedar|you|we|company|401\(?k\)?|403\(?b\)?)\b[^.?!]{0,20}"
    r"\b(offer|offers|have(?! to\b)|has(?! to\b)|allow|allows|include|includes|provide|provides|support|supports|let)\b"
    r"|\bcan i (buy|invest in|hold|put (my )?money in)\b",
    re.I,
)
"""an availability question ("does the plan offer X?"), within one sentence; "have to" is an obligation ("my money is
still in the acme 401k. do I have to move it?" was read as asking whether the plan has "move")"""
QUESTION_WORDS = {
    "does",
    "will",
    "have",
    "offer",
    "offers",
    "allow",
    "allows",
    "include",
    "includes",
    "provide",
    "provides",
    "support",
    "supports",
    "plan",
    "what",
    "which",
    "there",
    "about",
    "invest",
    "money",
    "company",
    "option",
    "options",
    "account",
    "this",
    "that",
    "with",
    "your",
    "mine",
}


def load_lay_terms(path: Path = LAY_TERMS_FILE) -> list[tuple[re.Pattern[str], str]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for n, e in enumerate(entries, start=1):
        try:
            out.append((re.compile(e["when"], re.I), str(e["add"])))
        except (KeyError, TypeError, re.error) as err:
            raise ValueError(f"{path}: entry {n} needs a valid 'when' regex and an 'add' text ({err}).") from err
    return out


class Retriever:
    """Hybrid search: dense (MiniLM in Chroma) and BM25 fused by reciprocal rank, plan-scoped.

    Only chunks in force on the turn's date are returned (see `indexing/lifecycle.py`). A passage's
    `score` is its cosine similarity to the query (the relevance the composer gates on), whichever
    method found it; `rank_score` is the fused score it was ordered by.
    """

    def __init__(
        self,
        index: KnowledgeIndex,
        embedder: Embedder,
        k: int = 4,
        mode: str = "hybrid",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"retrieval mode '{mode}' is not one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.k = k
        self.mode = mode
        self.today = today
        self.lay_terms = load_lay_terms()
        self._snapshot: Snapshot | None = None
        self._gate_state: tuple[str, int] | None = None
        self._lock = threading.Lock()

    def scope(self, plan_id: str | None) -> list[str]:
        return [plan_id, GENERAL] if plan_id and plan_id != GENERAL else [GENERAL]

    def snapshot(self) -> Snapshot:
        """The chunks of the current index version (reloaded when another ingest changes it)."""
        version = self.index.version()
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                ids, texts, metadatas, vectors = self.index.all_chunks()
                self._snapshot = Snapshot(
                    version,
                    ids,
                    texts,
                    metadatas,
                    vectors,
                    Bm25Index([bm25_text(m, t) for m, t in zip(metadatas, texts, strict=True)]),
                    {cid: i for i, cid in enumerate(ids)},
                    {},
                )
            gate_state = (version, self.index.gate_count())
            if gate_state != self._gate_state:
                # the relevance gate's texts precomputed after ingestion: a turn then embeds only its question
                self.embedder.know(*self.index.gate_vectors())
                self._gate_state = gate_state
            return self._snapshot

    def document_states(self) -> dict[str, str]:
        """doc id -> its state today: in force, not yet effective, sections superseded, conflicts."""
        snap = self.snapshot()
        life = snap.lifecycle(self.today())
        totals: dict[str, int] = {}
        excluded: dict[str, list[str]] = {}
        conflicted: dict[str, set[str]] = {}
        for cid, md in zip(snap.ids, snap.metadatas, strict=True):
            doc = str(md["doc_id"])
            totals[doc] = totals.get(doc, 0) + 1
            if cid in life.excluded:
                excluded.setdefault(doc, []).append(life.reasons[cid])
            citation = cid.rsplit("#", 1)[0]
            if citation in life.conflicts:
                conflicted.setdefault(doc, set()).add(citation.split("#", 1)[1])
        out = {}
        for doc, total in totals.items():
            reasons = excluded.get(doc, [])
            if len(reasons) == total and reasons[0].startswith("not yet effective"):
                state = reasons[0]
            elif reasons:
                state = f"in force; {len(reasons)} of {total} chunks superseded"
            else:
                state = "in force"
            if doc in conflicted:
                state += f"; CONFLICT in section(s) {', '.join(sorted(conflicted[doc]))} (flagged for review)"
            out[doc] = state
        return out

    def unknown_terms(self, question: str, plan_id: str | None = None) -> list[str]:
        """Content words of an availability question ("does the plan offer X?") that no document in
        the index uses, even after typo correction and lay-term expansion - or, when the plan is
        known, that the plan's own documents never use (a general page on brokerage accounts cannot
        say whether this plan offers one): the documents cannot say whether the plan offers X, so the
        answer is a hand-off rather than the nearest section."""
        if not AVAILABILITY.search(question):
            return []
        if self.expand(question) != question:
            return []  # a lay term the plan words cover
        snap = self.snapshot()
        bm25 = snap.bm25
        about_plan = bool(plan_id) and plan_id != GENERAL and not INDIVIDUAL_ACCOUNT.search(question)
        # an IRA is not something the plan offers: the general documents' words count ("can I put
        # money in a Roth IRA if I already have a 401k?" was handed off for "already")
        known = snap.vocabulary(plan_id) if about_plan and plan_id else bm25.words
        # the thing asked about follows the verb ("how do I know if my plan allows roth contributions?" was
        # handed off for "know"); a question that ends on the verb names it before ("is a brokerage window
        # something the plan offers?")
        asked = AVAILABILITY.search(question)
        tail = question[asked.end() :] if asked else question
        if not re.search(r"[a-z]{4,}", tail.lower()):
            tail = question
        words = [w for w in re.findall(r"[a-z]{4,}", tail.lower()) if w not in QUESTION_WORDS]
        return [w for w in words if bm25.correct(w) not in known]

    def corrected(self, text: str) -> str:
        """The text with each word no indexed document uses replaced by its nearest frequent corpus
        word ("lons" -> "loans", "benefciaries" -> "beneficiaries"): what retrieval searches with. Read from the
        snapshot already loaded, without checking the store's version again (a turn corrects several texts, and
        each check cost about 2 ms); every search checks it, so a new ingest reaches the corrector on the next."""
        snap = self._snapshot or self.snapshot()
        return str(snap.bm25.correct_text(text))

    def expand(self, query: str) -> str:
        """The query plus the plan words for any lay terms in it (see `lay_terms.yaml`)."""
        extra = [words for rx, words in self.lay_terms if rx.search(query)]
        return f"{query} ({'; '.join(extra)})" if extra else query

    def search(
        self,
        query: str,
        plan_id: str | None,
        k: int | None = None,
        anchors: list[Anchor] | None = None,
        mode: str | None = None,
    ) -> tuple[list[Passage], list[Passage]]:
        """(hits, anchored): the best chunks in scope, and the best chunks inside each anchor. A glossary
        (`doc_type: glossary`, terms in plain words) is searched when no plan is known or the question asks
        what a term means: a question about the person's own plan is the plan's ("am I fully vested in the
        money I rolled in?" lost the plan's rollover sentence to the glossary's "Being vested means")."""
        snap = self.snapshot()
        life = snap.lifecycle(self.today())
        glossary = plan_id in (None, GENERAL) or bool(PLAN_TERM.search(query))
        query = self.expand(snap.bm25.correct_text(query))
        vector = self.embedder.encode([query])[0]
        plans = self.scope(plan_id)
        mode = mode or self.mode
        lexical = snap.bm25.scores(query) if mode in ("hybrid", "bm25") else None
        skip = frozenset() if glossary else snap.glossary
        hits = self._ranked(snap, life, lexical, vector, plans, k or self.k, mode, None, skip)
        anchored: list[Passage] = []
        for a in anchors or []:
            # an anchor that names its document is read whatever the glossary rule (the taxes section of the glossary
            # for "are 403b withdrawals taxed at the state level too?" asked by a participant)
            within_skip = frozenset() if a.doc_id else skip
            anchored += self._ranked(snap, life, lexical, vector, plans, a.k, mode, a.within(), within_skip)
        # defence in depth: never return another plan's chunk even if a store misbehaves
        return (
            [h for h in hits if h.metadata.get("plan_id") in plans],
            [h for h in anchored if h.metadata.get("plan_id") in plans],
        )

    @staticmethod
    def _top_allowed(scores: np.ndarray, allowed: Callable[[int], bool], positive_only: bool) -> list[int]:
        """Up to POOL allowed chunk positions, best score first (ties: chunk id order)."""
        top: list[int] = []
        for i in np.argsort(-scores, kind="stable"):
            if len(top) >= POOL or (positive_only and scores[i] <= 0):
                break
            if allowed(int(i)):
                top.append(int(i))
        return top

    def _ranked(
        self,
        snap: Snapshot,
        life: Lifecycle,
        scores: np.ndarray | None,
        vector: np.ndarray,
        plans: list[str],
        k: int,
        mode: str,
        within: dict[str, str] | None,
        skip: frozenset[str] = frozenset(),
    ) -> list[Passage]:
        def allowed(i: int) -> bool:
            md = snap.metadatas[i]
            return (
                md.get("plan_id") in plans
                and snap.ids[i] not in life.excluded
                and snap.ids[i] not in skip
                and all(
                    str(md.get(key)) == value or (key == "doc_id" and md.get("amends") == value)
                    for key, value in (within or {}).items()
                )
            )

        rankings: list[list[int]] = []
        if mode in ("hybrid", "dense") and snap.ids:
            # scored exactly over the snapshot's vectors rather than by the store's approximate (HNSW)
            # search: the same candidates and order from an embedded store or a server, on every run;
            # a few thousand 384-float dot products cost well under a millisecond. The snapshot is in
            # id order, so the stable sort breaks ties by chunk id.
            rankings.append(self._top_allowed(snap.vectors @ vector, allowed, positive_only=False))
        if scores is not None:
            rankings.append(self._top_allowed(scores, allowed, positive_only=True))
        fused: dict[int, float] = {}
        for ranking in rankings:
            for rank, i in enumerate(ranking):
                weight = PLAN_WEIGHT if snap.metadatas[i].get("plan_id") == plans[0] != GENERAL else 1.0
                fused[i] = fused.get(i, 0.0) + weight / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda i: -fused[i])[:k]  # ties: dense order first (deterministic above)
        cosines = snap.vectors[best] @ vector if best else np.zeros(0)
        out = []
        for i, cos in zip(best, cosines, strict=True):
            cid = snap.ids[i]
            citation = cid.rsplit("#", 1)[0]
            out.append(
                Passage(
                    cid,
                    citation,
                    snap.texts[i],
                    round(float(cos), 4),
                    dict(snap.metadatas[i]),
                    round(fused[i], 5),
                    list(life.conflicts.get(citation, ())),
                )
            )
        return out
