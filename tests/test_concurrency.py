"""Concurrent use: the embedded store refuses a second process with a message that points
to server mode; against a real Chroma server, readers and two ingests run at once and
nothing is lost or corrupted. Outcomes are asserted, never timings."""

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import DATA, ChromaServer, build_runtime
from tests.helpers import REPO, subprocess_env, whosaid_command
from tests.test_crash import check_consistent

pytestmark = pytest.mark.slow
KILL_DIR = DATA / "kill"


def test_second_process_on_an_embedded_store_is_refused_clearly(make_runtime, tmp_path):
    rt = make_runtime()
    rt.ingest_paths([DATA / "articles" / "library_cuts.txt"])
    env = subprocess_env(tmp_path, WHOSAID_STORE=str(rt.settings.store))
    other = subprocess.run(whosaid_command("ask", "What did Lindqvist say?"), env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert other.returncode == 1
    assert "in use by" in other.stderr and "chroma run" in other.stderr and "--chroma-url" in other.stderr
    assert "Traceback" not in other.stderr
    assert rt.store.count("articles") == 1  # the owner is unaffected


READER = textwrap.dedent("""
    import json, sys
    from bot.runtime import Runtime
    from index.config import load_settings
    rt = Runtime(load_settings())
    answers = []
    for i in range(int(sys.argv[1])):
        for q in ("What did Varga say?", "Who said the tram line would cost money?", "What did Reyes say?"):
            answers.append(rt.answerer().invoke({"question": q}).to_dict())
    print(json.dumps({"answers": len(answers), "answered": sum(a["answered"] for a in answers)}))
""")


def test_readers_and_two_ingests_at_once_on_a_chroma_server(tmp_path, embeddings, nlp):
    server = ChromaServer(tmp_path / "chroma")
    try:
        env = subprocess_env(tmp_path, WHOSAID_CHROMA_URL=server.url, WHOSAID_INGEST_BATCH="4")
        env["PYTHONPATH"] = str(REPO)
        ingests = [subprocess.Popen(whosaid_command("ingest", str(KILL_DIR), "--json"), env=env, cwd=REPO,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        readers = [subprocess.Popen([sys.executable, "-c", READER, "4"], env=env, cwd=REPO,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outputs = [p.communicate(timeout=400) for p in ingests + readers]
        for proc, (out, err) in zip(ingests + readers, outputs):
            assert proc.returncode == 0, f"{err[-2000:]}\n--- chroma run log ---\n{server.log_tail()}"
        for out, _ in outputs[:2]:
            statuses = [r["status"] for r in json.loads(out)["results"]]
            assert len(statuses) == 24 and set(statuses) <= {"indexed", "duplicate"}
        for out, _ in outputs[2:]:
            assert json.loads(out.strip().splitlines()[-1])["answers"] == 12
        rt = build_runtime(tmp_path / "unused", embeddings, nlp, chroma_url=server.url)
        try:
            committed, _ = check_consistent(rt)
            assert committed == 24
            assert rt.store.count("sentences") == 24 * 6
        finally:
            rt.close()
    finally:
        server.stop()
