"""Print an audit of one file (or fixture) with evidence: a developer's view while tuning checks."""

from __future__ import annotations

import sys
from pathlib import Path

from auditor import audit_text
from tests.conftest import read_fixture

for arg in sys.argv[1:]:
    path = Path(arg)
    text, _ = read_fixture(path)
    report = audit_text(text, name=path.name)
    only = path.parent.name if path.parent.name in {f.check_id for f in report.findings} else None
    print(f"== {path}  parties={report.parties}")
    for f in report.findings:
        if only and f.check_id != only:
            continue
        print(f"  {f.check_id}: {f.status.value}  {list(f.reasons)}")
        for e in f.evidence:
            print(f"      [{e.clause}] ({e.matched}) {e.text[:90]}")
    print("  flags:", [r.flag_id for r in report.red_flags])
