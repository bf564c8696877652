"""PII detection quality on Presidio's synthetic set (`../shared/data/pii/synth_dataset_v2.json`).

Beacon's analyzer (Presidio + spaCy + Beacon's recognizers, the policy's per-entity thresholds:
exactly what redacts a message) and Presidio's default analyzer (same spaCy model, default
recognizers, default score threshold) are scored on the same sentences in the same run.

Scoring is per token (runs of letters and digits), as in presidio-research: a token is a true
positive for an entity when the gold label and the prediction covering it map to that entity.
The dataset's labels map to the entities below explicitly (`GOLD`); each analyzer's entity names
map onto the same names (`BEACON`, `PRESIDIO_DEFAULT`).

* scored: the entities Beacon redacts that the set labels;
* ignored (tokens not scored at all): labels whose boundaries differ from what Beacon redacts -
  `GPE` (a city or country alone is not redacted; inside addresses the set labels the city
  separately), `ZIP_CODE` (labelled apart from the street line it belongs to) and `DATE_TIME`
  (Beacon redacts dates of birth in context only; the set does not say which dates are birthdays);
* outside: labels Beacon deliberately keeps (`ORGANIZATION` - employers and plan names, `AGE` -
  needed for catch-up and RMD figures, `TITLE`, `NRP`, `DOMAIN_NAME`): a prediction there is a
  false positive.

The set is split in two halves by template (even template ids = dev, odd = held-out) so no
sentence pattern of the held-out half was seen while tuning recognizers; both halves are reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCORED = [
    "PERSON",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_DRIVER_LICENSE",
]
IGNORED = {"GPE", "ZIP_CODE", "DATE_TIME"}
OUTSIDE = {"ORGANIZATION", "AGE", "TITLE", "NRP", "DOMAIN_NAME"}
GOLD: dict[str, str | None] = {**{e: e for e in SCORED}, **dict.fromkeys(IGNORED | OUTSIDE)}
"""dataset label -> scored entity (None: ignored or outside, see IGNORED / OUTSIDE)"""
BEACON: dict[str, str] = {e: e for e in SCORED}
"""Beacon entity -> scored entity (Beacon-only entities such as PLAN_ACCOUNT count as predictions of nothing)"""
PRESIDIO_DEFAULT: dict[str, str] = {**{e: e for e in SCORED if e != "STREET_ADDRESS"}, "LOCATION": "STREET_ADDRESS"}
"""Presidio default entity -> scored entity (it has no street-address recognizer; spaCy's LOCATION stands in)"""

TOKEN = re.compile(r"\w+")
Detector = Callable[[str], list[tuple[int, int, str]]]
"""text -> [(start, end, entity)] in the analyzer's own entity names"""


@dataclass(frozen=True)
class Sample:
    text: str
    spans: tuple[tuple[int, int, str], ...]
    template_id: int

    @property
    def split(self) -> str:
        return "dev" if self.template_id % 2 == 0 else "held-out"


def load_samples(path: Path) -> list[Sample]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for row in data:
        spans = []
        for s in row["spans"]:
            if s["entity_type"] not in GOLD:
                raise ValueError(f"{path}: label {s['entity_type']} has no mapping in evals/pii_eval.GOLD")
            spans.append((s["start_position"], s["end_position"], s["entity_type"]))
        out.append(Sample(row["full_text"], tuple(spans), int(row.get("template_id") or 0)))
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f(self, beta: float = 2.0) -> float:
        p, r = self.precision, self.recall
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0


@dataclass
class PiiScore:
    per_entity: dict[str, Counts] = field(default_factory=lambda: {e: Counts() for e in SCORED})
    any_pii: Counts = field(default_factory=Counts)
    """the same tokens with the entity type ignored: is it redacted at all?"""

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.per_entity.values():
            total.add(c)
        return total


def _label_at(start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> str | None:
    for s, e, label in spans:
        if s < end and start < e:
            return label
    return None


def score_sample(
    sample: Sample, predicted: list[tuple[int, int, str]], mapping: dict[str, str], into: PiiScore
) -> None:
    for m in TOKEN.finditer(sample.text):
        gold_label = _label_at(m.start(), m.end(), sample.spans)
        if gold_label in IGNORED:
            continue
        gold = GOLD.get(gold_label) if gold_label else None
        pred_label = _label_at(m.start(), m.end(), predicted)
        pred = mapping.get(pred_label) if pred_label else None
        if gold and pred == gold:
            into.per_entity[gold].tp += 1
        else:
            if gold:
                into.per_entity[gold].fn += 1
            if pred:
                into.per_entity[pred].fp += 1
        if gold and pred_label:
            into.any_pii.tp += 1
        elif gold:
            into.any_pii.fn += 1
        elif pred_label:
            into.any_pii.fp += 1


def evaluate(samples: list[Sample], detect: Detector, mapping: dict[str, str]) -> dict[str, PiiScore]:
    """Scores per split ("dev", "held-out") and for the whole set ("all")."""
    scores = {"dev": PiiScore(), "held-out": PiiScore(), "all": PiiScore()}
    for sample in samples:
        predicted = detect(sample.text)
        score_sample(sample, predicted, mapping, scores[sample.split])
        score_sample(sample, predicted, mapping, scores["all"])
    return scores


def beacon_detector(pii: Any) -> Detector:
    """Beacon's redaction path: `PiiEngine.detect` with the policy's thresholds and allow list."""
    return lambda text: [(r.start, r.end, r.entity_type) for r in pii.detect(text)]


def presidio_default_detector(spacy_model: str) -> Detector:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    engine = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": spacy_model}]}
    ).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    entities = list(PRESIDIO_DEFAULT)

    def detect(text: str) -> list[tuple[int, int, str]]:
        results = analyzer.analyze(text=text, language="en", entities=entities)
        results.sort(key=lambda r: (-r.score, -(r.end - r.start)))
        chosen: list[tuple[int, int, str]] = []
        for r in results:
            if all(r.end <= s or r.start >= e for s, e, _ in chosen):
                chosen.append((r.start, r.end, r.entity_type))
        return chosen

    return detect


def format_pii(results: dict[str, dict[str, PiiScore]], n: int, split_sizes: dict[str, int]) -> str:
    """Side-by-side table: per entity P/R/F2 for each analyzer on the held-out half, then overall lines."""
    names = list(results)
    lines = [
        f"PII detection, synth_dataset_v2 ({n} sentences; dev {split_sizes['dev']} / held-out "
        f"{split_sizes['held-out']} by template), per token",
        f"  {'entity':<18}{'gold':>6}  "
        + "  ".join(f"{name + ' P/R/F2':>26}" for name in names)
        + "   (held-out half)",
    ]
    for entity in SCORED:
        gold = results[names[0]]["held-out"].per_entity[entity]
        cells = []
        for name in names:
            c = results[name]["held-out"].per_entity[entity]
            cells.append(f"{c.precision:>8.2f}{c.recall:>8.2f}{c.f():>10.2f}")
        lines.append(f"  {entity:<18}{gold.tp + gold.fn:>6}  " + "  ".join(f"{c:>26}" for c in cells))
    for split in ("dev", "held-out", "all"):
        for label, pick in (("overall", lambda s: s.overall), ("any PII", lambda s: s.any_pii)):
            cells = []
            for name in names:
                c = pick(results[name][split])
                cells.append(f"{c.precision:>8.2f}{c.recall:>8.2f}{c.f():>10.2f}")
            lines.append(f"  {label + ' ' + split:<24}" + "  ".join(f"{c:>26}" for c in cells))
    return "\n".join(lines)


def pii_report(pii: Any, spacy_model: str, data_dir: Path) -> str:
    """The bench section: Beacon's analyzer and Presidio's default on the same sentences."""
    path = data_dir / "pii" / "synth_dataset_v2.json"
    if not path.exists():
        return f"PII detection: skipped ({path} is absent)"
    samples = load_samples(path)
    results = {
        "Beacon": evaluate(samples, beacon_detector(pii), BEACON),
        "Presidio default": evaluate(samples, presidio_default_detector(spacy_model), PRESIDIO_DEFAULT),
    }
    sizes = {k: sum(1 for s in samples if s.split == k) for k in ("dev", "held-out")}
    whole, held_out = results["Beacon"]["all"].overall.f(), results["Beacon"]["held-out"].overall.f()
    return (
        format_pii(results, len(samples), sizes)
        + f"\n  target overall F2 >= 0.90 on the set (as Presidio's published 0.62 default / 0.85 customised): "
        f"{'ok' if whole >= 0.90 else 'MISSED'} ({whole:.2f})"
        + f"\n  held-out templates (none of their sentences read while tuning): {held_out:.2f} ({'>=' if held_out >= 0.90 else 'below'} 0.90)"
    )
