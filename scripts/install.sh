#!/usr/bin/env bash
# Create a virtual environment and install whosaid into it, pinned by constraints.txt.
#   bash scripts/install.sh [VENV] [EXTRAS]      e.g.  bash scripts/install.sh .venv-test test
# The installer is uv (from PyPI, into the venv itself): it resolves and links the ~150
# pinned packages in under 10 s where pip takes about a minute, several under load (docs/benchmarks.md,
# "Cold start"). When uv cannot be installed, pip does the same install, only slower.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${1:-.venv}
EXTRAS=${2:-}
TARGET="."
[ -n "$EXTRAS" ] && TARGET=".[$EXTRAS]"

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON=$candidate; break; fi
  done
fi
[ -n "$PYTHON" ] || { echo "!! Python 3.11 is needed (python3.11 or python3 on PATH)" >&2; exit 1; }

echo "== creating $VENV with $($PYTHON --version)"
"$PYTHON" -m venv "$VENV"
echo "== installing whosaid${EXTRAS:+ with [$EXTRAS]} (pinned by constraints.txt)"
if "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt uv 2>/dev/null; then
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" -c constraints.txt -e "$TARGET"
else
  echo "   (uv not available: installing with pip, which takes a few minutes)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt -e "$TARGET"
fi
