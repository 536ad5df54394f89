#!/usr/bin/env bash
# Install everything the tests need into a fresh virtual environment and run the whole suite.
#   bash scripts/test.sh [pytest args]
# Installs: the project with its test extras (scripts/install.sh: a fresh venv, pinned by
# constraints.txt) and, when missing,
# Debian's chromium for the real-browser tests (with CI=true a missing browser fails the run).
# The tests themselves start what they need on free loopback ports (a `chroma run` server,
# `whosaid ui`, a local OpenAI-compatible stub) and poll each until it is ready.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${WHOSAID_TEST_VENV:-.venv-test}
bash scripts/install.sh "$VENV" test

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# an emoji font, so the badges in the browser screenshots render (optional)
command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 && missing+=(fonts-noto-color-emoji)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian packages for the browser tests: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
    || echo "!! could not install ${missing[*]}"
fi
if command -v chromium >/dev/null 2>&1; then
  export WHOSAID_CHROMIUM=${WHOSAID_CHROMIUM:-$(command -v chromium)}
elif [ "${CI:-}" = "true" ]; then
  echo "!! CI=true but no chromium: the browser tests cannot run" >&2
  exit 1
fi

echo "== running the tests"
exec "$VENV/bin/python" -m pytest -q --durations=20 "$@"
