"""The "Your figures" block of the web chat: the calculators' values written as people read them."""

from __future__ import annotations

from assistant.ui.chainlit_app import figures_block


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
