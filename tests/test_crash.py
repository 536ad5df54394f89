"""SIGKILL the ingest at seeded random points: the store still opens, no half-indexed
article is visible, and re-running the ingest completes it.

The number of kill points is ``WHOSAID_KILL_POINTS`` (20 by default; ``bench/`` runs more);
each seed is printed so a failure can be replayed with ``WHOSAID_KILL_SEED``.
"""

import os
import random
import signal
import subprocess
import time

import pytest

from tests.conftest import DATA, build_runtime
from tests.helpers import REPO, subprocess_env, whosaid_command

pytestmark = pytest.mark.slow
KILL_DIR = DATA / "kill"


def check_consistent(rt) -> tuple[int, int]:
    """Every committed article is complete; everything else is invisible. Returns
    (committed articles, leftover uncommitted sentence records)."""
    store = rt.store
    committed = set(store.article_ids())
    leftovers = 0
    for aid in committed:
        record = store.get_article(aid)
        visible = store.get_sentences([f"{aid}:{n}" for n in range(record.sentences)])
        assert len(visible) == record.sentences, f"article {aid} is committed but incomplete"
        assert len(store.attributions(article_id=aid)) == record.attributions, aid
        for s in visible.values():
            assert record.text[s.start:s.end] == s.text
    everything = store.collection("sentences").get(include=["metadatas"])
    for sid, meta in zip(everything["ids"], everything["metadatas"]):
        if meta["article_id"] not in committed:
            leftovers += 1
            assert store.get_sentences([sid]) == {}, f"uncommitted sentence {sid} is visible"
    for hit in rt.retriever.search("million crowns bridge harbour", k=50):
        assert hit.sentence.article_id in committed
    return len(committed), leftovers


def test_sigkill_during_ingest_leaves_no_half_article(tmp_path, embeddings, nlp):
    points = int(os.environ.get("WHOSAID_KILL_POINTS", "20"))
    base_seed = int(os.environ.get("WHOSAID_KILL_SEED", "20261129"))
    env = subprocess_env(tmp_path, WHOSAID_INGEST_BATCH="3")
    command = whosaid_command("ingest", str(KILL_DIR), "--json")
    # Calibrate: a whole run, then a run that finds everything indexed (start-up cost),
    # so that kill points fall inside the work still left to do.
    calibrate_env = {**env, "WHOSAID_STORE": str(tmp_path / "calibrate")}
    timings = []
    for _ in range(2):
        t0 = time.monotonic()
        subprocess.run(command, env=calibrate_env, cwd=REPO, check=True, capture_output=True, timeout=300)
        timings.append(time.monotonic() - t0)
    startup, per_article = timings[1], max(timings[0] - timings[1], 0.5) / 24
    store_dir = tmp_path / "store"
    kills, partial_states, committed = 0, 0, 0
    for i in range(points):
        seed = base_seed + i
        rng = random.Random(seed)
        delay = rng.uniform(0.7, 1.0) * startup + rng.uniform(0, (24 - committed) * per_article)
        print(f"kill point {i}: seed={seed} delay={delay:.2f}s (start-up {startup:.2f}s, "
              f"{per_article:.2f}s per article, {committed} committed)")
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        rt = build_runtime(store_dir, embeddings, nlp)
        try:
            committed, leftovers = check_consistent(rt)
            partial_states += 0 < committed < 24 or leftovers > 0
        finally:
            rt.close()
        if committed == 24:  # finished: start again on an empty store to hit more points
            import shutil

            shutil.rmtree(store_dir)
    print(f"{points} kill points, {kills} processes killed mid-run, {partial_states} partial states checked")
    final = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    rt = build_runtime(store_dir, embeddings, nlp)
    try:
        committed, _ = check_consistent(rt)
        assert committed == 24
    finally:
        rt.close()
    assert kills >= points // 2
