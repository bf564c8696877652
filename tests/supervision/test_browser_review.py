"""The supervision loop in real Chromium: a compliance login draws a day's sample in the Compliance
profile, opens a sampled turn (as the participant saw it, with passages, figures, guard findings
and the input classification), records an issue verdict and turns it into a regression case; a
participant asks "Why am I seeing this?" under a nudge card and under an answer.

Screenshots go to test-artifacts/ (and to docs/images/ with BEACON_DOCS_SCREENSHOTS=1)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from evals.loader import load_suites
from tests.conftest import ROOT
from tests.test_browser import PASSWORD, Server, ask, serve_with_users, start_chat

pytestmark = [pytest.mark.slow, pytest.mark.browser]
USERS = [("daniel", "participant", "A-1002"), ("rita", "compliance", None)]


@pytest.fixture(scope="module")
def server(models, tmp_path_factory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    yield from serve_with_users(models, tmp_path_factory, "review-browser-data", USERS)


def shot(page, artifacts: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = artifacts / name
    page.screenshot(path=str(path))
    if os.environ.get("BEACON_DOCS_SCREENSHOTS") == "1":
        shutil.copy(path, ROOT / "docs" / "images" / name)


def audit_records(server: Server, kind: str) -> list[dict]:
    with sqlite3.connect(server.data / "audit.db") as db:
        rows = [json.loads(r[0]) for r in db.execute("SELECT record FROM audit_records ORDER BY seq")]
    return [r for r in rows if r.get("kind", "turn") == kind]


def test_compliance_reviews_a_sampled_turn_in_the_browser(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    auth = ("daniel", PASSWORD)
    loan = httpx.post(
        f"{server.url}/api/v1/turns", json={"text": "How much can I borrow from my 401(k)?"}, auth=auth, timeout=120
    ).json()
    person = httpx.post(
        f"{server.url}/api/v1/turns", json={"text": "I want to talk to a person"}, auth=auth, timeout=120
    ).json()
    assert loan["action"] == "answer" and person["action"] == "escalate"
    day = dt.datetime.now(dt.UTC).date().isoformat()

    start_chat(page, server, "rita", "Compliance review")
    ask(page, f"sample {day}", wait_for="text=Sample for")
    page.wait_for_selector(f"text={loan['turn_id'][:12]}", timeout=20000)
    page.wait_for_selector(f"text={person['turn_id'][:12]}", timeout=20000)
    body = page.inner_text("body")
    assert "escalated" in body and "sampled" in body and "seed" in body
    shot(page, artifacts, "review-queue.png")

    # the queue lists each item's turn id; its own Review button opens it
    item = page.locator(f"text={loan['turn_id'][:12]}").last
    item.locator("xpath=ancestor::div[.//button[normalize-space()='Review']][1]").get_by_role(
        "button", name="Review"
    ).click()
    page.wait_for_selector("text=What the participant saw", timeout=30000)
    body = page.inner_text("body")
    for needed in (
        "Retrieved passages",
        "Loan amounts",
        "Largest new loan you could take",
        "Input classification",
        "rules passed",
        "In sample:",
    ):
        assert needed in body, needed
    page.locator("text=What the participant saw").last.scroll_into_view_if_needed()
    shot(page, artifacts, "review-turn.png")
    page.locator("text=Retrieved passages").last.scroll_into_view_if_needed()
    shot(page, artifacts, "review-turn-evidence.png")
    # opening the turn was recorded before it was shown
    assert any(
        a["what"] == f"review turn {loan['turn_id']}" and a["actor"] == "rita" for a in audit_records(server, "access")
    )

    page.get_by_role("button", name="Issue…").last.click()
    page.get_by_role("button", name="missing_disclosure").last.click()
    page.wait_for_selector("text=Type your note", timeout=60000)
    page.locator("#chat-input").focus()
    page.keyboard.type("The loan answer does not say what the interest costs.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("must: prime rate")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Verdict recorded", timeout=30000)
    shot(page, artifacts, "review-verdict.png")
    (review,) = [r for r in audit_records(server, "review") if r["reviewed_turn"] == loan["turn_id"]]
    assert review["verdict"] == "issue" and review["category"] == "missing_disclosure" and review["reviewer"] == "rita"
    assert review["must_contain"] == ["prime rate"] and "interest" in review["note"]

    page.get_by_role("button", name="Make it a regression case").click()
    page.wait_for_selector("text=appended to", timeout=30000)
    suite = server.data / "review-regressions.yaml"
    ((_path, loaded),) = load_suites([suite])
    assert loaded.cases[0].turns[0].user == "How much can I borrow from my 401(k)?"
    assert yaml.safe_load(suite.read_text())["cases"][0]["expect"]["contains_all"] == ["prime rate"]


def test_why_am_i_seeing_this_under_a_nudge_and_an_answer(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "daniel", "Hello Daniel")
    card = (
        page.locator("div.step, [data-step-type]")
        .filter(has_text="You may be missing part of your employer match")
        .last
    )
    card.get_by_role("button", name="Why am I seeing this?").click()
    page.wait_for_selector("text=This note was triggered by", timeout=30000)
    body = page.inner_text("body")
    assert "below the rate that earns the full match" in body and "your contribution rate" in body
    shot(page, artifacts, "why-nudge.png")
    ask(page, "How much can I borrow from my 401(k)?")
    page.get_by_role("button", name="Why am I seeing this?").last.click()
    page.wait_for_selector("text=You asked about plan loans", timeout=30000)
    body = page.inner_text("body")
    assert "Loan amounts" in body and "your vested balance ($40,300.00)" in body
    shot(page, artifacts, "why-answer.png")
