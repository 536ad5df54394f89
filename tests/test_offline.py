"""The CLI and the app run as subprocesses under a guard that refuses (and logs) any
connection to a non-loopback address or any non-local name lookup: the default path
works offline, with no key, and nothing leaves the machine."""

import json
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from tests.conftest import SEEDS
from tests.helpers import REPO, running_ui, subprocess_env, wait_for_http, whosaid_command

pytestmark = pytest.mark.slow


def _run(cmd, env, timeout=180):
    return subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_cli_ingest_and_ask_offline(tmp_path):
    log = tmp_path / "net.log"
    env = subprocess_env(tmp_path, guard_log=log, OPENAI_API_KEY="sk-present-but-unused")
    ingest = _run(whosaid_command("ingest", str(SEEDS), "--json"), env)
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["results"][0]["status"] == "indexed"
    ask = _run(whosaid_command("ask", "Who said “We don’t need this panic”?", "--json"), env)
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["answered"] and "Zelenskiy" in answer["answer"] and answer["backend"] == "extractive"
    assert "sk-present-but-unused" not in ask.stdout + ask.stderr
    assert not log.exists() or log.read_text() == "", log.read_text()


def test_app_runs_offline_and_indexes_seeds_on_first_start(tmp_path):
    log = tmp_path / "net.log"
    env = subprocess_env(tmp_path, guard_log=log, WHOSAID_INDEX_SEEDS="1")
    script = textwrap.dedent(f"""
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(REPO / 'ui' / 'app.py')!r}, default_timeout=240)
        at.run()
        assert not at.exception, at.exception
        at.chat_input[0].set_value("What did Lavrov say?").run()
        assert not at.exception, at.exception
        print("ANSWER", " ".join(m.value for m in at.markdown))
    """)
    result = _run([sys.executable, "-c", script], env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Lavrov" in result.stdout
    assert not log.exists() or log.read_text() == "", log.read_text()


def test_ui_server_starts_headless_offline(tmp_path):
    log = tmp_path / "net.log"
    env = subprocess_env(tmp_path, guard_log=log)
    with running_ui(env, tmp_path / "ui.log") as url:
        wait_for_http(url, timeout=30)
    assert not log.exists() or log.read_text() == "", log.read_text()
    # stopping `whosaid ui` stops the Streamlit server it started (no orphan left serving)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2).close()
        except OSError:
            break
        time.sleep(0.5)
    else:
        pytest.fail("the app server outlived `whosaid ui`")
