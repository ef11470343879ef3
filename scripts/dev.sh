#!/usr/bin/env bash
# One entry point for the README's commands; everything the project needs is installed from here.
#   scripts/dev.sh run    set up, audit a bundled sample in the terminal, then open the review desk
#   scripts/dev.sh test   set up (with test tools and the browser for UI tests), run the whole test suite
#   scripts/dev.sh setup  set up only
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[$1]"
}

browser_deps() {
  # The browser test drives Debian's Chromium (Playwright cannot download browsers here) and needs CJK
  # fonts to render Chinese. Installed only when missing and when we may use apt.
  if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "note: chromium and fonts-noto-cjk are not installed; the browser test will be skipped" >&2
  fi
}

case "${1:-}" in
  setup)
    setup "ocr"
    ;;
  run)
    setup "ocr"
    "$VENV/bin/contract-audit" audit sample_contracts/zh_01_douyin_operation.docx
    echo
    echo "Opening the review desk at http://localhost:8501 (Ctrl+C to stop) ..."
    exec "$VENV/bin/streamlit" run app.py
    ;;
  test)
    setup "dev,ocr"
    browser_deps
    exec "$VENV/bin/python" -m pytest -p no:cacheprovider -rs "${@:2}"
    ;;
  *)
    echo "usage: scripts/dev.sh run|test|setup" >&2
    exit 2
    ;;
esac
