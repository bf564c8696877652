"""How a stop class's threshold is chosen on dev (classifier_training._stop_threshold): precision,
few harmless messages refused, and a margin when raising it costs no recall (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.tooling import classifier_training as training


def choose(rows: list[tuple[float, str]]) -> float:
    scores = np.array([s for s, _ in rows])
    gold = [g for _, g in rows]
    harmless = np.array([g in training.HARMLESS for g in gold])
    return training._stop_threshold(scores, gold, "harmful", harmless)


def harmless_block(score: float, n: int = 300) -> list[tuple[float, str]]:
    return [(score, "out_of_scope")] * n


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # every harmful over 0.9, nothing harmless near: the lowest step, raised to the last one that
        # keeps all of them (0.9)
        ([(0.92, "harmful")] * 20 + harmless_block(0.1), 0.9),
        # 0.55 meets precision; raising it costs nothing up to 0.7, then recall
        ([(0.72, "harmful")] * 10 + [(0.97, "harmful")] * 10 + harmless_block(0.1), 0.7),
        # two harmless messages at 0.82 (over 0.5% of 300 = 1.5): every step up to 0.8 refuses both,
        # so the first one allowed is 0.85, though 0.55 already had 95% precision
        (
            [(0.57, "harmful")] * 2 + [(0.86, "harmful")] * 40 + [(0.82, "plan_question")] * 2 + harmless_block(0.1),
            0.85,
        ),
        # ...one harmless message is allowed (1 <= 1.5): 0.55, and raising it would lose the two at 0.57
        ([(0.57, "harmful")] * 2 + [(0.86, "harmful")] * 40 + [(0.82, "plan_question")] + harmless_block(0.1), 0.55),
        # a stop-class message of another kind is no harmless message (it does not count against the bound)
        ([(0.96, "harmful")] * 40 + [(0.6, "injection")] * 2 + harmless_block(0.1), 0.95),
        # nothing qualifies: the top of the range
        ([(0.6, "harmful")] * 5 + [(0.99, "out_of_scope")] * 5 + harmless_block(0.1), training.STOP_RANGE[1]),
    ],
)
def test_stop_threshold(rows: list[tuple[float, str]], expected: float) -> None:
    assert choose(rows) == pytest.approx(expected)
