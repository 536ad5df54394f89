"""Test helpers: free loopback ports, readiness polling, subprocess environments."""

from __future__ import annotations

import os
import socket
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.harness import stop_process  # one terminate-then-kill for tests and benchmarks

REPO = Path(__file__).resolve().parents[1]
NETGUARD = Path(__file__).resolve().parent / "netguard"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 90.0, process=None) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` dies."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} not ready after {timeout}s: {last}")


def subprocess_env(tmp_path: Path, guard_log: Path | None = None, **extra: str) -> dict:
    """An environment for a whosaid subprocess: hermetic HOME/store, optional net guard."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "WHOSAID_"))}
    env.update({"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "home" / ".cache"),
                "WHOSAID_STORE": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "PYTHONUNBUFFERED": "1"})
    (tmp_path / "home").mkdir(exist_ok=True)
    if guard_log is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(NETGUARD), str(REPO)])
        env["WHOSAID_NETGUARD_LOG"] = str(guard_log)
    env.update(extra)
    return env


def whosaid_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]




@contextmanager
def running_ui(env: dict, log_path: Path, timeout: float = 90.0):
    """``whosaid ui --headless`` on a free loopback port, polled until healthy; yields its
    base URL. Its output goes to ``log_path`` (a pipe nobody reads could block it)."""
    import subprocess

    port = free_port()
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(whosaid_command("ui", "--headless", "--port", str(port)), env=env, cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout, process=proc)
            yield f"http://127.0.0.1:{port}/"
        finally:
            stop_process(proc)


def make_store_from_before_placeholders(store_dir: Path) -> None:
    """Create the record collections (articles, attributions, speakers) of layout ``v1`` as
    a whosaid from before placeholder vectors did: no placeholder mark, and a dimension of
    384 fixed by a first row (deleted again)."""
    import numpy as np

    from index.store import RECORD_KINDS, open_client

    client = open_client(store_dir, None)
    for kind in RECORD_KINDS:
        col = client.get_or_create_collection(f"whosaid_v1_{kind}", embedding_function=None,
                                              configuration={"hnsw": {"space": "cosine"}})
        col.add(ids=["earlier"], embeddings=np.ones((1, 384), dtype=np.float32))
        col.delete(ids=["earlier"])
    client.close()


def speaker_id(rt, name: str, exact: bool = False) -> str:
    """The id of the speaker ``name`` finds in ``rt``'s store: the one so named if any (with
    ``exact``, it must exist), else the first found (a surname)."""
    found = rt.speaker_index().find(name)
    named = [s for s in found if s.name == name]
    assert named if exact else found, (name, found)
    return (named or found)[0].id


def claim_with(claim_set, words: str):
    """The one claim of ``claim_set`` whose text holds ``words``."""
    matches = [c for c in claim_set.claims if words in c.text]
    assert len(matches) == 1, [c.text for c in claim_set.claims]
    return matches[0]
