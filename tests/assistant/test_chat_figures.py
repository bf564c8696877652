"""The web chat: the "Your figures" block written as people read it (every figure has a human label),
starters from the intent registry, and readable thread titles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.decisions.calculators.labels import LABELS, label
from assistant.decisions.intents import load_intents
from assistant.surfaces.ui.formatting import GENERAL_STARTER, TALK_TO_A_PERSON, figures_block, starters_for
from assistant.turn.result import TurnFigure

ROOT = Path(__file__).resolve().parents[2]


def test_figures_are_written_plainly() -> None:
    block = figures_block(
        [
            TurnFigure(name=n, label=label(n), value=v, unit=u)
            for n, v, u in [
                ("age_59_and_a_half_on", "2044-09-27", "date"),
                ("loan_fee", 100, "USD"),
                ("vested_pct", 60, "percent"),
                ("hardship_reason_allowed", True, "flag"),
            ]
        ]
    )
    assert "Date you reach age 59½: **September 27, 2044**" in block
    assert "Fee for a new loan: **$100**" in block and "Share of the employer money that is yours: **60%**" in block
    assert "Your reason is one the plan accepts for hardship: **yes**" in block
    assert "_" not in block.replace("**", "")  # no machine key shows
    assert figures_block([]) == ""


def _figure_names() -> set[str]:
    """Every figure name a calculator or the nudge engine can produce (the first argument of Figure(...))."""
    names: set[str] = set()
    for path in [*(ROOT / "assistant/decisions/calculators").glob("*.py"), *(ROOT / "assistant/nudges").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Figure":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant), f"{path}: a Figure name must be a literal"
                names.add(first.value)
    return names


def test_every_figure_a_calculator_can_produce_has_a_human_label() -> None:
    names = _figure_names()
    assert len(names) > 60  # the scan found the calculators
    missing = sorted(names - set(LABELS))
    assert not missing, f"add a label to assistant/decisions/calculators/labels.py for: {missing}"
    assert not set(LABELS) - names, "labels for figures no calculator produces"
    assert all(lbl[0].isupper() and "_" not in lbl for lbl in LABELS.values())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("annual_match_missed", "Match you are missing each year"),
        ("deferral_pct", "Your contribution rate"),
        ("some_new_figure", "Some new figure"),  # a figure without a label still reads as words
    ],
)
def test_label(name: str, expected: str) -> None:
    assert label(name) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("below the full match", ["How much more would my employer put in if I raised my contribution?"]),
        (
            "changing jobs; loan",
            ["I'm changing jobs — what are my options?", "How much could I borrow from my account?"],
        ),
        (
            "turning 50, hardship, rmd",
            ["How much more can I save with catch-up contributions?", "Can I take a hardship withdrawal?"],
        ),
        (None, [GENERAL_STARTER]),
        ("nothing that matches", [GENERAL_STARTER]),
    ],
)
def test_starters_come_from_the_intent_registry(moment: str | None, expected: list[str]) -> None:
    assert starters_for(load_intents(), moment) == [*expected, TALK_TO_A_PERSON]


def test_every_button_that_can_start_a_chat_has_a_readable_thread_title() -> None:
    from assistant.surfaces.ui import compliance, why
    from assistant.surfaces.ui import copilot as copilot_ui
    from assistant.surfaces.ui.history import ACTION_TITLES
    from assistant.surfaces.ui.nudge_card import ACTION

    buttons = {ACTION, copilot_ui.LOOKUP, copilot_ui.VERIFY, copilot_ui.CLAIM, copilot_ui.DECIDE, why.ACTION}
    buttons |= {compliance.OPEN, compliance.VERDICT, compliance.CATEGORY, compliance.REGRESS}
    assert set(ACTION_TITLES) == buttons
    assert all(title and "_" not in title for title in ACTION_TITLES.values())
