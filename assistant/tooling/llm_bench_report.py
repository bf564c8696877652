"""Scoring and the side-by-side table of `make bench-llm` (assistant/tooling/llm_bench.py).

Per question and backend: answered-and-relevant (the reply answers and states an expected fact of
the labelled answer), irrelevant (it answers without any expected fact), the expected behaviour for
advice / out-of-scope / no-answer labels, the shipped suites' own checks, figures against the
calculators (re-checked here independently of the guard), what the guard did to each LLM draft and
why, the fallbacks to the composer and why, and latency p50/p95.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any

from evals.answer_sets import fact_found

_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?|(?<![\w.$])\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b)")
EXPECTED_REASON = {"advice": {"advice"}, "out_of_scope": {"out_of_scope"}, "no_answer": {"no_source"}}


def amounts(text: str) -> list[tuple[str, float]]:
    """Dollar amounts and percentages as written, with their values."""
    out = []
    for m in _AMOUNT.finditer(text):
        raw = m.group(0).rstrip(",.")
        digits = re.sub(r"[^\d.]", "", raw).rstrip(".")
        try:
            out.append((raw.strip(), float(digits)))
        except ValueError:
            continue
    return out


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text) if n.replace(",", "")}


def figure_check(answer: str, figures: list[dict[str, Any]], sources: list[str]) -> dict[str, Any]:
    """Whether the answer states one of the calculator's dollar/percent figures, and every dollar
    amount or percentage in it that neither a calculator figure nor a retrieved passage gives
    (cents exact; a whole-dollar amount may round a figure; a calculator's inputs count as support)."""
    # a change is a signed figure that the reply states as an amount ("-76.15" is "$76.15 less")
    calc = [
        abs(float(f["value"])) for f in figures if f.get("unit") in ("USD", "percent") and _is_number(f.get("value"))
    ]
    stated = [
        raw for raw, v in amounts(answer) if any(abs(v - c) < 0.006 or ("." not in raw and v == round(c)) for c in calc)
    ]
    inputs = [abs(float(v)) for f in figures for v in (f.get("inputs") or {}).values() if _is_number(v)]
    support = {v for s in sources for v in _numbers(s)} | set(calc) | {float(round(c)) for c in calc} | set(inputs)
    wrong = [raw for raw, v in amounts(answer) if not any(abs(v - s) < 0.006 for s in support)]
    return {"calculated": bool(calc), "stated": stated, "wrong": wrong}


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def score_labelled(units: list[dict[str, Any]], result: dict[str, Any]) -> dict[str, Any]:
    """`units`: the label's parts ({expect, facts}); `result`: the turn JSON."""
    # the 988 check-in opens a reply that still answers (`crisis_check_in` with citations): an answer,
    # relevant or not like any other
    answered = result["action"] == "answer" or (
        result.get("reason") == "crisis_check_in" and bool(result.get("citations"))
    )
    facts = [f for u in units if u["expect"] == "answer" for f in u["facts"]]
    found = [f for f in facts if fact_found(f, result["answer"])]
    wanted = {u["expect"] for u in units}
    behaved = None
    if "answer" not in wanted:
        allowed = set().union(*(EXPECTED_REASON.get(w, set()) for w in wanted))
        behaved = (result.get("reason") in allowed) if allowed else result["action"] == "clarify"
    return {
        "answerable": bool(facts),
        "answered": answered,
        "relevant": answered and bool(found),
        "irrelevant": answered and not found,
        "facts_found": len(found),
        "facts": len(facts),
        "behaved": behaved,
    }


def draft_outcome(row: dict[str, Any]) -> str:
    """What happened to the LLM's draft for one turn: not asked | passed | transformed | blocked | fallback."""
    if row["rejected_by_guard"]:
        return "blocked"
    if row["draft_source"] == "llm":
        return "transformed" if row["guard_decision"] == "transform" else "passed"
    if row["fallback_reason"]:
        return "fallback"
    return "not asked"


def fallback_kind(reason: str) -> str:
    low = reason.lower()
    if "timeout" in low or "timed out" in low:
        return "timeout"
    if low.startswith("unsupported sentence"):
        return "unsupported sentence"
    if low.startswith("no given sentence quoted"):
        return "no valid quote"
    if low.startswith("unusable reply"):
        return "unusable reply (" + ("no JSON" if "no json" in low else "bad JSON") + ")"
    return reason.split(":", 1)[0]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def _share(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "-"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The measures of one backend's rows (one row per turn)."""
    labelled = [r for r in rows if r.get("score")]
    answerable = [r for r in labelled if r["score"]["answerable"]]
    behave = [r for r in labelled if r["score"]["behaved"] is not None]
    suite_cases = {r["case"]: r["case_passed"] for r in rows if r.get("case")}
    calculated = [r for r in rows if r["figures"]["calculated"]]
    outcomes = Counter(draft_outcome(r) for r in rows)
    blocked_rules: Counter[str] = Counter(f["rule_id"] for r in rows for f in r["rejected_findings"])
    fallbacks: Counter[str] = Counter(
        fallback_kind(r["fallback_reason"]) for r in rows if draft_outcome(r) == "fallback"
    )
    latencies = [r["latency_ms"] for r in rows]
    return {
        "turns": len(rows),
        "answered_relevant": [sum(r["score"]["relevant"] for r in answerable), len(answerable)],
        "irrelevant": [sum(r["score"]["irrelevant"] for r in labelled), len(labelled)],
        "facts_found": [
            sum(r["score"]["facts_found"] for r in answerable),
            sum(r["score"]["facts"] for r in answerable),
        ],
        "expected_behaviour": [sum(bool(r["score"]["behaved"]) for r in behave), len(behave)],
        "suite_cases_passed": [sum(suite_cases.values()), len(suite_cases)],
        "figures_stated": [sum(bool(r["figures"]["stated"]) for r in calculated), len(calculated)],
        "figures_wrong": [sum(bool(r["figures"]["wrong"]) for r in rows), len(rows)],
        "drafts": dict(outcomes),
        "blocked_by_rule": dict(blocked_rules),
        "fallbacks": dict(fallbacks),
        "leads_dropped": sum(bool(r.get("trimmed")) and draft_outcome(r) in ("passed", "transformed") for r in rows),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "latency_p95_ms": round(pct(latencies, 0.95), 1),
    }


ROWS = [
    ("answered-and-relevant (of answerable)", "answered_relevant"),
    ("irrelevant answers (of labelled)", "irrelevant"),
    ("expected facts stated", "facts_found"),
    ("advice/out-of-scope/no-answer handled", "expected_behaviour"),
    ("shipped suite cases passed", "suite_cases_passed"),
    ("calculator figure stated (turns with one)", "figures_stated"),
    ("answers with an unsupported $ or %", "figures_wrong"),
]


def table(composer: dict[str, Any], llm: dict[str, Any], llm_name: str) -> list[str]:
    width = 44
    lines = [f"{'':{width}} {'composer':>16} {llm_name:>16}"]
    for label, key in ROWS:
        lines.append(f"{label:{width}} {_share(*composer[key]):>16} {_share(*llm[key]):>16}")
    lines.append(
        f"{'latency p50 / p95 (ms)':{width}} "
        f"{composer['latency_p50_ms']:>7.0f} / {composer['latency_p95_ms']:<6.0f} "
        f"{llm['latency_p50_ms']:>7.0f} / {llm['latency_p95_ms']:<6.0f}"
    )
    d = llm["drafts"]
    asked = sum(v for k, v in d.items() if k != "not asked")
    lines.append(
        f"LLM drafts: {asked} asked of {llm['turns']} turns: "
        + ", ".join(f"{k} {_share(d.get(k, 0), asked)}" for k in ("passed", "transformed", "blocked", "fallback"))
    )
    if llm["blocked_by_rule"]:
        lines.append(
            "  blocked by: "
            + ", ".join(f"{k} {v}" for k, v in sorted(llm["blocked_by_rule"].items(), key=lambda kv: -kv[1]))
        )
    if llm.get("leads_dropped"):
        lines.append(f"  shown without the model's lead sentence (unsupported): {llm['leads_dropped']}")
    if llm["fallbacks"]:
        lines.append("  fallbacks: " + ", ".join(f"{k} {v}" for k, v in llm["fallbacks"].items()))
    return lines
