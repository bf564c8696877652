"""The web chat: the "Your figures" block written as people read it, and readable thread titles."""

from __future__ import annotations

from assistant.surfaces.ui.chat import figures_block


def test_figures_are_written_plainly() -> None:
    block = figures_block(
        [
            {"name": "age_59_and_a_half_on", "value": "2044-09-27", "unit": "date"},
            {"name": "loan_fee", "value": 100, "unit": "USD"},
            {"name": "vested_pct", "value": 60, "unit": "percent"},
            {"name": "hardship_reason_allowed", "value": True, "unit": "flag"},
        ]
    )
    assert "Age 59 and a half on: **September 27, 2044**" in block
    assert "Loan fee: **$100**" in block and "Vested pct: **60%**" in block
    assert "Hardship reason allowed: **yes**" in block
    assert figures_block([]) == ""


def test_every_button_that_can_start_a_chat_has_a_readable_thread_title() -> None:
    from assistant.surfaces.ui import copilot as copilot_ui
    from assistant.surfaces.ui.history import ACTION_TITLES
    from assistant.surfaces.ui.nudge_card import ACTION

    buttons = {ACTION, copilot_ui.LOOKUP, copilot_ui.VERIFY, copilot_ui.CLAIM, copilot_ui.DECIDE}
    assert set(ACTION_TITLES) == buttons
    assert all(title and "_" not in title for title in ACTION_TITLES.values())
