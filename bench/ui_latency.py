"""Chat latency as a user sees it: from sending a question to the first shown sentence of
the answer and to the whole answer (extractive backend, the seed corpus).

* In process: the real app script under ``streamlit.testing.v1.AppTest``; the first
  sentence is the moment the chat page finishes drawing the answer's first statement
  (after its support check), the whole answer the end of the script run.
* Through the browser: ``whosaid ui`` on a loopback port driven by Debian's chromium with
  Playwright; the first sentence is when its text is visible in the page, the whole answer
  when the answer's footer ("Answer backend: …", drawn after the last statement) is.

    python -m bench.ui_latency [--repeats 3] [--no-browser] [--write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.common import REPO, median, percentile, write_section
from bench.harness import stop_process

QUESTIONS = [
    "What did Lavrov say?",
    "What did Zelenskiy say?",
    "Who said “We don’t need this panic”?",
    "What did Stoltenberg say about Belarus?",
    "What did Biden warn?",
]
CHROMIUM = os.environ.get("WHOSAID_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _env(store: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "WHOSAID_"))}
    env.update({"WHOSAID_STORE": str(store), "WHOSAID_INDEX_SEEDS": "1", "WHOSAID_SEEDS": str(REPO / "seeds"),
                "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"})
    return env


def in_process(repeats: int, store: Path) -> tuple[list[float], list[float], dict[str, str]]:
    """(first-sentence seconds, whole-answer seconds, question -> first statement text)."""
    from streamlit.testing.v1 import AppTest

    import ui.views.chat as chat

    os.environ.update(_env(store))
    at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=600)
    at.run()  # loads the models and indexes the seeds: not part of a question's latency
    first, whole, first_text = [], [], {}
    shown: list[tuple[float, str]] = []
    original = chat.show_statement

    def timed(rt, statement, by_n, key):
        original(rt, statement, by_n, key)
        shown.append((time.perf_counter(), statement["text"]))

    with mock.patch.object(chat, "show_statement", timed):
        for _ in range(repeats):
            for q in QUESTIONS:
                shown.clear()
                t0 = time.perf_counter()
                at.chat_input[0].set_value(q).run()
                t_end = time.perf_counter()
                if at.exception:
                    raise RuntimeError(at.exception[0].message)
                mine = [s for s in shown if s[0] >= t0]
                if not mine:  # "the indexed articles don't say": nothing to stream
                    continue
                first.append(mine[0][0] - t0)
                whole.append(t_end - t0)
                first_text[q] = mine[0][1]
                at.session_state["history"] = []  # each question on its own
    return first, whole, first_text


def through_browser(repeats: int, store: Path, first_text: dict[str, str]) -> tuple[list[float], list[float]]:
    """The same questions typed into chromium against ``whosaid ui``."""
    from playwright.sync_api import sync_playwright

    from tests.helpers import free_port, wait_for_http

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui", "--headless", "--port", str(port)],
                            env=_env(store), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first, whole = [], []
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=120, process=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for _ in range(repeats):
                for q, expected in first_text.items():
                    page.goto(f"http://127.0.0.1:{port}/")  # a fresh session: one question each
                    box = page.get_by_test_id("stChatInputTextArea")
                    box.wait_for(timeout=600_000)
                    box.fill(q)
                    t0 = time.perf_counter()
                    box.press("Enter")
                    answer = page.get_by_test_id("stChatMessage").nth(1)
                    answer.get_by_text(expected[:60], exact=False).first.wait_for(timeout=120_000)
                    t1 = time.perf_counter()
                    answer.get_by_text("Answer backend:", exact=False).first.wait_for(timeout=120_000)
                    t2 = time.perf_counter()
                    first.append(t1 - t0)
                    whole.append(t2 - t0)
            browser.close()
    finally:
        stop_process(proc)
    return first, whole


def _row(name: str, first: list[float], whole: list[float]) -> str:
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    return (f"| {name} | {len(first)} | {ms(median(first))} | {ms(percentile(first, 90))} | "
            f"{ms(median(whole))} | {ms(percentile(whole, 90))} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="whosaid-ui-bench-") as tmp:
        first, whole, first_text = in_process(args.repeats, Path(tmp) / "store-inproc")
        rows = [_row("in process (AppTest)", first, whole)]
        if not args.no_browser and Path(CHROMIUM).exists():
            b_first, b_whole = through_browser(args.repeats, Path(tmp) / "store-browser", first_text)
            rows.append(_row("through chromium (whosaid ui)", b_first, b_whole))
    table = "\n".join(["| path | questions | first sentence p50 ms | p90 | whole answer p50 ms | p90 |",
                       "|---|---|---|---|---|---|", *rows])
    print(table)
    if args.write:
        body = (f"{table}\n\n{len(QUESTIONS)} questions about the seed corpus × {args.repeats} repeats, extractive "
                "backend, models already loaded and seeds indexed. *First sentence*: from sending the question "
                "to the first statement shown after its support check; *whole answer*: to the footer drawn after "
                "the last statement. The extractive backend computes the whole answer before the first statement "
                "is drawn, so the gap between the two is the drawing and support checks of the remaining "
                "statements. Taken on a machine shared with other running jobs: expect noise.")
        write_section("App latency: question to first sentence and whole answer",
                      body, "python -m bench.ui_latency --repeats %d --write" % args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
