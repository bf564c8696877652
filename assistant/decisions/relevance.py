"""The relevance gate: does a retrieved sentence answer the question that was asked?

Every sentence of the retrieved passages is a candidate. Its evidence (`FEATURES`): how near it is
to the question by meaning (MiniLM, the sentence and its passage), how many of the question's key
terms it and its section title use, whether it states a number when the question asks for one,
where its passage ranked, and how near the question is to the questions its section says it answers
(front matter `asks`). A logistic model over that evidence (weights in `relevance.json`, fit on
the dev half of the labelled answer sets by `assistant/tooling/gate_training.py`) gives each
sentence the probability that it states the answer. A sentence must reach `threshold` (a
sentence of an anchored section, the plan's own rule for the routed topic, `anchor_threshold`; both
fit on the same dev half) or no passage is shown: "I don't know" with the contact.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer

from assistant.decisions.sentences import sentences as split_sentences
from assistant.embeddings import Embedder

WEIGHTS_FILE = Path(__file__).with_name("relevance.json")
MAX_PASSAGES = 6
"""candidates come from the best this many passages (anchored sections first)"""

_WORD = re.compile(r"[a-z0-9]+(?:\([a-z]\))?")
_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours yourself
    get got go going want wants know tell explain mean means anyone someone thing things really much
    many also still yet ever need needs let make way ok okay please thanks hi hello im ive dont""".split()
)
_COMMON = frozenset("plan plans retir account accounts money year years pay work employ contribut fund".split())
"""key terms so common in the knowledge that sharing one says little"""
_ASKS_NUMBER = re.compile(
    r"\b(how (much|many|long|old|soon|often)|what (age|percent|percentage|is the (max|min|limit|deadline|rate))|"
    r"maximum|minimum|limit|limits|deadline|when|what year|by what date|cap)\b",
    re.I,
)
_HAS_NUMBER = re.compile(r"\d")

