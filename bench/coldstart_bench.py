"""Cold start and install footprint: a fresh venv from the lock file to the first answer.

    python -m bench.coldstart_bench [--write] [--keep DIR]

1. Constraints: ``constraints.txt`` at the repository root, or else ``pip freeze`` of the
   running environment without the project itself.
2. Two fresh venvs, each made by README command 1's ``scripts/install.sh`` (uv; runtime
   dependencies only, no test extras): the first with empty caches (downloads from PyPI),
   the second with the cache the first filled (what a redeploy sees). ``--pip-reference``
   also times a plain ``pip install -c constraints.txt <repo>`` for comparison.
3. Footprint of the venv (``du``), and whether torch is in it.
4. First answer: ``whosaid ask`` on an empty store, which indexes ``seeds/`` first.
5. One-shot ``whosaid ask`` on the seeded store (median of 3), and ``-X importtime``: the
   slowest imports by top-level package.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, write_section

QUESTION = "Who said “We don’t need this panic”?"


def constraints_file(work: Path) -> tuple[Path, str]:
    """The lock file to install from, and where it came from."""
    lock = REPO / "constraints.txt"
    if lock.exists():
        return lock, "constraints.txt"
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True,
                            text=True, check=True).stdout
    lines = [ln for ln in frozen.splitlines() if ln and not ln.lower().startswith(("whosaid", "-e "))]
    path = work / "constraints.txt"
    path.write_text("\n".join(lines) + "\n")
    return path, "pip freeze of .venv (constraints.txt absent)"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict, cwd: Path | None = None, cpu: list | None = None
          ) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of a command (its CPU seconds appended to ``cpu`` when given)."""
    t, c = time.perf_counter(), children_cpu()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    if cpu is not None:
        cpu.append(children_cpu() - c)
    return time.perf_counter() - t, proc


def install(venv: Path, constraints: Path, env: dict, route: str = "script") -> dict:
    """A fresh venv with whosaid installed from the constraints; times and size.

    ``route="script"`` is README command 1's ``scripts/install.sh`` (uv); ``"pip"`` is a
    plain ``pip install -c constraints.txt .`` for comparison."""
    if route == "script":
        t_venv = 0.0  # the script makes the venv itself
        t_pip, _ = timed(["bash", str(REPO / "scripts" / "install.sh"), str(venv)], env)
    else:
        t_venv, _ = timed([sys.executable, "-m", "venv", str(venv)], env)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        t_pip, _ = timed(pip + ["-c", str(constraints), str(REPO)], env, cwd=venv.parent)
    size = int(subprocess.run(["du", "-sb", str(venv)], capture_output=True, text=True).stdout.split()[0])
    torch = subprocess.run([str(venv / "bin" / "python"), "-c", "import importlib.util as u; "
                            "print(u.find_spec('torch') is not None)"], capture_output=True, text=True).stdout.strip()
    return {"route": route, "venv_s": t_venv, "pip_s": t_pip, "size_mb": size / 2**20, "torch": torch == "True"}


def largest_packages(venv: Path, n: int = 8) -> list[tuple[str, float]]:
    site = next((venv / "lib").glob("python*/site-packages"))
    sizes = []
    for entry in site.iterdir():
        if entry.is_dir() and not entry.name.endswith((".dist-info", "__pycache__")):
            size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())
            sizes.append((entry.name, size / 2**20))
    return sorted(sizes, key=lambda x: -x[1])[:n]


