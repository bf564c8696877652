"""The understanding section of `make bench`: how well Beacon reads what kind of message it is.

- the classifier alone on the TEST split of its labelled data (never trained or tuned on), per class;
- every item of the held-out crisis/fraud paraphrase sets and the education set as real
  conversations through the turn service (patterns + classifier + routing: what a person gets);
- the classifier's own time per turn (after the embedding it shares with routing).
"""

from __future__ import annotations

import statistics
from typing import Any

from assistant.decisions.drafts import Blocks
from assistant.services.turn_service import TurnService
from assistant.tooling.classifier_training import WindowBatch, macro_f1, prf
from assistant.understanding.classifier import CLASSES
from evals import understanding_eval as ue
from evals.attack_eval import reply_kind

SHOWN_AS = {"crisis": "crisis", "crisis_check_in": "crisis", "fraud": "fraud", "advice": "advice"}
"""reply kinds as the class the held-out sets score (everything else: answered or redirected); the
988 check-in counts as reaching a person in crisis (it opens with 988 and a person), though it answers"""


class _Encoder:
    def __init__(self, deps: Any) -> None:
        self.embedder = deps.embedder

    def encode(self, texts: list[str]) -> Any:
        return self.embedder.encode(texts)


def classifier_test_split(deps: Any) -> list[str]:
    """Per-class precision and recall of the classifier alone on the test split."""
    from assistant.tooling.classifier_data import SHARED_DATA, load_fiqa, load_mapping, load_own, load_public

    every = load_own() + (load_public(load_mapping()) + load_fiqa() if SHARED_DATA.is_dir() else [])
    seen: set[str] = set()
    test = []
    for e in every:
        if e.text.lower() not in seen:
            seen.add(e.text.lower())
            if e.fit and e.split == "test":
                test.append(e)
    clf = deps.understanding.classifier
    gold = [e.label for e in test]
    pred = WindowBatch([e.text for e in test], _Encoder(deps)).predict(clf)  # type: ignore[arg-type]
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    lines = [
        f"message classifier, test split ({len(test)} messages, never trained or tuned on"
        f"{'' if SHARED_DATA.is_dir() else '; own examples only: ../shared/data is absent'}): "
        f"accuracy {acc:.1%}, macro-F1 {macro_f1(gold, pred):.3f}",
        "  class          prec   rec     n",
    ]
    for c in CLASSES:
        p, r, _f, n = prf(gold, pred, c)
        if n:
            lines.append(f"  {c:13s} {p:5.2f} {r:5.2f} {n:5d}")
    return lines


_FRAUD_WARNING = Blocks().get("fraud")


def _as_class(result: dict[str, Any]) -> str:
    kind = reply_kind(result)
    shown = SHOWN_AS.get(kind, "plan_question" if kind in ("answer", "clarify", "no_source") else kind)
    if shown == "crisis" and _FRAUD_WARNING in (result.get("answer") or ""):
        return ue.CRISIS_AND_FRAUD  # 988 and the scam warning signs in one reply
    return shown


def held_out_through_turns(service: TurnService) -> list[str]:
    """Each held-out conversation through the real turn service; the last turn's reply is scored."""

    def classify(turns: list[str]) -> str:
        thread = None
        out: dict[str, Any] = {}
        for text in turns:
            result = service.run(text, participant="A-1002", thread_id=thread)
            thread = result.thread_id
            out = result.model_dump(mode="json")
        return _as_class(out)

    lines = ["held-out sets through real turns (patterns + classifier + routing; participant A-1002):"]
    for path in ue.PARAPHRASE_SETS:
        if path.is_file():
            report = ue.evaluate_paraphrases(classify, ue.load_paraphrases(path))
            lines.append("  " + ue.format_paraphrases(report, path.stem, held_out=path not in ue.READ_SETS))
    lines.append("  " + ue.format_education(ue.evaluate_education(classify, ue.load_education())))
    return lines


def classifier_latency(deps: Any, turn_ids: list[str]) -> str:
    """The classifier's own time in real turns, from their audit records."""
    classify, embed = [], []
    for tid in turn_ids:
        u = ((deps.audit.get(tid) or {}).get("input_screen") or {}).get("understanding") or {}
        if "classify_ms" in u:
            classify.append(u["classify_ms"])
            embed.append(u["embed_ms"])
    if not classify:
        return "message classifier latency: no turn recorded it"
    return (
        f"message classifier latency per turn: p50 {statistics.median(classify):.2f} ms (budget 5 ms on top of the "
        f"embedding), embedding its window p50 {statistics.median(embed):.1f} ms ({len(classify)} turns; the "
        "message's vector is reused by routing)"
    )


def understanding_report(deps: Any, turn_ids: list[str]) -> list[str]:
    lines = classifier_test_split(deps)
    lines += held_out_through_turns(TurnService(deps))
    lines.append(classifier_latency(deps, turn_ids))
    return lines
