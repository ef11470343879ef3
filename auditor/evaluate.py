"""Measure the checks against a labelled corpus: per-check accuracy, confusion, macro-F1, red-flag P/R.

The labels file (`labels.json`, the shape of shared/dev-corpus/labels.json) maps each file to its expected
status per check and its red flags. This module measures; tests assert the floor separately.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from auditor.checks import CHECKS
from auditor.load import LoadError
from auditor.model import AuditReport, Status

STATUSES = tuple(s.value for s in Status)


@dataclass
class Evaluation:
    """Counts gathered over a corpus."""

    files: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    confusion: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)  # check -> (gold, got)
    flags: Counter[str] = field(default_factory=Counter)  # "tp:<id>", "fp:<id>", "fn:<id>"
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, check, gold, got

    def accuracy(self, check_id: str) -> float:
        """Share of files where the check gave the labelled status."""
        table = self.confusion.get(check_id, Counter())
        total = sum(table.values())
        return sum(n for (g, p), n in table.items() if g == p) / total if total else 0.0

    def macro_f1(self, check_id: str) -> float:
        """F1 averaged over the statuses that occur in the labels or the predictions."""
        table = self.confusion.get(check_id, Counter())
        scores = []
        for s in STATUSES:
            tp = table[(s, s)]
            fp = sum(n for (g, p), n in table.items() if p == s and g != s)
            fn = sum(n for (g, p), n in table.items() if g == s and p != s)
            if tp + fp + fn:
                scores.append(2 * tp / (2 * tp + fp + fn))
        return sum(scores) / len(scores) if scores else 0.0

    def flag_scores(self) -> tuple[float, float]:
        """Red-flag precision and recall over all flags."""
        tp = sum(n for k, n in self.flags.items() if k.startswith("tp:"))
        fp = sum(n for k, n in self.flags.items() if k.startswith("fp:"))
        fn = sum(n for k, n in self.flags.items() if k.startswith("fn:"))
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def evaluate(corpus: Path, labels: Path | None = None) -> Evaluation:
    """Audit every labelled file under `corpus` and compare with its labels."""
    from auditor.pipeline import audit

    data = json.loads((labels or corpus / "labels.json").read_text(encoding="utf-8"))["files"]
    ev = Evaluation(confusion={c.id: Counter() for c in CHECKS})
    for name, gold in sorted(data.items()):
        try:
            report = audit(corpus / name, lang=gold.get("lang"))
        except LoadError as err:
            ev.errors[name] = str(err)
            continue
        ev.files += 1
        _compare(ev, name, gold, report)
    return ev


def _compare(ev: Evaluation, name: str, gold: dict[str, object], report: AuditReport) -> None:
    checks = gold["checks"]
    assert isinstance(checks, dict)
    for finding in report.findings:
        want = checks.get(finding.check_id)
        if want is None:
            continue
        ev.confusion[finding.check_id][(want, finding.status.value)] += 1
        if want != finding.status.value:
            ev.misses.append((name, finding.check_id, want, finding.status.value))
    flags = gold.get("red_flags", [])
    want_flags = set(flags) if isinstance(flags, list) else set()
    got_flags = {f.flag_id for f in report.red_flags}
    for flag in want_flags | got_flags:
        kind = "tp" if flag in want_flags and flag in got_flags else ("fn" if flag in want_flags else "fp")
        ev.flags[f"{kind}:{flag}"] += 1


def render(ev: Evaluation, *, show_misses: bool = True) -> str:
    """The figures as a plain-text table."""
    lines = [f"files audited: {ev.files}" + (f", unreadable: {len(ev.errors)}" if ev.errors else ""), ""]
    lines.append(f"{'check':24} {'accuracy':>8} {'macroF1':>8}   confusion (gold→got: n)")
    for check in CHECKS:
        table = ev.confusion[check.id]
        cells = "  ".join(f"{g[0]}→{p[0]}:{n}" for (g, p), n in sorted(table.items()))
        lines.append(f"{check.id:24} {ev.accuracy(check.id):8.3f} {ev.macro_f1(check.id):8.3f}   {cells}")
    mean = sum(ev.accuracy(c.id) for c in CHECKS) / len(CHECKS)
    lines.append(f"{'mean':24} {mean:8.3f}")
    precision, recall = ev.flag_scores()
    lines += ["", f"red flags: precision {precision:.3f}, recall {recall:.3f}"]
    per_flag = sorted({k.split(":", 1)[1] for k in ev.flags})
    for flag in per_flag:
        tp, fp, fn = (ev.flags[f"{k}:{flag}"] for k in ("tp", "fp", "fn"))
        lines.append(f"  {flag:26} tp {tp:2}  fp {fp:2}  fn {fn:2}")
    if show_misses and ev.misses:
        lines += ["", "disagreements (file, check, gold → got):"]
        lines += [f"  {f}  {c}: {g} → {p}" for f, c, g, p in ev.misses]
    for name, err in ev.errors.items():
        lines.append(f"  unreadable {name}: {err}")
    return "\n".join(lines) + "\n"
