"""The participant chat in real Chromium: `beacon serve` in a subprocess, Playwright driving
Debian's chromium. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.users import UserStore
from tests.conftest import CHROMIUM, ROOT, launch_chromium, make_deps

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PASSWORD = "browser-test-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(models, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    data = tmp_path_factory.mktemp("browser-data")
    deps = make_deps(data, models)
    UserStore(deps.db).add("daniel", PASSWORD, "participant", "A-1002")
    deps.db.close()
    port = free_port()
    env = {**os.environ, "BEACON_DATA_DIR": str(data), "BEACON_PORT": str(port)}
    log = open(data / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"beacon serve exited: {(data / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("beacon serve did not become healthy in 90 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def page(artifacts):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        pg = browser.new_page(viewport={"width": 1280, "height": 1000})
        yield pg
        browser.close()


def login(page, url: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/chat/login")
    page.wait_for_selector("input#email", timeout=30000)
    page.fill("input#email", user)
    page.fill("input#password", password)
    page.click("button[type=submit]")


def test_bad_login_is_refused(server: str, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "daniel", "not-the-password")
    page.wait_for_timeout(2000)
    page.screenshot(path=str(artifacts / "browser-bad-login.png"))
    assert page.locator("text=Unable to sign in").count() >= 1
    assert page.locator("#chat-input").count() == 0
    assert page.locator("input#password").count() == 1


def test_participant_logs_in_and_gets_a_cited_answer(server: str, page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "daniel", PASSWORD)
    page.wait_for_selector("#chat-input", timeout=30000)
    page.wait_for_selector("text=Hello Daniel", timeout=30000)
    page.fill("#chat-input", "How much more would my employer put in if I raised my contribution?")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Sources:", timeout=60000)
    body = page.inner_text("body")
    assert "$1,440" in body and "$55.38" in body
    page.screenshot(path=str(artifacts / "browser-cited-answer.png"))
    page.locator("text=§4.2").last.click()
    page.wait_for_selector("text=Employer matching contributions", timeout=10000)
    assert "100% of the first 3%" in page.inner_text("body")
    page.screenshot(path=str(artifacts / "browser-source-panel.png"))
