"""A real browser (Debian chromium + Playwright) against `whosaid ui` on a loopback port:
ask a question and open a citation, check a quote, add an article containing <script>
(it must show as text and never run), visit every page and save a screenshot of each
(to a temporary folder; to docs/screenshots/, the README's, with UPDATE_SCREENSHOTS=1). Skips with the reason when no browser is installed, except under CI
where scripts/test.sh has installed one."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import DATA, SEEDS
from tests.helpers import REPO, running_ui, subprocess_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = os.environ.get("WHOSAID_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# A test run leaves the repository as it found it unless asked to refresh the README's pictures.
SHOTS = REPO / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else \
    Path(os.environ.get("TMPDIR", "/tmp")) / f"whosaid-screenshots-{os.getpid()}"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SLOW = 120_000  # ms: the machine may be busy

HOSTILE_TITLE = "Harbour tax row"
HOSTILE = ("Harbour master Odile Brandt said the harbour tax would not rise this year. "
           "<script>window.__pwned = 'script'</script> "
           "“The fee stays at forty crowns <img src=x onerror=\"window.__pwned='img'\">,” Brandt said.\n")


def seed_folder(tmp: Path) -> Path:
    """The seed corpus plus the fictional test articles (dated, so the speaker chart shows)."""
    folder = tmp / "seeds"
    folder.mkdir()
    for path in [*SEEDS.iterdir(), *(DATA / "articles").iterdir()]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is missing (scripts/test.sh should have installed it)")
        pytest.skip("no chromium installed (apt-get install chromium); the real-browser tests need it")
    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "net.log"
    env = subprocess_env(tmp, guard_log=log, WHOSAID_INDEX_SEEDS="1", WHOSAID_SEEDS=str(seed_folder(tmp)))
    with running_ui(env, tmp / "ui.log") as url:
        yield url
    assert not log.exists() or log.read_text() == "", log.read_text()


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.dialogs_seen = []
        page.on("dialog", lambda d: (page.dialogs_seen.append(d.message), d.dismiss()))
        page.goto(app_url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=240_000)  # first start indexes seeds
        yield page
        browser.close()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # let the last delta paint
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def go(page, title: str) -> None:
    page.keyboard.press("Escape")  # close a dialog or popover left open: it would make the sidebar inert
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    # The page title (h1): the page being left may still show a subheading of the same name.
    page.get_by_role("heading", name=title if title != "Quote check" else "Check a quote",
                     level=1).wait_for(timeout=SLOW)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox: focus, type to filter, click the option."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).locator("input")
    box.click()
    page.keyboard.type(option)
    # click the filtered option itself: Enter could pick the first option before the list filters
    page.get_by_role("option").filter(has_text=option).first.click(timeout=SLOW)


def test_ask_in_the_browser_and_open_a_citation(page):
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("What did Lavrov say?")
    box.press("Enter")
    page.get_by_text("Russian Foreign Minister Sergey Lavrov said Russia does not want war").first.wait_for(
        timeout=SLOW)
    shoot(page, "chat")
    page.get_by_role("button", name="[1]").first.click()
    popover = page.get_by_test_id("stPopoverBody")
    # the popover and the dialog fill in after they open: wait for their text, not just for them
    expect(popover).to_contain_text("Lavrov", timeout=SLOW)
    shoot(page, "citation")
    popover.get_by_role("button", name="Open the whole article").click()
    dialog = page.get_by_role("dialog", name="The whole article")
    expect(dialog).to_contain_text("Security Council", timeout=SLOW)
    shoot(page, "article")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=SLOW)  # an open dialog makes the rest of the page inert


def test_check_a_quote_in_the_browser(page):
    go(page, "Quote check")
    page.get_by_label("The quote").fill("We will not ask fishermen to pay for this")
    page.get_by_role("button", name="Check the quote").click()
    page.get_by_text("Verbatim").first.wait_for(timeout=SLOW)
    page.get_by_text("Evidence 1").first.wait_for(timeout=SLOW)
    shoot(page, "quote-check")


def test_added_article_with_script_shows_it_as_text(page):
    go(page, "Library")
    page.get_by_role("tab", name="Upload files").click()
    # the uploader states whosaid's own file size limit (20 MB by default), not Streamlit's 200 MB
    expect(page.get_by_test_id("stFileUploaderDropzoneInstructions")).to_contain_text("20MB per file", timeout=SLOW)
    page.get_by_role("tab", name="Paste text").click()
    page.get_by_label("Title").fill(HOSTILE_TITLE)
    page.get_by_label("Outlet").fill("The Almer Ledger")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2025-04-02")
    page.get_by_label("Article text").fill(HOSTILE)
    page.get_by_role("button", name="Add the article").click()
    try:
        page.get_by_text("✅ indexed").first.wait_for(timeout=SLOW)
    except Exception:
        page.screenshot(path="/tmp/lib-fail.png")
        raise
    choose(page, "Open an article", HOSTILE_TITLE)
    # the article view (Markdown, not the paste box) shows the tags as text
    rendered = page.get_by_test_id("stMarkdownContainer")
    shown = rendered.filter(has_text="<script>window.__pwned = 'script'</script>")
    shown.first.wait_for(timeout=SLOW)
    assert rendered.filter(has_text='<img src=x onerror="window.__pwned=').count() >= 1
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__pwned") is None  # neither the script nor the onerror ran
    assert page.dialogs_seen == []
    assert page.locator("script", has_text="__pwned").count() == 0
    assert page.locator("img[src=x]").count() == 0
    shown.first.evaluate("e => e.scrollIntoView({block: 'center'})")
    shoot(page, "library")


def test_speaker_page_and_settings_in_the_browser(page):
    go(page, "Speakers")
    choose(page, "Open a speaker", "Ilse Varga")
    chart = page.get_by_text("Statements over time").first
    chart.wait_for(timeout=SLOW)
    chart.evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, "speakers")
    nav = page.get_by_test_id("stSidebarNav")
    if nav.get_by_text("Claims", exact=True).count():  # the claims page (issue 8), when present
        go(page, "Claims")
        shoot(page, "claims")
    go(page, "Settings")
    page.get_by_text("How to switch").wait_for(timeout=SLOW)
    shoot(page, "settings")
