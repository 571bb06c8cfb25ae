#!/usr/bin/env bash
# One command from nothing: make .venv, install factcheck with its dependencies (the server and
# test extras too), Debian's chromium + chromedriver for the editor page's browser test, and run
# the main job on a shipped article. Safe to run again (it reuses .venv and skips what is there).
#   --no-example   skip the example run
#   --no-browser   skip installing chromium (the browser test then skips, except under CI=true)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
EXAMPLE=1
BROWSER=1
for arg in "$@"; do
  case "$arg" in
    --no-example) EXAMPLE=0 ;;
    --no-browser) BROWSER=0 ;;
    *) echo "setup.sh: unknown option $arg (use --no-example, --no-browser)" >&2; exit 2 ;;
  esac
done
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,dask,serve,browser]"
if [ "$BROWSER" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo -n); else SUDO=(none); fi
  if [ "${SUDO[0]:-}" != none ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium and chromium-driver (the editor page's browser test)"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null 2>&1; then
      "${SUDO[@]}" apt-get update -q >/dev/null
      "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
    fi
  else
    echo "note: chromium and chromedriver are not installed and apt-get is not available as root;" \
         "the browser test will be skipped (install Debian's chromium and chromium-driver)" >&2
  fi
fi
if [ "$EXAMPLE" = 1 ]; then
  echo "== factcheck check corpora/articles/001_seed_ainvest.txt --date 2025-07-20 --format rich"
  .venv/bin/factcheck check corpora/articles/001_seed_ainvest.txt --date 2025-07-20 --format rich
fi
