"""Shared fixtures: a hermetic environment for every test, models loaded once per session."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def shared_dir() -> Path | None:
    """The read-only ``shared`` folder beside the repository, if present."""
    candidate = Path(os.environ.get("WHOSAID_SHARED_DIR", REPO.parent / "shared"))
    return candidate if candidate.is_dir() else None


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch, tmp_path):
    """No OPENAI_*/WHOSAID_* from the outside; HOME, caches and the store in a temp dir."""
    for key in list(os.environ):
        if key.startswith(("OPENAI_", "WHOSAID_")):
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("WHOSAID_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("WHOSAID_INDEX_SEEDS", "0")
    yield


@pytest.fixture(scope="session")
def embeddings():
    from index.embeddings import MiniLMOnnxEmbeddings

    return MiniLMOnnxEmbeddings(threads=2)


@pytest.fixture(scope="session")
def nlp():
    from index.nlp import load_nlp

    return load_nlp()


def build_runtime(store_dir: Path, embeddings, nlp, **overrides):
    """A ``Runtime`` on ``store_dir`` sharing the session's models (no reload per test)."""
    from bot.runtime import Runtime
    from index.config import load_settings

    settings = load_settings({"store": store_dir, **overrides}, environ={})
    rt = Runtime(settings)
    rt.__dict__["embeddings"] = embeddings
    rt.__dict__["nlp"] = nlp
    return rt


@contextmanager
def ingested_runtime(tmp_path_factory, embeddings, nlp, name: str, articles: Path | dict[str, str]):
    """A ``Runtime`` on a fresh store holding ``articles`` — a folder, or ``{file name: text}``
    written to one — every file indexed; closed afterwards (for module-scoped fixtures)."""
    if isinstance(articles, dict):
        folder = tmp_path_factory.mktemp(f"{name}_articles")
        for file_name, text in articles.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        articles = folder
    rt = build_runtime(tmp_path_factory.mktemp(f"{name}_store"), embeddings, nlp)
    try:
        results = rt.ingest_paths([articles])
        assert results and {r.status for r in results} == {"indexed"}, [(r.path, r.status, r.reason) for r in results]
        yield rt
    finally:
        rt.close()


@pytest.fixture
def make_runtime(tmp_path, embeddings, nlp):
    """Factory: ``make_runtime(name="store", **settings)`` -> a fresh Runtime, closed after the test."""
    made = []

    def factory(name: str = "store", **overrides):
        rt = build_runtime(tmp_path / name, embeddings, nlp, **overrides)
        made.append(rt)
        return rt

    yield factory
    for rt in made:
        rt.close()


@pytest.fixture(scope="module")
def seed_runtime(tmp_path_factory, embeddings, nlp):
    """A Runtime whose store holds the seed corpus (built once per test module)."""
    rt = build_runtime(tmp_path_factory.mktemp("seedstore"), embeddings, nlp)
    results = rt.ingest_paths([SEEDS])
    assert [r.status for r in results] == ["indexed"]
    yield rt
    rt.close()


class ChromaServer:
    """A real ``chroma run`` process on a free loopback port, polled until ready."""

    def __init__(self, path: Path) -> None:
        import shutil
        import subprocess
        import sys

        from tests.helpers import free_port, wait_for_http

        chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        port = free_port()
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.url = f"http://127.0.0.1:{port}"
        path.mkdir(parents=True, exist_ok=True)
        self.log_path = path.parent / f"{path.name}-chroma.log"
        with self.log_path.open("wb") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(
                [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for_http(f"{self.url}/api/v2/heartbeat", timeout=60, process=self.proc)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        from tests.helpers import stop_process

        stop_process(self.proc, timeout=15)

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's own output, for a failing test's message."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """The URL of a Chroma server shared by the session's server-mode tests."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def server_seed_runtime(tmp_path_factory, embeddings, nlp):
    """A Runtime whose store is a Chroma server of its own holding the seed corpus
    (its own server, so the server-mode tests that expect an empty one are unaffected)."""
    server = ChromaServer(tmp_path_factory.mktemp("seed-chroma-server"))
    rt = build_runtime(tmp_path_factory.mktemp("server-unused"), embeddings, nlp, chroma_url=server.url)
    try:
        results = rt.ingest_paths([SEEDS])
        assert [r.status for r in results] == ["indexed"]
        yield rt
    finally:
        rt.close()
        server.stop()


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.slow)])
def seeded_runtime(request):
    """The seed-corpus Runtime on each store backend: the embedded store, then a real
    ``chroma run`` server. Tests using it are the ``server``-marked end-to-end subset."""
    return request.getfixturevalue("seed_runtime" if request.param == "embedded" else "server_seed_runtime")
