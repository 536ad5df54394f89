"""Helpers shared by the scale benchmarks: child processes, peak memory, a Chroma server.

Every measured pipeline runs in its own child process (``run_child``), so its peak RSS
(``VmHWM``) is its own and one pipeline's caches never help the next.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.common import REPO


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set size (``VmHWM``) of a process in MiB (this process by default)."""
    try:
        for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int) -> float:
    """Current resident set size of a process in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def child_env(**extra: str) -> dict:
    """Environment of a benchmark child: offline, no telemetry, no seeding."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSAID_", "OPENAI_"))}
    env.update({"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "WHOSAID_INDEX_SEEDS": "0",
                "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def run_child(module: str, args: list[str], env: dict | None = None, timeout: float = 7200) -> dict:
    """Run ``python -m module args`` and return the JSON object it prints last."""
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=env or child_env(),
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def emit(result: dict) -> None:
    """Print a child's result (with its peak RSS) as the last stdout line."""
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(result), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path):
    """A ``chroma run`` on a free loopback port, polled until ready; yields ``(url, pid)``."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=child_env())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.3)
        yield url, proc.pid
    finally:
        stop_process(proc, timeout=15)


def stop_process(proc, timeout: float = 20.0) -> None:
    """Terminate a child process, killing it if it does not exit in ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def runtime_for(store: Path | None = None, chroma_url: str | None = None, **overrides):
    """A ``Runtime`` on an embedded store directory or a Chroma server, seeding off."""
    from bot.runtime import Runtime
    from index.config import load_settings

    values = {"store": store, "chroma_url": chroma_url, "index_seeds_on_first_run": False, **overrides}
    return Runtime(load_settings(values, environ={}))