ACRONYMS = (
    ("RMD", "required minimum distribution"),
    ("RBD", "required beginning date"),
    ("QCD", "qualified charitable distribution"),
    ("QDRO", "qualified domestic relations order"),
    ("SEPP", "substantially equal periodic payment"),
    ("MAGI", "modified adjusted gross income"),
    ("PBGC", "Pension Benefit Guaranty Corporation"),
    ("REIT", "real estate investment trust"),
    ("ETF", "exchange-traded fund"),
    ("SPD", "summary plan description"),
)
"""abbreviations the knowledge uses beside their long forms: a question that spells one out is weighed with the
abbreviation too ("What is a required minimum distribution?" scored the RMD document's "Once you reach your RMD age
you must withdraw at least a minimum amount each year" 0.03 and passed a worked example of Pub 590-B)"""
_ACRONYM_RX = [
    (
        re.compile(rf"\b{short}s?\b", re.I),
        re.compile(r"\b" + r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", long))) + r"s?\b", re.I),
        short,
        long,
    )
    for short, long in ACRONYMS
]


def with_acronyms(query: str) -> str:
    """The question with the abbreviation of each long form it spells out, in parentheses after it. Not the other
    way: the documents use the abbreviations, and a long form added to "if I take my rmd late what's the penalty"
    made the plan's section on taxes of distributions a candidate."""
    for short_rx, long_rx, short, _ in _ACRONYM_RX:
        m = long_rx.search(query)
        if m and not short_rx.search(query):
            query = f"{query[: m.end()]} ({short}){query[m.end() :]}"
    return query


FEATURES = (
    "sentence_similarity",
    "sentence_similarity_gap",
    "passage_similarity",
    "passage_rank",
    "anchored",
    "key_terms_in_sentence",
    "rare_terms_in_sentence",
    "key_terms_in_title",
    "number_asked_and_stated",
    "first_sentence",
    "long_sentence",
    "weighted_terms_in_sentence",
    "similarity_rank",
    "title_similarity",
    "similarity_x_rare_terms",
    "titled_similarity",
    "asked_similarity",
    "asked_similarity_gap",
)
"""... the last two: how near the question is to the nearest of the questions its section says it answers
(front matter `asks`; the section's title when it lists none, as a real plan's booklet does), and how far
that falls short of the best section among the candidates"""


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return Stemmer.Stemmer("english")


def key_terms(text: str) -> set[str]:
    """The question's content words, stemmed ("withdrawals" and "withdraw" agree)."""
    words = [w for w in _WORD.findall(text.lower().replace("'", "")) if w not in _STOP and len(w) > 1]
    return set(_stemmer().stemWords(words))


@dataclass
class Candidate:
    passage: int
    """index into the passages given"""
    index: int
    """index into its passage's sentences"""
    text: str
    probability: float = 0.0
    asked: float = 0.0
    """how near the question is to the nearest question its section lists (front matter `asks`; 0 when none)"""


@dataclass
class Weights:
    coef: list[float]
    intercept: float
    mean: list[float]
    scale: list[float]
    threshold: float
    """the best sentence must reach this probability for the question to be answered"""
    keep: float
    """a further sentence is shown when it reaches this probability"""
    anchor_threshold: float
    """what a sentence of an anchored section (the plan's own rule for the routed topic) must reach"""

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Weights:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("features") != list(FEATURES):
            raise ValueError(f"{path}: weights were fit for other features; rerun gate_training")
        return cls(
            raw["coef"],
            raw["intercept"],
            raw["mean"],
            raw["scale"],
            raw["threshold"],
            raw["keep"],
            raw["anchor_threshold"],
        )

    def passes(self, candidate: Candidate, passages: list[dict[str, Any]]) -> bool:
        anchored = passages[candidate.passage].get("anchor")
        return candidate.probability >= (self.anchor_threshold if anchored else self.threshold)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def eligible(passages: list[dict[str, Any]]) -> list[int]:
    """The passages whose sentences may answer: anchored first, then by rank; no rule-only context."""
    order = [i for i, p in enumerate(passages) if p.get("anchor")] + [
        i for i, p in enumerate(passages) if not p.get("anchor") and not p.get("rule_only")
    ]
    return order[:MAX_PASSAGES]


SMALL_BATCH = 4
"""sentences of one turn are encoded four at a time: MiniLM pads a batch to its longest text, and a
turn's sentences differ a lot in length (33 sentences took 534 ms in one batch of 32, 320 ms in
batches of 4, on the 2-core machine)"""


MIN_SENTENCE_CHARS = 21
"""shorter pieces of a passage are not candidate sentences"""


def sentence_lists(passages: list[dict[str, Any]]) -> dict[int, list[str]]:
    return {i: split_sentences(passages[i]["text"], min_chars=MIN_SENTENCE_CHARS) for i in eligible(passages)}


def _titled(metadata: dict[str, Any], sentence: str) -> str:
    """A sentence under its section title, as the gate embeds it."""
    return f"{metadata.get('section_title', '')}: {sentence}"


def gate_texts(text: str, metadata: dict[str, Any]) -> list[str]:
    """Every text the gate embeds for a passage with this text and metadata, besides the question: its
    candidate sentences, its title and each sentence under its section title. Ingestion precomputes
    their vectors (`assistant/retrieval/indexing/ingest.py: precompute_gate_vectors`), so a turn embeds
    only the question."""
    sentences = split_sentences(text, min_chars=MIN_SENTENCE_CHARS)
    return [
        *sentences,
        _title({"metadata": metadata}),
        *(_titled(metadata, s) for s in sentences),
        *_asks(metadata),
    ]


def _asks(metadata: dict[str, Any]) -> list[str]:
    """The questions a section says it answers (front matter `asks`, one a line)."""
    return [q for q in str(metadata.get("asks") or "").split("\n") if q.strip()]


def evidence(
    embedder: Embedder,
    query: str,
    passages: list[dict[str, Any]],
    split: dict[int, list[str]],
    ignore: frozenset[str] = frozenset(),
) -> tuple[list[Candidate], np.ndarray]:
    """Every candidate sentence and its evidence row (`FEATURES`, in order). `ignore`: words that are no
    evidence either way (the employer's name, which every sentence of its plan's documents may use)."""
    query = with_acronyms(query)  # here, so the gate's training (gate_training.featurise) reads the same evidence
    ignored = key_terms(" ".join(ignore)) if ignore else set()
    cands = [Candidate(i, n, s) for i, ss in split.items() for n, s in enumerate(ss)]
    if not cands:
        return [], np.zeros((0, len(FEATURES)))
    titles = {i: _title(passages[i]) for i in split}
    titled = [_titled(passages[c.passage].get("metadata", {}), c.text) for c in cands]
    asks = {i: _asks(passages[i].get("metadata", {})) for i in split}
    asked = [q for i in split for q in asks[i]]
    vectors = embedder.encode(
        [query] + [c.text for c in cands] + list(titles.values()) + titled + asked, batch_size=SMALL_BATCH
    )
    k = len(cands)
    sims = vectors[1 : k + 1] @ vectors[0]
    title_sims = dict(zip(titles, vectors[k + 1 : k + 1 + len(titles)] @ vectors[0], strict=True))
    titled_sims = vectors[k + 1 + len(titles) : 2 * k + 1 + len(titles)] @ vectors[0]
    ask_sims = iter(vectors[2 * k + 1 + len(titles) :] @ vectors[0])
    # the nearest of a section's own questions; a section that lists none is weighed by its title
    asked_sims = {i: max(next(ask_sims) for _ in asks[i]) if asks[i] else title_sims[i] for i in split}
    best_asked = max(asked_sims.values())
    for c in cands:
        c.asked = float(asked_sims[c.passage]) if asks[c.passage] else 0.0
    terms = key_terms(query) - ignored
    rare = {t for t in terms if t not in _COMMON}
    asks_number = bool(_ASKS_NUMBER.search(query))
    rank = {i: r for r, i in enumerate(split)}
    words = [key_terms(c.text) - ignored for c in cands]
    # a term that few candidate sentences use tells more than one that most use (idf over the pool)
    idf = {t: math.log((len(cands) + 1) / (0.5 + sum(t in w for w in words))) for t in terms}
    total = sum(idf.values()) or 1.0
    order = np.argsort(-sims)
    sim_rank = np.empty(len(cands))
    sim_rank[order] = np.arange(len(cands))
    rows = []
    best = float(sims.max())
    for n, (c, sim) in enumerate(zip(cands, sims, strict=True)):
        p = passages[c.passage]
        w = words[n]
        title = key_terms(titles[c.passage]) - ignored
        rare_share = len(rare & w) / len(rare) if rare else 0.0
        rows.append(
            [
                float(sim),
                float(sim) - best,
                float(p.get("score", 0.0)),
                1.0 / (1 + rank[c.passage]),
                1.0 if p.get("anchor") else 0.0,
                len(terms & w) / len(terms) if terms else 0.0,
                rare_share,
                len(terms & title) / len(terms) if terms else 0.0,
                1.0 if asks_number and _HAS_NUMBER.search(c.text) else 0.0,
                1.0 if c.index == 0 else 0.0,
                math.log1p(len(c.text)) / 6.0,
                sum(idf[t] for t in terms & w) / total,
                1.0 / (1 + sim_rank[n]),
                float(title_sims[c.passage]),
                float(sim) * rare_share,
                float(titled_sims[n]),
                float(asked_sims[c.passage]),
                float(asked_sims[c.passage]) - best_asked,
            ]
        )
    return cands, np.asarray(rows, dtype=np.float64)


def _title(passage: dict[str, Any]) -> str:
    md = passage.get("metadata", {})
    return f"{md.get('title', '')}: {md.get('section_title', '')}"


class RelevanceGate:
    def __init__(self, embedder: Embedder, weights: Weights | None = None) -> None:
        self.embedder = embedder
        self.weights = weights or Weights.load()

    def score(
        self, query: str, passages: list[dict[str, Any]], ignore: frozenset[str] = frozenset()
    ) -> tuple[list[Candidate], dict[int, list[str]]]:
        """The candidate sentences, best first, with the probability that each states the answer."""
        split = sentence_lists(passages)
        cands, x = evidence(self.embedder, query, passages, split, ignore)
        if cands:
            for c, prob in zip(cands, self.weights.probabilities(x), strict=True):
                c.probability = float(prob)
        return sorted(cands, key=lambda c: -c.probability), split
