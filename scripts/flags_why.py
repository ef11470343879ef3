"""Show red-flag disagreements with the labels, with the evidence the auditor quoted: a tuning aid."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auditor import audit

corpus = Path(sys.argv[1])
only = set(sys.argv[2:])
labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))["files"]
for name, gold in sorted(labels.items()):
    report = audit(corpus / name, lang=gold.get("lang"))
    got = {f.flag_id: f for f in report.red_flags}
    want = set(gold.get("red_flags", []))
    for flag in sorted(set(got) ^ want):
        if only and flag not in only:
            continue
        kind = "FP" if flag in got else "FN"
        print(f"{kind} {name} {flag}")
        if flag in got:
            for e in got[flag].evidence[:3]:
                print(f"      [{e.clause}] {' '.join(e.text.split())[:150]}")
