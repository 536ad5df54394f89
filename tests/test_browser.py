"""A real browser (Debian chromium + Playwright) against `whosaid ui` on a loopback port:
ask a question, open a citation, save screenshots. Skips with the reason when no
browser is installed, except under CI where scripts/test.sh has installed one."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO, free_port, subprocess_env, wait_for_http, whosaid_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = os.environ.get("WHOSAID_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is missing (scripts/test.sh should have installed it)")
        pytest.skip("no chromium installed (apt-get install chromium); the real-browser tests need it")
    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "net.log"
    port = free_port()
    env = subprocess_env(tmp, guard_log=log, WHOSAID_INDEX_SEEDS="1")
    proc = subprocess.Popen(whosaid_command("ui", "--headless", "--port", str(port)), env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=90, process=proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert not log.exists() or log.read_text() == "", log.read_text()


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(app_url)
        yield page
        browser.close()


def test_ask_in_the_browser_and_open_a_citation(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=180_000)  # first start indexes the seed corpus
    box.fill("What did Lavrov say?")
    box.press("Enter")
    page.get_by_text("Russian Foreign Minister Sergey Lavrov said Russia does not want war").first.wait_for(
        timeout=60_000)
    page.screenshot(path=str(SHOTS / "chat.png"), full_page=True)
    page.get_by_role("button", name="[1]").first.click()
    popover = page.get_by_test_id("stPopoverBody")
    popover.wait_for(timeout=20_000)
    assert "Lavrov" in popover.inner_text()
    page.screenshot(path=str(SHOTS / "citation.png"), full_page=True)