def import_profile(python: Path, env: dict, n: int = 8) -> list[tuple[str, float]]:
    """Cumulative import time (s) of the top-level packages ``whosaid ask`` imports."""
    proc = subprocess.run([str(python), "-X", "importtime", "-m", "ui.cli", "ask", QUESTION, "--json"],
                          env=env, capture_output=True, text=True, cwd=env["HOME"])
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        field = fields[2]
        if len(field) - len(field.lstrip(" ")) != 3:  # " " + two per level: nested imports are in their parent
            continue
        top = field.strip().split(".")[0]
        totals[top] = totals.get(top, 0.0) + int(fields[1]) / 1e6
    return sorted(totals.items(), key=lambda x: -x[1])[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--pip-reference", action="store_true",
                        help="also time a plain pip install with an empty cache (about 4 minutes)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="whosaid-coldstart-"))
    work.mkdir(parents=True, exist_ok=True)
    constraints, source = constraints_file(work)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("WHOSAID_", "OPENAI_", "VIRTUAL_ENV", "PYTHON"))}
    base["PATH"] = ":".join(p for p in base.get("PATH", "").split(":") if ".venv" not in p)
    base.update({"PIP_CACHE_DIR": str(work / "pip-cache"), "UV_CACHE_DIR": str(work / "uv-cache"),
                 "ANONYMIZED_TELEMETRY": "False"})
    result: dict = {"constraints": source, "load_before": os.getloadavg()[0]}
    if args.pip_reference:
        result["pip_cold_cache"] = install(work / "venv-pip", constraints, base, route="pip")
        print(json.dumps(result), flush=True)
    result["cold_cache"] = install(work / "venv-a", constraints, base)
    print(json.dumps(result), flush=True)
    result["warm_cache"] = install(work / "venv-b", constraints, base)
    print(json.dumps(result), flush=True)
    venv = work / "venv-a"  # the install that started from an empty cache: a fresh machine
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = {**base, "HOME": str(home), "WHOSAID_STORE": str(home / "store"), "WHOSAID_INDEX_SEEDS": "1",
           "WHOSAID_SEEDS": str(REPO / "seeds")}
    whosaid = str(venv / "bin" / "whosaid")
    first_cpu: list[float] = []
    first_s, proc = timed([whosaid, "ask", QUESTION, "--json"], env, cwd=home, cpu=first_cpu)
    result["first_answer_s"] = first_s
    result["first_answer_cpu_s"] = first_cpu[0]
    result["first_answer_ok"] = bool(json.loads(proc.stdout).get("answered"))
    oneshot_cpu: list[float] = []
    oneshot = [timed([whosaid, "ask", QUESTION, "--json"], env, cwd=home, cpu=oneshot_cpu)[0] for _ in range(3)]
    result["oneshot_s"] = statistics.median(oneshot)
    result["oneshot_cpu_s"] = statistics.median(oneshot_cpu)
    result["oneshot_all_s"] = oneshot
    result["load_after"] = os.getloadavg()[0]
    result["imports"] = import_profile(venv / "bin" / "python", env)
    result["largest_packages"] = largest_packages(venv)
    print(json.dumps(result, indent=2), flush=True)
    if args.write:
        write_section("Cold start and install footprint", render(result), "python -m bench.coldstart_bench --write")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def render(r: dict) -> str:
    cold, warm = r["cold_cache"], r["warm_cache"]
    install_cold = cold["venv_s"] + cold["pip_s"]
    install_warm = warm["venv_s"] + warm["pip_s"]
    lines = [
        f"Lock file: {r['constraints']}; README command 1's `bash scripts/install.sh VENV` (a new venv, "
        "uv from PyPI, then `uv pip install -c constraints.txt -e .`: runtime dependencies, no test "
        "extras). Shared 2-core machine (1-minute load average "
        f"{r['load_before']:.1f} at the start, {r['load_after']:.1f} at the end); download speed is this "
        "sandbox's.", "",
        "| step | seconds |", "|---|---:|",
        f"| `scripts/install.sh`, empty caches (downloads) | {install_cold:.1f} |",
        f"| `scripts/install.sh`, warm uv cache | {install_warm:.1f} |"]
    if "pip_cold_cache" in r:
        ref = r["pip_cold_cache"]
        lines.append(f"| for comparison: venv + plain `pip install -c constraints.txt .`, empty cache | "
                     f"{ref['venv_s'] + ref['pip_s']:.1f} |")
    lines += [
        f"| first `whosaid ask` on an empty store (indexes seeds/, loads models, first imports) | "
        f"{r['first_answer_s']:.1f} (CPU {r['first_answer_cpu_s']:.1f}) |",
        f"| **fresh install (empty caches) to first answer** | **{install_cold + r['first_answer_s']:.1f}** "
        "(target < 60) |",
        f"| one-shot `whosaid ask` on the seeded store, median of 3 | **{r['oneshot_s']:.2f}** (CPU "
        f"{r['oneshot_cpu_s']:.2f}; target < 3; "
        f"runs {', '.join(f'{x:.2f}' for x in r['oneshot_all_s'])}) |", "",
        f"Install footprint: **{cold['size_mb']:.0f} MiB** (target < 1.5 GB); torch installed: "
        f"{'**yes**' if cold['torch'] else 'no'}. Largest packages (MiB): "
        + ", ".join(f"{name} {size:.0f}" for name, size in r["largest_packages"]) + ".", "",
        "Slowest top-level imports of a one-shot `whosaid ask` (`-X importtime`, cumulative s): "
        + ", ".join(f"{name} {sec:.2f}" for name, sec in r["imports"]) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
