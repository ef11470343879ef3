"""Show, for labelled files, the auditor's finding next to the label's reason: a tuning aid."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auditor import audit

corpus = Path(sys.argv[1])
check = sys.argv[2]
only = sys.argv[3:] or None
labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))["files"]
for name, gold in sorted(labels.items()):
    if only and not any(o in name for o in only):
        continue
    report = audit(corpus / name, lang=gold.get("lang"))
    f = report.finding(check)
    want = gold["checks"].get(check)
    if want == f.status.value and not only:
        continue
    print(f"== {name}: gold {want} / got {f.status.value}")
    print(f"   label: {gold.get('why', {}).get(check, '')[:400]}")
    print(f"   got:   {list(f.reasons)}")
    for e in f.evidence[:3]:
        print(f"      [{e.clause}] ({e.matched}) {' '.join(e.text.split())[:140]}")
