"""API keys never appear in errors, --json output or settings displays, and a key alone
never sends anything anywhere."""

import json
import subprocess

from tests.conftest import SEEDS
from tests.helpers import REPO, free_port, subprocess_env, whosaid_command

KEY = "sk-test-SECRET-0123456789abcdef"


def test_settings_never_show_the_key():
    from index.config import load_settings

    s = load_settings(environ={"OPENAI_API_KEY": KEY, "WHOSAID_LLM_MODEL": "some-model"})
    assert KEY not in repr(s) and KEY not in json.dumps(s.public_dict())


def test_cli_output_and_errors_never_contain_the_key(tmp_path):
    port = free_port()  # nothing listens here: the LLM call fails
    env = subprocess_env(tmp_path, OPENAI_API_KEY=KEY, WHOSAID_INDEX_SEEDS="0")
    ingest = subprocess.run(whosaid_command("ingest", str(SEEDS), "--json"), env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=180)
    assert ingest.returncode == 0 and KEY not in ingest.stdout + ingest.stderr
    plain = subprocess.run(whosaid_command("ask", "What did Lavrov say?", "--json"), env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=180)
    assert plain.returncode == 0 and json.loads(plain.stdout)["backend"] == "extractive"
    assert KEY not in plain.stdout + plain.stderr
    failing = subprocess.run(
        whosaid_command("ask", "What did Lavrov say?", "--json", "--llm", "test-model"),
        env={**env, "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"}, cwd=REPO,
        capture_output=True, text=True, timeout=180)
    assert KEY not in failing.stdout + failing.stderr
    assert "Traceback" not in failing.stderr
