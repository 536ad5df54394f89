"""More SIGKILL points than CI runs: the crash test with ``--points`` kill points.

    python -m bench.crash_bench [--points 60] [--seed N]

Runs tests/test_crash.py with WHOSAID_KILL_POINTS/WHOSAID_KILL_SEED and prints its
summary line (kill points, processes killed mid-run, partial states checked).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

from bench.common import REPO


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7_000_000)
    args = parser.parse_args()
    env = {**os.environ, "WHOSAID_KILL_POINTS": str(args.points), "WHOSAID_KILL_SEED": str(args.seed)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "tests/test_crash.py"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    summary = re.findall(r"^\d+ kill points.*$", run.stdout, re.M)
    print("\n".join(summary) or run.stdout[-2000:])
    print("passed" if run.returncode == 0 else f"FAILED (exit {run.returncode})")
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
