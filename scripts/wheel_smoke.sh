#!/usr/bin/env bash
# The wheel, tried as a user would: built from this tree, installed into a fresh venv in a temporary
# folder outside the checkout, and run from there. Audits a bundled sample in Chinese and English, lists
# the playbooks, writes a dispute brief, runs the eval on the bundled labels, and starts the review desk
# until its health endpoint answers. Called by `scripts/dev.sh test` (CI) after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
ROOT=$(pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ca-wheel-XXXXXX")
UI_PID=
cleanup() {
  if [ -n "$UI_PID" ]; then kill "$UI_PID" 2>/dev/null || true; wait "$UI_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf 'wheel: %s\n' "$*"; }

step "building"
quietly() { "$@" > "$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; exit 1; }; }
quietly "$ROOT/.venv/bin/python" -m pip wheel --quiet --no-deps -w "$WORK/dist" "$ROOT"
"$PY" -m venv "$WORK/venv"
step "installing $(basename "$WORK"/dist/*.whl) into a fresh venv"
quietly "$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WORK"/dist/*.whl
CA="$WORK/venv/bin/contract-audit"
cd "$WORK"  # nothing from the checkout is reachable from here

step "audit --sample zh / en"
"$CA" audit --sample zh_01 --format json --no-db > zh.json
"$CA" audit --sample en_03 --format json --no-db > en.json
"$WORK/venv/bin/python" - <<'PY'
import json
for name, lang in (("zh.json", "zh"), ("en.json", "en")):
    report = json.load(open(name, encoding="utf-8"))
    assert report["language"] == lang, report["language"]
    assert report["checks"] and all(c["status"] in ("pass", "weak", "missing") for c in report["checks"])
print("wheel: audits ok:", ", ".join(f"{c['id']}={c['status']}" for c in report["checks"]))
PY
step "playbook list"
"$CA" playbook list > playbooks.txt
grep -q short_video_operation playbooks.txt
step "dispute brief"
"$CA" dispute --sample zh_04 --scenario kpi_missed > brief.md
grep -q "#" brief.md
step "eval on the bundled labels"
"$CA" eval --quiet > eval.txt
grep -q "3-way accuracy" eval.txt
step "review desk start-up"
PORT=$("$WORK/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CA" ui --port "$PORT" > ui.log 2>&1 &
UI_PID=$!
for _ in $(seq 1 60); do
  if "$WORK/venv/bin/python" -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://localhost:$PORT/_stcore/health', timeout=1).read() != b'ok')" 2>/dev/null; then
    step "the desk answers on port $PORT"
    echo "wheel: all checks passed"
    exit 0
  fi
  sleep 1
done
cat ui.log >&2
echo "wheel: the review desk did not answer its health check" >&2
exit 1
