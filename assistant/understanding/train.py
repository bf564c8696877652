"""Train the message classifier: `python -m assistant.understanding.train [--cache DIR] [--own-only]`.

1. Reads Beacon's own examples (data/examples.yaml) and the public sets named in data/public_sets.yaml
   from ../shared/data; every text has a split by the fixed hash rule (70% train, 15% dev, 15% test).
2. Embeds every text with the real MiniLM model (`assistant.embeddings.Embedder`).
3. Fits a multinomial logistic regression (scikit-learn) on the TRAIN split only; picks C on dev.
4. Tunes the crisis and fraud thresholds on DEV only (recall targets below), through the same window
   rule the runtime uses (`classify_window` on each dev message).
5. Writes data/classifier.npz (numpy arrays only, no pickle) with the sha256 of the training inputs.
6. Prints dev AND test per-class precision/recall/F1 and confusion matrices, then REPORTS the
   held-out sets of evals/understanding/ (never used to choose anything) and the latency.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.understanding.classifier import (
    CLASSES,
    PIECE_CLASSES,
    WEIGHTS,
    ClassifierError,
    MessageClassifier,
    Window,
    window_texts,
)

DATA = Path(__file__).with_name("data")
EXAMPLES = DATA / "examples.yaml"
PUBLIC_SETS = DATA / "public_sets.yaml"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SPLITS = ("train", "dev", "test")
OWN_SOURCES = frozenset({"own", "intents.yaml", "routing-dev"})

C_GRID = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
"""inverse regularisation strengths tried; the one with the best dev macro-F1 is kept"""
RECALL_TARGET = {"crisis": 1.0, "fraud": 0.95}
"""dev recall the crisis and fraud thresholds must reach"""
THRESHOLD_CAP = 0.5
"""a threshold is never set above this, however well dev separates (fixed, not tuned)"""
PIECE_THRESHOLD = 0.5
"""probability a sentence needs to be called harmful/injection/forgery/third_party (fixed, not tuned)"""


def split_of(text: str) -> str:
    """The fixed split rule shared by examples.yaml and every public set."""
    n = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if n < 70 else "dev" if n < 85 else "test"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    split: str
    source: str
    """"own", "intents.yaml", "routing-dev" or a public set's name"""
    fit: bool = True
    """False for report-only public sets (never trained or tuned on)"""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_examples(path: Path = EXAMPLES) -> list[Example]:
    """Beacon's own examples; `ClassifierError` naming the text when a label or split is wrong."""
    try:
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise ClassifierError(f"{path} cannot be read as the examples file ({e}).") from e
    seen: set[str] = set()
    out: list[Example] = []
    for n, row in enumerate(rows, start=1):
        if set(row) != {"text", "label", "split", "source"}:
            raise ClassifierError(f"{path}: example {n} needs exactly text, label, split and source.")
        text, label = str(row["text"]).strip(), row["label"]
        if label not in CLASSES:
            raise ClassifierError(f"{path}: example {n} ('{text}') has unknown class '{label}'.")
        if row["split"] != split_of(text):
            raise ClassifierError(
                f"{path}: example {n} ('{text}') must have split '{split_of(text)}' by the hash rule."
            )
        if text.lower() in seen:
            raise ClassifierError(f"{path}: example {n} ('{text}') is a duplicate.")
        seen.add(text.lower())
        out.append(Example(text, label, row["split"], row["source"]))
    return out


def _matches(codes: Sequence[str], prefixes: Sequence[str]) -> bool:
    return any(code.startswith(p) for code in codes for p in prefixes)


def _rule_label(spec: dict[str, Any], codes: Sequence[str], row: dict[str, str]) -> str:
    for rule in spec.get("rules", []):
        if "any_prefix" in rule and not _matches(codes, rule["any_prefix"]):
            continue
        if _matches(codes, rule.get("none_prefix", [])):
            continue
        if "type" in rule and row.get("type") != rule["type"]:
            continue
        if "xs_label" in rule and row.get("label") != rule["xs_label"]:
            continue
        return str(rule["label"])
    if "label" not in spec:
        raise ClassifierError(f"public set {spec['name']}: no rule matched codes {list(codes)} and no default label.")
    return str(spec["label"])


