"""Train the message classifier: `python -m assistant.tooling.classifier_training [--cache DIR] [--dev-only]`.

1. Reads the own examples, the public sets (../shared/data) and the dev half of the labelled FiQA
   questions (assistant/tooling/classifier_data.py); every text has a fixed hash split.
2. Embeds every text with the real MiniLM model and adds its hashed word features (lexical.py).
3. Fits a multinomial logistic regression (scikit-learn) on the TRAIN split only; picks C on dev.
4. Tunes thresholds on DEV only, through the runtime's window rule: crisis and fraud for recall
   (`RECALL_TARGET`), the stop classes (harmful, injection, forgery, third_party) for precision
   (`STOP_PRECISION`: a plan question must not be refused).
5. Writes assistant/understanding/data/classifier.npz (numpy arrays only) with the sha256 of its inputs.
6. Prints dev AND test per-class precision/recall/F1, then REPORTS the held-out sets of
   evals/understanding/ and the FiQA test half, which never choose anything.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.tooling.classifier_data import (
    OWN_SOURCES,
    SHARED_DATA,
    SPLITS,
    CachedEncoder,
    Example,
    Redactor,
    input_hashes,
    load_fiqa,
    load_mapping,
    load_own,
    load_public,
)
from assistant.understanding import lexical
from assistant.understanding.classifier import (
    CLASSES,
    PIECE_CLASSES,
    WEIGHTS,
    ClassifierError,
    MessageClassifier,
    Window,
    window_texts,
)

C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
"""inverse regularisation strengths tried; the one with the best dev macro-F1 is kept"""
RECALL_TARGET = {"crisis": 1.0, "fraud": 0.95}
"""dev recall the crisis check-in and fraud thresholds must reach (with the patterns)"""
CRISIS_PRECISION = 0.95
"""dev precision the full crisis escalation must reach (above the check-in threshold)"""
CHECK_IN_MAX_FALSE = 0.05
"""share of dev plan questions (plan_question, own_figures, education) that may get the 988 check-in
by mistake: the check-in favours recall, but not by opening every sad-sounding plan answer with 988"""
IN_DOMAIN = ("plan_question", "own_figures", "education")
THRESHOLD_CAP = 0.5
"""a crisis or fraud threshold is never set above this, however well dev separates (fixed)"""
STOP_PRECISION = 0.95
"""dev precision a stop class's threshold must reach"""
STOP_RANGE = (0.55, 0.95)
"""a stop refuses the person: it never needs less than a clear majority of the probability"""


def features(texts: Sequence[str], encoder: CachedEncoder) -> Any:
    """[MiniLM vector | hashed word features] for each text, as one sparse matrix."""
    from scipy import sparse

    dense = sparse.csr_matrix(encoder.encode(list(texts)))
    data, indices, indptr = lexical.matrix(list(texts))
    lex = sparse.csr_matrix((data, indices, indptr), shape=(len(texts), lexical.DIMENSION))
    return sparse.hstack([dense, lex], format="csr")


def fit_head(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multinomial logistic regression with balanced class weights; (coef, lexical coef, intercept)
    in CLASSES order."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced")
    model.fit(x, y)
    order = [list(model.classes_).index(i) for i in range(len(CLASSES))]
    coef = model.coef_[order].astype(np.float32)
    return coef[:, :384], coef[:, 384:], model.intercept_[order].astype(np.float32)


def make_classifier(
    head: tuple[np.ndarray, np.ndarray, np.ndarray], thresholds: dict[str, float], meta: dict[str, Any] | None = None
) -> MessageClassifier:
    coef, lex, intercept = head
    t = np.array([thresholds.get(c, 1.0) for c in CLASSES], dtype=np.float32)
    return MessageClassifier(coef, intercept, CLASSES, t, meta, lex)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return float(np.mean([prf(gold, pred, c)[2] for c in CLASSES if c in gold]))


