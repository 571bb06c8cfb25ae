#!/usr/bin/env bash
# One command from nothing: make .venv, install factcheck with its dependencies, and run the
# main job on a shipped article. Safe to run again (it reuses .venv).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,dask]"
if [ "${1:-}" != "--no-example" ]; then
  echo "== factcheck check corpora/articles/001_seed_ainvest.txt --date 2025-07-20 --format rich"
  .venv/bin/factcheck check corpora/articles/001_seed_ainvest.txt --date 2025-07-20 --format rich
fi
