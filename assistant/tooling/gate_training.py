"""Fit the relevance gate (assistant/decisions/relevance.py) on the DEV half of the labelled answers.

Runs every dev question of evals/answers/ through real turns over the bundled knowledge and keeps
the passages the extractive answer was drafted from. Each candidate sentence is labelled by whether
it states an expected fact (`evals.answer_sets.fact_found`); questions labelled no-answer, advice or
out of scope give only negatives. A logistic regression (L2, Newton steps) is fit on the evidence
rows; then `threshold` (the best sentence must reach it) and `keep` (a further sentence is shown)
are chosen on the same dev questions: most questions answered with a fact, counting a reply without
one as `IRRELEVANT_COST` times worse than saying "I don't know". Writes relevance.json. The test half is
never read here (`make bench` reports it).

    python -m assistant.tooling.gate_training [--contexts FILE]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from assistant.decisions.relevance import FEATURES, WEIGHTS_FILE, Weights, evidence, sentence_lists
from assistant.tooling.answer_bench import bundled_deps, questions
from evals.answer_sets import fact_found

IRRELEVANT_COST = 1.5
"""a passage that does not answer costs the person more than an honest "I don't know" (1.5: the labels
miss answers our own documents word differently, so a larger cost silenced right answers on dev)"""
L2 = 1.0
KEEP = 0.1
"""a further sentence needs this probability: with no floor, dev favours filling every reply with four
sentences (any of which may state a fact), which shows unrelated sentences"""


def capture(split: str = "dev") -> list[dict[str, Any]]:
    """The labelled questions of `split` with the contexts the extractive answer saw."""
    from assistant.services.turn_service import TurnService

    rows = []
    with tempfile.TemporaryDirectory(prefix="beacon-gate-") as tmp:
        deps = bundled_deps(Path(tmp))
        composer = deps.drafter
        seen: list[Any] = []
        inner = composer._extractive

        def spy(ctx: Any) -> Any:
            seen.append(ctx)
            return inner(ctx)

        composer._extractive = spy
        composer.kit.extractive = spy
        service = TurnService(deps)
        for q in questions(split):
            seen.clear()
            service.run(q.text, plan=q.plan) if q.plan else service.run(q.text)
            facts = [f for u in q.units if u["expect"] == "answer" for f in u["facts"]]
            for ctx in seen[:1]:
                rows.append({"key": q.key, "query": ctx.query, "passages": ctx.passages, "facts": facts})
    return rows


def featurise(rows: list[dict[str, Any]], embedder: Any) -> list[dict[str, Any]]:
    """Each captured question's candidate sentences, evidence rows and labels."""
    for r in rows:
        split_ = sentence_lists(r["passages"])
        cands, x = evidence(embedder, r["query"], r["passages"], split_)
        r["candidates"] = [c.text for c in cands]
        r["x"] = x
        r["y"] = np.asarray([any(fact_found(f, c.text) for f in r["facts"]) for c in cands], dtype=float)
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.eye(z.shape[1]) * l2
    reg[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + reg @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1]), mean, scale


def outcome(
    probs: np.ndarray,
    y: np.ndarray,
    threshold: float,
    keep: float,
    anchored: np.ndarray | None = None,
    anchor_threshold: float | None = None,
    limit: int = 4,
) -> str:
    """What the gate does with one question: 'silent', 'relevant' (a shown sentence states a fact) or
    'irrelevant'. A sentence of an anchored section (the plan's own rule for the routed topic) needs
    `anchor_threshold`, any other `threshold`; the first passing one is shown first."""
    if not len(probs):
        return "silent"
    need = np.full(len(probs), threshold)
    if anchored is not None and anchor_threshold is not None:
        need = np.where(anchored > 0, anchor_threshold, threshold)
    order = np.argsort(-probs)
    passing = [i for i in order if probs[i] >= need[i]]
    if not passing:
        return "silent"
    shown = [passing[0], *[i for i in order if i != passing[0] and probs[i] >= keep][: limit - 1]]
    # (the reply also caps sentences per passage and words; this counts the best `limit`)
    return "relevant" if y[shown].any() else "irrelevant"


def choose(rows: list[dict[str, Any]], weights: Weights) -> tuple[float, float, float, dict[str, int]]:
    """(threshold, anchor_threshold, keep) with the best dev value, and the dev counts there."""
    probs = [weights.probabilities(r["x"]) if len(r["x"]) else np.zeros(0) for r in rows]
    col = FEATURES.index("anchored")
    anchored = [r["x"][:, col] if len(r["x"]) else np.zeros(0) for r in rows]
    best: tuple[float, float, float, float, dict[str, int]] | None = None
    for threshold in np.arange(0.05, 0.9, 0.02):
        for anchor_threshold in np.arange(0.03, threshold + 0.001, 0.02):
            for keep in (KEEP,):
                counts = {"silent": 0, "relevant": 0, "irrelevant": 0}
                for p, a, r in zip(probs, anchored, rows, strict=True):
                    counts[outcome(p, r["y"], float(threshold), keep, a, float(anchor_threshold))] += 1
                value = counts["relevant"] - IRRELEVANT_COST * counts["irrelevant"]
                if best is None or value > best[0]:
                    best = (value, float(threshold), float(anchor_threshold), keep, counts)
    assert best is not None
    return best[1], best[2], best[3], best[4]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="gate_training", description=__doc__.split("\n\n")[0])
    ap.add_argument("--contexts", type=Path, default=None, help="a pickle of captured dev contexts (reuse)")
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = ap.parse_args(argv)
    if args.contexts and args.contexts.is_file():
        rows = pickle.loads(args.contexts.read_bytes())  # noqa: S301 - a file this tool wrote itself
    else:
        rows = capture("dev")
        if args.contexts:
            args.contexts.write_bytes(pickle.dumps(rows))
    from assistant.embeddings import Embedder
    from assistant.settings import Settings

    rows = featurise(rows, Embedder(Settings().embedding_model))
    with_x = [r for r in rows if len(r["x"])]
    x = np.vstack([r["x"] for r in with_x])
    y = np.concatenate([r["y"] for r in with_x])
    coef, intercept, mean, scale = fit(x, y)
    weights = Weights(coef.tolist(), intercept, mean.tolist(), scale.tolist(), 0.5, 0.5, 0.5)
    threshold, anchor_threshold, keep, counts = choose(rows, weights)
    weights.threshold, weights.anchor_threshold, weights.keep = round(threshold, 3), round(anchor_threshold, 3), keep
    answerable = sum(bool(r["facts"]) for r in rows)
    reachable = sum(bool(r["y"].any()) for r in rows)
    args.out.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "coef": [round(c, 6) for c in coef.tolist()],
                "intercept": round(intercept, 6),
                "mean": [round(m, 6) for m in mean.tolist()],
                "scale": [round(s, 6) for s in scale.tolist()],
                "threshold": weights.threshold,
                "anchor_threshold": weights.anchor_threshold,
                "keep": weights.keep,
                "fit_on": f"dev half of evals/answers: {len(rows)} questions, {len(y)} sentences, {int(y.sum())} positive",
            },
            indent=1,
        )
        + "\n"
    )
    print(f"dev: {len(rows)} questions reached the extractive answer; {answerable} expect an answer;")
    print(f"     {reachable} have a sentence stating an expected fact among the candidates")
    print(f"gate on dev: threshold {weights.threshold}, anchored {weights.anchor_threshold}, keep {keep}: {counts}")
    for name, c in zip(FEATURES, coef, strict=True):
        print(f"  {name:<28} {c:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