def prf(gold: Sequence[str], pred: Sequence[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    n_pred = sum(p == label for p in pred)
    n_gold = sum(g == label for g in gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, n_gold


class WindowBatch:
    """Single messages as one-turn windows, with the vectors of all their texts."""

    def __init__(self, texts: Sequence[str], encoder: CachedEncoder) -> None:
        self.windows = [window_texts([t]) for t in texts]
        flat = [s for w in self.windows for s in w.texts]
        vectors = encoder.encode(flat)
        self.vectors: list[np.ndarray] = []
        at = 0
        for w in self.windows:
            self.vectors.append(vectors[at : at + len(w.texts)])
            at += len(w.texts)

    def predict(self, clf: MessageClassifier) -> list[str]:
        return [clf.classify_window(w, v).label for w, v in zip(self.windows, self.vectors, strict=True)]

    def scores(self, clf: MessageClassifier, label: str, roles: tuple[str, ...] | None = None) -> np.ndarray:
        """the highest `label` probability over each window's texts (of the given roles)"""
        col = clf.classes.index(label)
        out = []
        for w, v in zip(self.windows, self.vectors, strict=True):
            p = clf.probabilities(v, w.texts)[:, col]
            keep = [i for i, r in enumerate(w.roles) if roles is None or r in roles]
            out.append(float(p[keep].max()))
        return np.array(out)


def caught_by_patterns(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Which texts the guard's crisis and fraud patterns already escalate (the first layer): the
    classifier's thresholds are tuned for what the patterns leave to it."""
    import re

    from assistant.settings import PROJECT_ROOT
    from guardrails.policy import load_policy

    rules = {
        r.id: [re.compile(p, re.I) for p in r.patterns]
        for r in load_policy(PROJECT_ROOT / "guardrails/policy.yaml").policy.input_rules
    }
    by_label = {"crisis": rules["input.crisis"], "fraud": rules["input.fraud_coercion"]}
    return {label: np.array([any(rx.search(t) for rx in rxs) for t in texts]) for label, rxs in by_label.items()}


def tune_thresholds(
    clf: MessageClassifier, dev: WindowBatch, gold: Sequence[str], caught: dict[str, np.ndarray] | None = None
) -> dict[str, float]:
    """From DEV only: crisis and fraud, the highest threshold (capped) at which the patterns and the
    classifier together reach the recall target; each stop class, the lowest threshold in
    STOP_RANGE whose dev precision reaches STOP_PRECISION."""
    thresholds: dict[str, float] = {}
    for label, target in RECALL_TARGET.items():
        is_label = np.array([g == label for g in gold])
        left = is_label & ~(caught or {}).get(label, np.zeros(len(gold), bool))
        positives = np.sort(dev.scores(clf, label)[left])
        if positives.size == 0:
            raise ClassifierError(f"The dev split has no {label} example to tune its threshold on.")
        allowed_misses = int(np.floor((1.0 - target) * positives.size + 1e-9))
        thresholds[label] = float(min(THRESHOLD_CAP, positives[allowed_misses]))
        print(f"{label}: dev recall target {target:.0%} needs threshold {thresholds[label]:.3f}")
    # the check-in tier takes crisis recall, bounded by CHECK_IN_MAX_FALSE; the full escalation
    # needs precision too
    scores = dev.scores(clf, "crisis")
    is_crisis = np.array([g == "crisis" for g in gold])
    in_domain = np.sort(scores[[g in IN_DOMAIN for g in gold]])[::-1]
    bound = float(in_domain[int(np.floor(CHECK_IN_MAX_FALSE * in_domain.size))]) + 1e-4
    left = is_crisis & ~(caught or {}).get("crisis", np.zeros(len(gold), bool))
    print(
        "crisis check-in on dev, threshold: recall of crisis (with the patterns) / share of plan questions: "
        + "; ".join(
            f"{t:.2f}: {1 - (left & (scores < t)).sum() / is_crisis.sum():.1%} / {(in_domain >= t).mean():.1%}"
            for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, round(bound, 3))
        )
    )
    thresholds["crisis"] = max(thresholds["crisis"], min(bound, THRESHOLD_CAP))
    thresholds["crisis_check_in"] = thresholds["crisis"]
    for t in np.arange(thresholds["crisis"], 0.95, 0.01):
        flagged = scores >= t
        if flagged.sum() and (is_crisis & flagged).sum() / flagged.sum() >= CRISIS_PRECISION:
            thresholds["crisis"] = float(round(t, 2))
            break
    thresholds["crisis"] = min(thresholds["crisis"], THRESHOLD_CAP)
    # rounding may put the escalation a hair under the check-in: the check-in is never above it
    # (as the float32 the weights file stores the escalation in)
    thresholds["crisis_check_in"] = min(thresholds["crisis_check_in"], float(np.float32(thresholds["crisis"])))
    # a crisis or fraud message is decided by those rules before any stop: only the other messages
    # count against a stop's precision (a plan question must not be refused)
    safety = np.array([g in ("crisis", "fraud") for g in gold])
    for label in PIECE_CLASSES:
        scores = dev.scores(clf, label, ("message", "piece"))
        is_gold = np.array([g == label for g in gold])
        chosen = STOP_RANGE[1]
        for t in np.arange(STOP_RANGE[0], STOP_RANGE[1] + 1e-9, 0.05):
            flagged = (scores >= t) & ~safety
            if flagged.sum() and (is_gold & flagged).sum() / flagged.sum() >= STOP_PRECISION:
                chosen = float(round(t, 2))
                break
        thresholds[label] = chosen
    return thresholds


def confusion(gold: Sequence[str], pred: Sequence[str]) -> str:
    short = {c: c[:5] for c in CLASSES}
    present = [c for c in CLASSES if c in gold or c in pred]
    counts = Counter(zip(gold, pred, strict=True))
    head = "gold \\ got    " + " ".join(f"{short[c]:>5}" for c in present)
    rows = [f"{c:13s} " + " ".join(f"{counts[(c, p)] or '.':>5}" for p in present) for c in present]
    return "\n".join([head, *rows])


def report_split(name: str, gold: Sequence[str], pred: Sequence[str]) -> str:
    lines = [
        f"== {name}: {len(gold)} messages, accuracy {np.mean([g == p for g, p in zip(gold, pred, strict=True)]):.1%}, "
        f"macro-F1 {macro_f1(gold, pred):.3f}",
        f"{'class':13s}  prec   rec    F1     n",
    ]
    for c in CLASSES:
        p, r, f, n = prf(gold, pred, c)
        if n or any(x == c for x in pred):
            lines.append(f"{c:13s} {p:5.2f} {r:5.2f} {f:5.2f} {n:5d}")
    return "\n".join([*lines, confusion(gold, pred)])


def conversation_classifier(clf: MessageClassifier, encoder: CachedEncoder) -> Callable[[list[str]], str]:
    def classify(turns: list[str]) -> str:
        window: Window = window_texts(turns)
        return clf.classify_window(window, encoder.encode(list(window.texts))).label

    return classify


def measure_latency(clf: MessageClassifier, encoder: CachedEncoder) -> str:
    turns = [
        "I lost my job last month.",
        "The bank keeps calling.",
        "I'm buried in debt and honestly thinking about ending my life. Should I just cash out my 401k?",
    ]
    window = window_texts(turns)
    vectors = encoder.encode(list(window.texts))
    times = []
    for _ in range(2000):
        t0 = time.perf_counter()
        clf.classify_window(window, vectors)
        times.append(time.perf_counter() - t0)
    embed = []
    for n in range(20):  # fresh texts each time, so the embedder's cache does not answer
        texts = [f"{t} ({n})" for t in window.texts]
        t0 = time.perf_counter()
        encoder.embedder.encode(texts)
        embed.append(time.perf_counter() - t0)
    ms = np.array(times) * 1000
    return (
        f"latency of classify_window over {len(window.texts)} vectors: p50 {np.percentile(ms, 50):.3f} ms, "
        f"p95 {np.percentile(ms, 95):.3f} ms (the caller's embedding of the same {len(window.texts)} texts: "
        f"p50 {np.percentile(embed, 50) * 1000:.0f} ms)"
    )


PIECE_LABELS = frozenset({"plan_question", "own_figures", "education", "out_of_scope", "greeting", "human"})
"""classes whose every sentence is of the same class: a sentence of a plan question about a death in
the family is no crisis (while a sentence of a crisis message may be the plan question in it)"""


def benign_pieces(examples: list[Example]) -> list[Example]:
    """The sentences of multi-sentence messages of PIECE_LABELS, as more training examples: the
    runtime reads sentences on their own, so it must learn what a harmless sentence looks like."""
    from dataclasses import replace

    from assistant.understanding.classifier import split_pieces

    seen = {e.text.lower() for e in examples}
    out = []
    for e in examples:
        if e.label in PIECE_LABELS:
            for piece in split_pieces(e.text):
                if piece.lower() not in seen:
                    seen.add(piece.lower())
                    out.append(replace(e, text=piece))
    return out


NEAR_HELD_OUT = 0.9
"""cosine at or above which a training text counts as a paraphrase of a held-out message"""


def drop_near_held_out(examples: list[Example], encoder: CachedEncoder) -> list[Example]:
    """Leave out every example that paraphrases a message of a held-out set (cosine >= 0.9), so no
    held-out figure is measured on something the model was trained or tuned on."""
    from assistant.tooling.classifier_data import held_out_messages

    held = sorted(held_out_messages())
    if not held:
        return examples
    h = encoder.encode(held)
    x = encoder.encode([e.text for e in examples])
    near = (x @ h.T).max(axis=1) >= NEAR_HELD_OUT
    print(f"left out {int(near.sum())} examples within cosine {NEAR_HELD_OUT} of a held-out message")
    return [e for e, n in zip(examples, near, strict=True) if not n]


def write_weights(
    path: Path, head: tuple[np.ndarray, np.ndarray, np.ndarray], thresholds: dict[str, float], meta: dict[str, Any]
) -> None:
    coef, lex, intercept = head
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        np.savez_compressed(
            f,
            coef=coef,
            lexical_coef=lex,
            intercept=intercept,
            classes=np.array(CLASSES),
            thresholds=np.array([thresholds.get(c, 1.0) for c in CLASSES], dtype=np.float32),
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )


def report_held_out(clf: MessageClassifier, encoder: CachedEncoder) -> list[str]:
    from evals import understanding_eval as ue

    classify = conversation_classifier(clf, encoder)
    return [
        ue.format_paraphrases(
            ue.evaluate_paraphrases(classify, ue.load_paraphrases(path)), path.stem, held_out=path not in ue.READ_SETS
        )
        for path in ue.PARAPHRASE_SETS
        if path.is_file()
    ] + [ue.format_education(ue.evaluate_education(classify, ue.load_education()))]


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.settings import load_settings, offline_environment

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="folder for an embedding cache (e.g. /tmp/...)")
    parser.add_argument("--own-only", action="store_true", help="train without ../shared/data")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--dev-only", action="store_true", help="while developing: report dev only")
    args = parser.parse_args(argv)
    offline_environment()
    t_start = time.perf_counter()

    every: list[Example] = load_own()
    if not args.own_only:
        every += load_public(load_mapping()) + load_fiqa()
    seen: set[str] = set()
    unique = []
    for e in every:  # an own example wins over a public text with the same words
        if e.text.lower() not in seen:
            seen.add(e.text.lower())
            unique.append(e)
    # the classifier reads redacted messages at run time: train and measure on redacted texts too
    redacted = Redactor(args.cache).redact([e.text for e in unique])
    unique = [replace(e, text=r) for e, r in zip(unique, redacted, strict=True)]
    unique = drop_near_held_out(unique, CachedEncoder(load_settings().embedding_model, args.cache))
    fitted = [e for e in unique if e.fit]
    by = {s: [e for e in fitted if e.split == s] for s in SPLITS}
    counts = Counter((e.label, e.split, "own" if e.source in OWN_SOURCES else "public") for e in fitted)
    print(f"{'class':13s} " + " ".join(f"{s:>13s}" for s in SPLITS) + "   (own + public)")
    for c in CLASSES:
        print(f"{c:13s} " + " ".join(f"{counts[(c, s, 'own')]:>5d} + {counts[(c, s, 'public')]:<5d}" for s in SPLITS))

    model_id = load_settings().embedding_model
    encoder = CachedEncoder(model_id, args.cache)
    index = {c: i for i, c in enumerate(CLASSES)}
    train = by["train"] + benign_pieces(by["train"])
    print(f"training on {len(by['train'])} messages and {len(train) - len(by['train'])} sentences of benign ones")
    x_train = features([e.text for e in train], encoder)
    y_train = np.array([index[e.label] for e in train])
    gold = {s: [e.label for e in by[s]] for s in SPLITS}
    dev_batch = WindowBatch([e.text for e in by["dev"]], encoder)

    scores: dict[float, float] = {}
    heads = {}
    for strength in C_GRID:
        heads[strength] = fit_head(x_train, y_train, strength)
        clf = make_classifier(heads[strength], {})
        probs = np.array(
            [
                clf.probabilities(v[:1], w.texts[:1])[0]
                for w, v in zip(dev_batch.windows, dev_batch.vectors, strict=True)
            ]
        )
        scores[strength] = macro_f1(gold["dev"], [CLASSES[i] for i in probs.argmax(axis=1)])
        print(f"C={strength:<5g} dev macro-F1 (argmax) {scores[strength]:.3f}")
    best_c = max(scores, key=lambda k: scores[k])
    head = heads[best_c]
    caught = caught_by_patterns([e.text for e in by["dev"]])
    print(
        "dev positives the patterns catch: "
        + ", ".join(f"{k} {int(v[[g == k for g in gold['dev']]].sum())}" for k, v in caught.items())
    )
    thresholds = tune_thresholds(make_classifier(head, {}), dev_batch, gold["dev"], caught)
    print(f"chosen C={best_c:g}; thresholds (dev): " + ", ".join(f"{k} {v:.3f}" for k, v in thresholds.items()))
    meta = {
        "model_id": model_id,
        **input_hashes(root=None if args.own_only else SHARED_DATA),
        "C": best_c,
        "counts": {s: dict(Counter(gold[s])) for s in SPLITS},
        "trained_on": "train split of own examples" + ("" if args.own_only else ", public sets and FiQA dev half"),
        "thresholds_from": "dev split",
        "crisis_check_in": thresholds.pop("crisis_check_in"),
    }
    write_weights(args.out, head, thresholds, meta)
    clf = MessageClassifier.load(args.out)
    print(f"wrote {args.out}")
    print(report_split("dev (thresholds tuned here)", gold["dev"], dev_batch.predict(clf)))
    if args.dev_only:
        return 0
    test_batch = WindowBatch([e.text for e in by["test"]], encoder)
    print(report_split("test (never tuned on)", gold["test"], test_batch.predict(clf)))
    report_only = [e for e in unique if not e.fit]
    if report_only:
        pred = WindowBatch([e.text for e in report_only], encoder).predict(clf)
        print(
            report_split(
                "report-only sets (FiQA test half, never trained or tuned on)", [e.label for e in report_only], pred
            )
        )
    print("\n".join(report_held_out(clf, encoder)))
    print(measure_latency(clf, encoder))
    print(f"done in {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
