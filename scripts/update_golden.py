"""Regenerate the golden snapshots in tests/golden/ (ruff-style committed output; tests/test_pipeline.py
compares against them).

    .venv/bin/python scripts/update_golden.py              # every labelled sample
    .venv/bin/python scripts/update_golden.py zh_02_douyin_package.txt   # only these

A snapshot is a stable projection of a report: the file, its language, and per check the status, the
reasons and the labels of the clauses quoted as evidence; then the red-flag ids. Offsets, quoted text and
suggested wording are left out on purpose, so a snapshot changes when a decision changes, not when a
quote is trimmed. Review the diff (`git diff tests/golden/`) before committing it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.model import AuditReport

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_contracts"
GOLDEN = ROOT / "tests" / "golden"
HOW_TO_UPDATE = "python scripts/update_golden.py"


def labelled_files() -> list[str]:
    """Every file named in sample_contracts/labels.json, sorted."""
    data = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
    return sorted(data["files"])


def golden_path(name: str) -> Path:
    """tests/golden/<sample file name>.json (the full name: the same stem may exist in two formats)."""
    return GOLDEN / f"{name}.json"


def project(report: AuditReport) -> dict[str, Any]:
    """The stable part of a report that a snapshot records."""
    return {
        "file": report.file,
        "language": report.language,
        "checks": {
            f.check_id: {
                "status": f.status.value,
                "reasons": list(f.reasons),
                "evidence": [e.clause for e in f.evidence],
            }
            for f in report.findings
        },
        "red_flags": [r.flag_id for r in report.red_flags],
    }


def render(snapshot: dict[str, Any]) -> str:
    """The snapshot as committed: UTF-8 JSON, readable Chinese, two-space indent, final newline."""
    return json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"


def snapshot_of(name: str) -> dict[str, Any]:
    """Audit one labelled sample (language detected, as a user would run it) and project it."""
    from auditor.pipeline import audit

    return project(audit(SAMPLES / name))


def main(argv: Sequence[str]) -> int:
    """Write the snapshots for the named samples (default: all); drop snapshots of unlabelled files."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    known = labelled_files()
    names = list(argv) or known
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"update_golden: not in labels.json: {', '.join(unknown)}", file=sys.stderr)
        return 2
    GOLDEN.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name in names:
        path = golden_path(name)
        text = render(snapshot_of(name))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
            print(f"wrote {path.relative_to(ROOT)}")
    if not argv:
        for stale in sorted(set(GOLDEN.glob("*.json")) - {golden_path(n) for n in known}):
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)} (no longer labelled)")
    print(f"{len(names)} snapshots checked, {changed} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
