"""The participant chat in real Chromium: `beacon serve` in a subprocess, Playwright driving
Debian's chromium. Screenshots go to test-artifacts/."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.records.users import UserStore
from tests.conftest import CHROMIUM, beacon_server, make_deps

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PASSWORD = "browser-test-password"


@dataclass(frozen=True)
class Server:
    url: str
    data: Path


USERS = [
    ("daniel", "participant", "A-1002"),
    ("maya", "participant", "A-1001"),
    ("marcus", "participant", "A-1006"),
    ("agent", "agent", None),
]


def serve_with_users(
    models: Any, tmp_path_factory: Any, name: str, accounts: list[tuple[str, str, str | None]]
) -> Iterator[Server]:
    """A real `beacon serve` over a fresh data dir holding these logins (all with PASSWORD)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    data = tmp_path_factory.mktemp(name)
    deps = make_deps(data, models)
    users = UserStore(deps.db)
    for login_name, role, pid in accounts:
        users.add(login_name, PASSWORD, role, pid)
    deps.db.close()
    with beacon_server(data) as url:
        yield Server(url, data)


@pytest.fixture(scope="module")
def server(models, tmp_path_factory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    yield from serve_with_users(models, tmp_path_factory, "browser-data", USERS)


def login(page, url: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/chat/login")
    page.wait_for_selector("input#email", timeout=30000)
    page.fill("input#email", user)
    page.fill("input#password", password)
    page.click("button[type=submit]")


def start_chat(page, server: Server, user: str, greeting: str = "Hello") -> None:  # type: ignore[no-untyped-def]
    login(page, server.url, user, PASSWORD)
    page.wait_for_selector("#chat-input", timeout=30000)
    page.wait_for_selector(f"text={greeting}", timeout=30000)


def ask(page, text: str, wait_for: str = "text=Sources:", timeout: int = 60000) -> None:  # type: ignore[no-untyped-def]
    """Type and send with the keyboard only (Enter); wait for one more match of `wait_for`."""
    loc = page.locator(wait_for)
    before = loc.count()
    page.locator("#chat-input").focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    loc.nth(before).wait_for(timeout=timeout)


def beacon_db(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(server.data / "beacon.db")


def test_bad_login_is_refused(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    login(page, server.url, "daniel", "not-the-password")
    page.wait_for_timeout(2000)
    page.screenshot(path=str(artifacts / "browser-bad-login.png"))
    assert page.locator("text=Unable to sign in").count() >= 1
    assert page.locator("#chat-input").count() == 0
    assert page.locator("input#password").count() == 1


def test_nudge_card_action(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "daniel", "Hello Daniel")
    card = page.locator("text=You may be missing part of your employer match")
    card.first.wait_for(timeout=20000)  # the card is its own message, sent after the greeting
    assert card.count() == 1
    page.get_by_role("button", name="Remind me later").click()
    page.wait_for_selector("text=I'll show this again in", timeout=20000)
    page.screenshot(path=str(artifacts / "browser-nudge-card.png"))
    with sqlite3.connect(server.data / "beacon.db") as db:
        outcomes = [r[0] for r in db.execute("SELECT event FROM outcomes")]
    assert "remind_later" in outcomes
    # a thread begun with a button gets a readable title, not the button's internal name
    names: list[str] = []
    for _ in range(20):
        with sqlite3.connect(server.data / "chat_history.db") as db:
            names = [r[0] for r in db.execute("SELECT name FROM threads WHERE userIdentifier = 'daniel'")]
        if "A reminder about your plan" in names:
            break
        time.sleep(0.5)
    assert "A reminder about your plan" in names and "beacon_nudge" not in names, names


def test_participant_logs_in_and_gets_a_cited_answer(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "daniel", "Hello Daniel")
    # persona starters on the greeting (Daniel contributes below the full match); the buttons are
    # drawn a moment after the greeting's text, so wait for them before counting
    starter = page.get_by_role("button", name="How much more would my employer put in if I raised my contribution?")
    starter.first.wait_for(timeout=20000)
    assert starter.count() == 1
    ask(page, "How much more would my employer put in if I raised my contribution?")
    page.wait_for_selector("text=Your figures", timeout=20000)
    body = page.inner_text("body")
    assert "$1,440" in body and "$55.38" in body
    page.screenshot(path=str(artifacts / "browser-cited-answer.png"))
    page.locator("text=§4.2").last.click()
    page.wait_for_selector("text=Employer matching contributions", timeout=10000)
    panel = page.inner_text("body")
    assert "100% of the first 3%" in panel and "Effective" in panel and "Section 4.2" in panel
    page.screenshot(path=str(artifacts / "browser-source-panel.png"))
    # the chat history keeps the panels (inline, redacted): reopening the conversation shows them again
    page.wait_for_timeout(1500)  # the data layer writes after the message
    with sqlite3.connect(server.data / "chat_history.db") as db:
        thread_id = db.execute(
            "SELECT id FROM threads WHERE userIdentifier = 'daniel' AND name LIKE 'How much more would my employer%'"
            " ORDER BY createdAt DESC"
        ).fetchone()[0]
        assert db.execute("SELECT COUNT(*) FROM elements WHERE threadId = ?", (thread_id,)).fetchone()[0] >= 1
    page.goto(f"{server.url}/chat/thread/{thread_id}")
    page.wait_for_selector("text=Your figures", timeout=30000)
    page.locator("text=§4.2").last.click()
    page.wait_for_selector("text=Employer matching contributions", timeout=10000)
    assert "100% of the first 3%" in page.inner_text("body")
    page.screenshot(path=str(artifacts / "browser-source-panel-resumed.png"))


def test_feedback_is_stored_with_the_turn(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "daniel", "Hello Daniel")
    ask(page, "How many years until I am fully vested?")
    page.locator(".negative-feedback-off").last.click()
    page.locator("[role=dialog] textarea").fill("Too short; my SSN is 123-45-6789")
    page.get_by_role("button", name="Submit feedback").click()
    page.wait_for_selector(".negative-feedback-on", timeout=10000)
    page.screenshot(path=str(artifacts / "browser-feedback.png"))
    deadline = time.time() + 10
    rows: list[tuple[str, str, str, str]] = []
    while time.time() < deadline and not rows:
        with beacon_db(server) as db:
            rows = db.execute("SELECT turn_id, user, rating, comment FROM feedback WHERE user = 'daniel'").fetchall()
        time.sleep(0.3)
    assert rows, "no feedback row was stored"
    turn_id, _user, rating, comment = rows[-1]
    assert rating == "down" and "Too short" in comment and "123-45-6789" not in comment
    with sqlite3.connect(server.data / "audit.db") as db:
        assert db.execute("SELECT 1 FROM audit_records WHERE turn_id = ?", (turn_id,)).fetchone()


def test_chat_history_holds_only_redacted_text(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "maya", "Hello Maya")
    ask(page, "My SSN is 123-45-6789. Can I take a loan?")
    page.wait_for_timeout(1500)  # the data layer writes after the message
    page.screenshot(path=str(artifacts / "browser-redacted-history.png"))
    raw = b"".join(f.read_bytes() for f in server.data.glob("chat_history.db*"))
    assert b"Can I take a loan" in raw  # the message is there ...
    assert b"123-45-6789" not in raw and b"123456789" not in raw  # ... without the SSN


def test_participant_cannot_open_someone_elses_thread(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "daniel", "Hello Daniel")
    ask(page, "What is the employer match in my plan?")
    with sqlite3.connect(server.data / "chat_history.db") as db:
        thread_id = db.execute(
            "SELECT id FROM threads WHERE userIdentifier = 'daniel' AND name LIKE 'What is the employer match%'"
        ).fetchone()[0]
    thread_url = f"{server.url}/chat/thread/{thread_id}"
    page.context.clear_cookies()
    start_chat(page, server, "maya", "Hello Maya")
    page.goto(thread_url)
    page.wait_for_timeout(3000)
    page.screenshot(path=str(artifacts / "browser-foreign-thread.png"))
    body = page.inner_text("body")
    assert "What is the employer match in my plan?" not in body
    assert "Daniel" not in body


def test_handoff_reaches_the_agent_queue(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "marcus", "Hello Marcus")
    page.get_by_role("button", name="I'm changing jobs — what are my options?").click()
    page.wait_for_selector("text=Sources:", timeout=60000)
    ask(page, "talk to a person", wait_for="text=reference")
    with beacon_db(server) as db:
        rows = db.execute("SELECT handoff_id, status FROM handoffs WHERE participant_id = 'A-1006'").fetchall()
    assert rows and rows[-1][1] == "open"
    handoff_id = rows[-1][0]
    page.screenshot(path=str(artifacts / "browser-handoff-participant.png"))
    page.context.clear_cookies()
    start_chat(page, server, "agent", "Copilot")
    page.wait_for_selector(f"text=Hand-off {handoff_id[:8]}", timeout=20000)
    page.screenshot(path=str(artifacts / "browser-handoff-queue.png"))
    page.locator(f"text=Hand-off {handoff_id[:8]}").locator("xpath=ancestor::*[.//button][1]").get_by_role(
        "button", name="Claim"
    ).click()
    page.wait_for_selector("text=Context card — A-1006", timeout=20000)
    page.screenshot(path=str(artifacts / "browser-handoff-claimed.png"))
    with beacon_db(server) as db:
        assert db.execute("SELECT status, claimed_by FROM handoffs WHERE handoff_id = ?", (handoff_id,)).fetchone() == (
            "claimed",
            "agent",
        )
    with sqlite3.connect(server.data / "audit.db") as db:
        records = [r[0] for r in db.execute("SELECT record FROM audit_records")]
    assert any('"kind":"access"' in r.replace(" ", "") and handoff_id in r for r in records)


def test_agent_approves_and_edits_a_suggestion(server: Server, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    start_chat(page, server, "agent", "Copilot")
    page.get_by_role("button", name="Look up a caller").first.click()
    page.wait_for_selector("text=The caller's participant id", timeout=10000)
    page.locator("#chat-input").fill("A-1002")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Date of birth + last 4 of the account number").click()
    page.wait_for_selector("text=Context card — A-1002", timeout=20000)
    page.wait_for_selector("text=Type or paste the caller's question for A-1002", timeout=20000)
    assert "Balance" in page.inner_text("body")
    ask(page, "How much more would my employer put in if I raised my contribution?", wait_for="text=Suggested reply")
    page.wait_for_selector("text=Sources:", timeout=20000)
    page.screenshot(path=str(artifacts / "browser-copilot-suggestion.png"))
    page.get_by_role("button", name="Approve").last.click()
    page.wait_for_selector("text=Sent to the caller", timeout=60000)
    page.wait_for_timeout(1000)
    # an edit with an invented figure is refused with the finding shown
    ask(page, "And how does the match work?", wait_for="text=Suggested reply")
    page.get_by_role("button", name="Edit").last.click()
    page.wait_for_selector("text=Type or paste the edited reply", timeout=30000)
    page.locator("#chat-input").fill("Good news: your employer will add $9,999 a year if you raise your rate.")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Not sent", timeout=60000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "browser-copilot-edit-refused.png"))
    body = page.inner_text("body")
    assert "Guard findings" in body
    # a grounded edit is re-checked and sent
    page.get_by_role("button", name="Edit").last.click()
    page.locator("text=Type or paste the edited reply").last.wait_for(timeout=10000)
    page.locator("#chat-input").fill("At your current 2% rate your employer match is about $1,440 a year.")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=edited and re-checked by the guard", timeout=20000)
    page.screenshot(path=str(artifacts / "browser-copilot-edit-sent.png"))
    with sqlite3.connect(server.data / "audit.db") as db:
        records = [r[0].replace(" ", "") for r in db.execute("SELECT record FROM audit_records")]
    decisions = [r for r in records if '"kind":"copilot_decision"' in r]
    assert any('"decision":"approve"' in r for r in decisions)
    assert any('"outcome":"refused_by_guard"' in r for r in decisions)
    assert any('"decision":"edit"' in r and '"outcome":"sent"' in r for r in decisions)
