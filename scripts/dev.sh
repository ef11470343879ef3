#!/usr/bin/env bash
# One entry point for the README's commands; everything the project needs is installed from here.
#   scripts/dev.sh run    set up, audit a bundled sample in the terminal, then open the review desk
#   scripts/dev.sh test   set up (with test tools and the browser for UI tests), lint, type-check, run the
#                         whole test suite, then build the wheel and try it outside the checkout
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
  # fonts to render Chinese; the redline test converts its Word output with LibreOffice headless.
  # Installed only when missing and when we may use apt.
  if command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 \
    && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer >/dev/null
  else
    echo "note: chromium, fonts-noto-cjk or libreoffice-writer is missing; the tests that need them are skipped" >&2
  fi
}

case "${1:-}" in
  setup)
    setup "ocr"
    ;;
  run)
    setup "ocr"
    "$VENV/bin/contract-audit" audit --sample zh_01 --no-db
    echo
    exec "$VENV/bin/contract-audit" ui
    ;;
  test)
    setup "dev,ocr"
    browser_deps
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/mypy" auditor
    "$VENV/bin/python" -m pytest -p no:cacheprovider -rs "${@:2}"
    scripts/wheel_smoke.sh
    ;;
  *)
    echo "usage: scripts/dev.sh run|test|setup" >&2
    exit 2
    ;;
esac