def _read_set(spec: dict[str, Any], root: Path) -> list[tuple[str, str]]:
    """(prompt, label) pairs of one public set."""
    out: list[tuple[str, str]] = []
    overrides = spec.get("overrides", {})
    by_category = {c: label for label, cats in spec.get("categories", {}).items() for c in cats}
    for rel in spec["files"]:
        path = root / rel
        fmt = spec["format"]
        if fmt == "jsonl_intents":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    out.append((record["prompt"], _rule_label(spec, record["intents"], {})))
        elif fmt == "lines":
            out += [
                (line.strip(), spec["label"]) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
        elif fmt == "json_records":
            out += [(r["prompt"], spec["label"]) for r in json.loads(path.read_text(encoding="utf-8"))]
        elif fmt == "json_lists":
            for category, prompts in json.loads(path.read_text(encoding="utf-8")).items():
                label = by_category.get(category, spec.get("label"))
                if label is None:
                    raise ClassifierError(f"public set {spec['name']}: category '{category}' is not mapped.")
                out += [(p, label) for p in prompts]
        elif fmt == "xstest_csv":
            with path.open(encoding="utf-8", newline="") as f:
                out += [(r["prompt"], _rule_label(spec, [], r)) for r in csv.DictReader(f)]
        else:
            raise ClassifierError(f"public set {spec['name']}: unknown format '{fmt}'.")
    return [(p.strip(), overrides[p]["label"] if p in overrides else label) for p, label in out]


def load_mapping(path: Path = PUBLIC_SETS) -> list[dict[str, Any]]:
    try:
        return list(yaml.safe_load(path.read_text(encoding="utf-8"))["sets"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise ClassifierError(f"{path} cannot be read as the public-set mapping ({e}).") from e


def public_files(mapping: list[dict[str, Any]], root: Path = SHARED_DATA) -> list[Path]:
    return [root / rel for spec in mapping for rel in spec["files"]]


def public_data_sha256(mapping: list[dict[str, Any]], root: Path = SHARED_DATA) -> str:
    """One hash over every public file the mapping names (relative path and content)."""
    h = hashlib.sha256()
    for path in sorted(public_files(mapping, root)):
        h.update(f"{path.relative_to(root).as_posix()}\0{sha256_file(path)}\n".encode())
    return h.hexdigest()


def load_public(mapping: list[dict[str, Any]], root: Path = SHARED_DATA) -> list[Example]:
    """The public examples, split by the hash rule; duplicates (same text) keep their first label."""
    missing = [p for p in public_files(mapping, root) if not p.is_file()]
    if missing:
        raise ClassifierError(f"Public data is missing ({missing[0]}); pass --own-only to train without it.")
    out: list[Example] = []
    seen: set[str] = set()
    for spec in mapping:
        for text, label in _read_set(spec, root):
            if label == "skip" or not text or text.lower() in seen:
                continue
            if label not in CLASSES:
                raise ClassifierError(f"public set {spec['name']}: unknown class '{label}' for '{text[:60]}'.")
            seen.add(text.lower())
            out.append(Example(text, label, split_of(text), spec["name"], fit=not spec.get("report_only", False)))
    return out


def input_hashes(
    examples: Path = EXAMPLES, mapping: Path = PUBLIC_SETS, root: Path | None = SHARED_DATA
) -> dict[str, Any]:
    """The sha256 of the training inputs, as recorded in the weights' metadata."""
    return {
        "examples_sha256": sha256_file(examples),
        "mapping_sha256": sha256_file(mapping),
        "public_data_sha256": public_data_sha256(load_mapping(mapping), root) if root is not None else None,
    }


# ---------------------------------------------------------------------------------------------- embedding


class CachedEncoder:
    """The real Embedder, with an optional on-disk cache of vectors (for experiments; never committed)."""

    def __init__(self, model_id: str, cache_dir: Path | None) -> None:
        from assistant.embeddings import Embedder

        self.embedder = Embedder(model_id)
        self.model_id = model_id
        self._path = None
        self._store: dict[str, np.ndarray] = {}
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._path = cache_dir / f"embeddings-{hashlib.sha256(model_id.encode()).hexdigest()[:12]}.npz"
            if self._path.exists():
                with np.load(self._path, allow_pickle=False) as npz:
                    self._store = dict(zip([str(t) for t in npz["texts"]], npz["vectors"], strict=True))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._store))
        if missing:
            vectors = self.embedder.encode(missing, batch_size=64)
            self._store.update(zip(missing, vectors, strict=True))
            if self._path is not None:
                keys = list(self._store)
                np.savez(self._path, texts=np.array(keys), vectors=np.stack([self._store[k] for k in keys]))
        return np.stack([self._store[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


# ---------------------------------------------------------------------------------------------- fitting


def fit_head(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression with balanced class weights; (coef, intercept) in CLASSES order."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(x, y)
    order = [list(model.classes_).index(i) for i in range(len(CLASSES))]
    return model.coef_[order].astype(np.float32), model.intercept_[order].astype(np.float32)


def make_classifier(
    coef: np.ndarray, intercept: np.ndarray, thresholds: dict[str, float], meta: dict[str, Any] | None = None
) -> MessageClassifier:
    t = np.array([thresholds.get(c, 1.0) for c in CLASSES], dtype=np.float32)
    return MessageClassifier(coef, intercept, CLASSES, t, meta)


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

    def scores(self, clf: MessageClassifier, label: str) -> np.ndarray:
        """the highest `label` probability over each window's texts"""
        col = clf.classes.index(label)
        return np.array([clf.probabilities(v)[:, col].max() for v in self.vectors])


def tune_thresholds(clf: MessageClassifier, dev: WindowBatch, gold: Sequence[str]) -> dict[str, float]:
    """Crisis and fraud thresholds from DEV: the highest threshold (capped) reaching the recall target."""
    thresholds = {c: PIECE_THRESHOLD for c in PIECE_CLASSES}
    for label, target in RECALL_TARGET.items():
        positives = np.sort(dev.scores(clf, label)[[g == label for g in gold]])
        if positives.size == 0:
            raise ClassifierError(f"The dev split has no {label} example to tune its threshold on.")
        allowed_misses = int(np.floor((1.0 - target) * positives.size + 1e-9))
        thresholds[label] = float(min(THRESHOLD_CAP, positives[allowed_misses]))
    return thresholds


# ---------------------------------------------------------------------------------------------- reporting


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


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.settings import load_settings, offline_environment
    from evals import understanding_eval as ue

    parser = argparse.ArgumentParser(prog="python -m assistant.understanding.train", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="folder for an embedding cache (e.g. /tmp/...)")
    parser.add_argument("--own-only", action="store_true", help="train without ../shared/data")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument(
        "--dev-only", action="store_true", help="while developing: report dev only (no test split, no held-out sets)"
    )
    args = parser.parse_args(argv)
    offline_environment()
    t_start = time.perf_counter()

    own = load_examples()
    mapping = load_mapping()
    public = [] if args.own_only else load_public(mapping)
    every = own + public
    fitted = [e for e in every if e.fit]
    by = {s: [e for e in fitted if e.split == s] for s in SPLITS}
    counts = Counter((e.label, e.split, "own" if e.source in OWN_SOURCES else "public") for e in fitted)
    print("data (own + public) per class and split:")
    print(f"{'class':13s} " + " ".join(f"{s:>13s}" for s in SPLITS))
    for c in CLASSES:
        cells = [f"{counts[(c, s, 'own')]:>5d} + {counts[(c, s, 'public')]:<5d}" for s in SPLITS]
        print(f"{c:13s} " + " ".join(cells))

    model_id = load_settings().embedding_model
    encoder = CachedEncoder(model_id, args.cache)
    index = {c: i for i, c in enumerate(CLASSES)}
    x = {s: encoder.encode([e.text for e in by[s]]) for s in SPLITS}
    y = {s: np.array([index[e.label] for e in by[s]]) for s in SPLITS}
    gold = {s: [e.label for e in by[s]] for s in SPLITS}

    dev_f1: dict[float, float] = {}
    for strength in C_GRID:
        coef, intercept = fit_head(x["train"], y["train"], strength)
        probs = make_classifier(coef, intercept, {}).probabilities(x["dev"])
        dev_f1[strength] = macro_f1(gold["dev"], [CLASSES[i] for i in probs.argmax(axis=1)])
        print(f"C={strength:<5g} dev macro-F1 (argmax) {dev_f1[strength]:.3f}")
    best_c = max(dev_f1, key=lambda k: dev_f1[k])  # the first C with the best dev score
    coef, intercept = fit_head(x["train"], y["train"], best_c)
    dev_batch = WindowBatch([e.text for e in by["dev"]], encoder)
    thresholds = tune_thresholds(make_classifier(coef, intercept, {}), dev_batch, gold["dev"])
    print(f"chosen C={best_c:g}; thresholds (dev): " + ", ".join(f"{k} {v:.3f}" for k, v in thresholds.items()))

    meta = {
        "model_id": model_id,
        **input_hashes(root=None if args.own_only else SHARED_DATA),
        "C": best_c,
        "counts": {s: dict(Counter(gold[s])) for s in SPLITS},
        "trained_on": "train split of own examples" + ("" if args.own_only else " and public sets"),
        "thresholds_from": "dev split",
    }
    clf = make_classifier(coef, intercept, thresholds, meta)
    t = np.array([thresholds.get(c, 1.0) for c in CLASSES], dtype=np.float32)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as f:
        np.savez(
            f,
            coef=coef,
            intercept=intercept,
            classes=np.array(CLASSES),
            thresholds=t,
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )
    clf = MessageClassifier.load(args.out)
    print(f"wrote {args.out}")

    print(report_split("dev (thresholds tuned here)", gold["dev"], dev_batch.predict(clf)))
    if args.dev_only:
        return 0
    test_batch = WindowBatch([e.text for e in by["test"]], encoder)
    print(report_split("test (never tuned on)", gold["test"], test_batch.predict(clf)))
    for source in ("own", "public"):
        rows = [e for e in by["test"] if (e.source in OWN_SOURCES) == (source == "own")]
        if rows:
            pred = WindowBatch([e.text for e in rows], encoder).predict(clf)
            acc = np.mean([e.label == p for e, p in zip(rows, pred, strict=True)])
            print(f"test accuracy on {source} examples: {acc:.1%} of {len(rows)}")
    report_only = [e for e in every if not e.fit]
    if report_only:
        pred = WindowBatch([e.text for e in report_only], encoder).predict(clf)
        print(report_split("report-only public sets (never trained or tuned on)", [e.label for e in report_only], pred))

    classify = conversation_classifier(clf, encoder)
    print(ue.format_paraphrases(ue.evaluate_paraphrases(classify, ue.load_paraphrases())))
    print(ue.format_education(ue.evaluate_education(classify, ue.load_education())))
    print(measure_latency(clf, encoder))
    print(f"done in {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
