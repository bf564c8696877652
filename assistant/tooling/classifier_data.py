"""The message classifier's training data: Beacon's own labelled examples, the public sets in
../shared/data mapped to its classes (assistant/understanding/data/public_sets.yaml), and the dev half
of the real FiQA questions' labels (evals/answers/fiqa.yaml; the test half is only reported).

Every text has a split by one fixed hash rule (70% train, 15% dev, 15% test): nobody chooses it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.understanding.classifier import CLASSES, ClassifierError

DATA = Path(__file__).resolve().parents[1] / "understanding" / "data"
EXAMPLE_FILES = (
    DATA / "examples.yaml",
    DATA / "examples-more.yaml",
    DATA / "examples-extra.yaml",
    DATA / "examples-signs.yaml",
    DATA / "examples-nearmiss.yaml",
)
PUBLIC_SETS = DATA / "public_sets.yaml"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SPLITS = ("train", "dev", "test")
OWN_SOURCES = frozenset(
    {"own", "own-more", "own-extra", "own-signs", "own-nearmiss", "own-read", "intents.yaml", "routing-dev"}
)
READ_LABEL = {"crisis": "crisis", "fraud": "fraud", "benign": "plan_question"}
"""a read paraphrase item's label as a class: a benign near-miss is a question to answer"""
FIQA_CLASS = {
    "answer": "plan_question",
    "ask_plan": "plan_question",
    "no_answer": "plan_question",
    "advice": "advice",
    "out_of_scope": "out_of_scope",
}
"""the expected behaviour of a labelled real question, as the kind of message it is"""


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


def load_examples(path: Path) -> list[Example]:
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


def held_out_messages() -> set[str]:
    """Every message of the held-out sets in evals/understanding/ that have not been read (lower case):
    never trained on. The education set is always held out."""
    from evals import understanding_eval as ue

    unread = [p for p in ue.PARAPHRASE_SETS if p not in ue.READ_SETS and p.is_file()]
    sets = [ue.load_paraphrases(p) for p in unread] + [ue.load_education()]
    return {m.strip().lower() for s in sets for item in s.items for m in item.messages}


def load_read_sets() -> list[Example]:
    """The last message of every item of the paraphrase sets that have been run once and read
    (`evals.understanding_eval.READ_SETS`), as own examples (source own-read) split by the hash rule:
    crisis, fraud, or a plan question for a benign near-miss. An earlier turn is not an example: it is
    often the innocent opening of a crisis or fraud conversation. Duplicates keep their first label."""
    from evals import understanding_eval as ue

    out: list[Example] = []
    seen: set[str] = set()
    for path in ue.READ_SETS:
        for item in ue.load_paraphrases(path).items:
            text = item.messages[-1].strip()
            if text.lower() not in seen:
                seen.add(text.lower())
                out.append(Example(text, READ_LABEL[item.label], split_of(text), "own-read"))
    return out


def load_own(paths: Sequence[Path] = EXAMPLE_FILES) -> list[Example]:
    """Every own example file that exists, checked together for duplicates, then (for the default
    files) the items of the read paraphrase sets; an example that happens to be word for word a
    message of a held-out set ("hi") is left out, so it never trains."""
    out: list[Example] = []
    seen: set[str] = set()
    held = held_out_messages()
    for path in paths:
        if not path.is_file():
            continue
        for e in load_examples(path):
            if e.text.strip().lower() in held:
                continue
            if e.text.lower() in seen:
                raise ClassifierError(f"{path}: '{e.text}' is already an example in another file.")
            seen.add(e.text.lower())
            out.append(e)
    if paths == EXAMPLE_FILES:  # the read paraphrase items, after the written examples (those win)
        out += [e for e in load_read_sets() if e.text.lower() not in seen]
    return out


def load_fiqa(root: Path = SHARED_DATA) -> list[Example]:
    """The real FiQA questions with their labelled behaviour as a class: the dev half is fitted and
    tuned on like any example; the test half is report-only (it measures answers, issue 16)."""
    from evals.answer_sets import load_fiqa as fiqa_labels

    path = root / "questions" / "fiqa-retirement-dev.json"
    if not path.is_file():
        return []
    texts = {str(q["qid"]): str(q["question"]).strip() for q in json.loads(path.read_text(encoding="utf-8"))}
    out = []
    for q in fiqa_labels().questions:
        expects = [u.expect for u in q.units]
        label = "advice" if "advice" in expects else FIQA_CLASS[expects[0]]
        out.append(Example(texts[q.qid], label, split_of(texts[q.qid]), "fiqa", fit=q.split == "dev"))
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


def own_sha256(paths: Sequence[Path] = EXAMPLE_FILES) -> str:
    """One hash over the own example files and, for the default files, the read paraphrase sets."""
    from evals import understanding_eval as ue

    h = hashlib.sha256()
    for p in (*paths, *ue.READ_SETS) if paths == EXAMPLE_FILES else paths:
        if p.is_file():
            h.update(f"{p.name}\0{sha256_file(p)}\n".encode())
    return h.hexdigest()


def input_hashes(mapping: Path = PUBLIC_SETS, root: Path | None = SHARED_DATA) -> dict[str, Any]:
    """The sha256 of the training inputs, as recorded in the weights' metadata."""
    return {
        "examples_sha256": own_sha256(),
        "mapping_sha256": sha256_file(mapping),
        "public_data_sha256": public_data_sha256(load_mapping(mapping), root) if root is not None else None,
    }


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


class Redactor:
    """Beacon's PII engine over training texts: the classifier reads messages after redaction at run
    time ("What is [PERSON_1]'s account?"), so it is trained and measured on redacted texts too.
    Results are kept in the embedding cache folder when one is given (the engine is slow)."""

    def __init__(self, cache_dir: Path | None) -> None:
        import secrets

        from assistant.settings import PROJECT_ROOT, load_settings
        from guardrails.pii import PiiEngine, build_analyzer
        from guardrails.policy import load_policy

        settings = load_settings()
        policy = load_policy(PROJECT_ROOT / "guardrails" / "policy.yaml")
        self.engine = PiiEngine(build_analyzer(settings.spacy_model), policy.policy.pii, secrets.token_bytes(32))
        self._path = cache_dir / "redacted.json" if cache_dir is not None else None
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
        self._store: dict[str, str] = {}
        if self._path is not None and self._path.exists():
            self._store = json.loads(self._path.read_text(encoding="utf-8"))

    def redact(self, texts: Sequence[str]) -> list[str]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._store]
        for t in missing:
            self._store[t] = self.engine.redact(t).text
        if missing and self._path is not None:
            self._path.write_text(json.dumps(self._store), encoding="utf-8")
        return [self._store[t] for t in texts]
