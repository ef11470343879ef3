"""Measure the checks against a labelled corpus, by language: 3-way accuracy, presence accuracy (missing or
not), red-flag precision/recall/F1, the trivial "most common status per check" baseline, a confusion table
per check, and every disagreement beside the label's own reason.

The labels file (`labels.json`: `{"files": {name: {"lang", "checks": {id: status}, "red_flags": [...],
"why": {id: reason}, "facts": {field: value}}}}`) maps each file to its expected status per check and,
where given, its key facts (value, currency, start, end, governing_law, type, client, provider: see
`KeyFacts`; null where the contract does not state one), measured as the share of files that agree.
This module measures; the tests assert the floor on the bundled samples separately.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.checks import CHECKS
from auditor.load import LoadError
from auditor.model import AuditReport, Status

STATUSES = tuple(s.value for s in Status)
ALL = "all"


@dataclass
class Miss:
    """One disagreement: the file, the check, the label and the reason given for it, what the audit said."""

    file: str
    lang: str
    check: str
    gold: str
    got: str
    why: str = ""
    reasons: tuple[str, ...] = ()


@dataclass
class Evaluation:
    """Counts gathered over a corpus, per language (and `ALL`)."""

    files: Counter[str] = field(default_factory=Counter)  # lang -> files audited
    errors: dict[str, str] = field(default_factory=dict)
    confusion: dict[tuple[str, str], Counter[tuple[str, str]]] = field(default_factory=dict)  # (lang, check)
    flags: dict[str, Counter[str]] = field(default_factory=dict)  # lang -> "tp:<id>", "fp:<id>", "fn:<id>"
    misses: list[Miss] = field(default_factory=list)
    facts: dict[str, Counter[str]] = field(default_factory=dict)  # field -> "right" / "wrong" counts
    fact_misses: list[tuple[str, str, object, object]] = field(default_factory=list)  # file, field, gold, got

    def fact_accuracy(self, name: str) -> float:
        """Share of labelled files whose key fact `name` the audit read as labelled."""
        counts = self.facts.get(name, Counter())
        total = counts["right"] + counts["wrong"]
        return counts["right"] / total if total else 0.0

    def langs(self) -> tuple[str, ...]:
        """The languages measured, then `ALL` when there are several."""
        found = tuple(sorted(lang for lang in self.files if lang != ALL))
        return (*found, ALL) if len(found) > 1 else found

    def table(self, check_id: str, lang: str = ALL) -> Counter[tuple[str, str]]:
        """(gold, got) counts for one check."""
        return self.confusion.get((lang, check_id), Counter())

    def accuracy(self, check_id: str, lang: str = ALL) -> float:
        """Share of files where the check gave the labelled status."""
        table = self.table(check_id, lang)
        total = sum(table.values())
        return sum(n for (g, p), n in table.items() if g == p) / total if total else 0.0

    def presence(self, check_id: str, lang: str = ALL) -> float:
        """Share of files where the check agreed with the label on whether anything is there at all."""
        table = self.table(check_id, lang)
        total = sum(table.values())
        missing = Status.MISSING.value
        return sum(n for (g, p), n in table.items() if (g == missing) == (p == missing)) / total if total else 0.0

    def baseline(self, check_id: str, lang: str = ALL) -> float:
        """Accuracy of always answering the check's most common labelled status."""
        gold = Counter[str]()
        for (g, _), n in self.table(check_id, lang).items():
            gold[g] += n
        total = sum(gold.values())
        return max(gold.values()) / total if total else 0.0

    def macro_f1(self, check_id: str, lang: str = ALL) -> float:
        """F1 averaged over the statuses that occur in the labels or the predictions."""
        table = self.table(check_id, lang)
        scores = []
        for s in STATUSES:
            tp = table[(s, s)]
            fp = sum(n for (g, p), n in table.items() if p == s and g != s)
            fn = sum(n for (g, p), n in table.items() if g == s and p != s)
            if tp + fp + fn:
                scores.append(2 * tp / (2 * tp + fp + fn))
        return sum(scores) / len(scores) if scores else 0.0

    def mean(self, measure: str, lang: str = ALL) -> float:
        """The mean over the checks of `accuracy`, `presence`, `baseline` or `macro_f1`."""
        values: list[float] = [getattr(self, measure)(c.id, lang) for c in CHECKS]
        return sum(values) / len(values)

    def flag_scores(self, lang: str = ALL) -> tuple[float, float, float]:
        """Red-flag precision, recall and F1 over all flags."""
        counts = self.flags.get(lang, Counter())
        tp, fp, fn = (sum(n for k, n in counts.items() if k.startswith(f"{kind}:")) for kind in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def evaluate(corpus: Path, labels: Path | None = None) -> Evaluation:
    """Audit every labelled file under `corpus` and compare with its labels."""
    from auditor.pipeline import audit

    data = json.loads((labels or corpus / "labels.json").read_text(encoding="utf-8"))["files"]
    ev = Evaluation()
    for name, gold in sorted(data.items()):
        try:
            report = audit(corpus / name, lang=gold.get("lang"))
        except LoadError as err:
            ev.errors[name] = str(err)
            continue
        _compare(ev, name, gold, report)
    return ev


def _compare(ev: Evaluation, name: str, gold: dict[str, Any], report: AuditReport) -> None:
    lang = str(gold.get("lang") or report.language)
    checks: dict[str, str] = gold["checks"]
    why: dict[str, str] = gold.get("why", {})
    for scope in (lang, ALL):
        ev.files[scope] += 1
    for finding in report.findings:
        want = checks.get(finding.check_id)
        if want is None:
            continue
        for scope in (lang, ALL):
            ev.confusion.setdefault((scope, finding.check_id), Counter())[(want, finding.status.value)] += 1
        if want != finding.status.value:
            ev.misses.append(
                Miss(
                    name,
                    lang,
                    finding.check_id,
                    want,
                    finding.status.value,
                    why.get(finding.check_id, ""),
                    finding.reasons,
                )
            )
    _compare_facts(ev, name, gold.get("facts", {}), report)
    want_flags = set(gold.get("red_flags", []))
    got_flags = {f.flag_id for f in report.red_flags}
    for flag in want_flags | got_flags:
        kind = "tp" if flag in want_flags and flag in got_flags else ("fn" if flag in want_flags else "fp")
        for scope in (lang, ALL):
            ev.flags.setdefault(scope, Counter())[f"{kind}:{flag}"] += 1


def _compare_facts(ev: Evaluation, name: str, gold: dict[str, Any], report: AuditReport) -> None:
    """Each labelled key fact against what the audit read; parties by name."""
    got: dict[str, object] = {**(report.key_facts.to_dict() if report.key_facts else {})}
    got.update(client=report.parties.client, provider=report.parties.provider)
    for key, want in gold.items():
        right = got.get(key) == want
        ev.facts.setdefault(key, Counter())["right" if right else "wrong"] += 1
        if not right:
            ev.fact_misses.append((name, key, want, got.get(key)))


def render(ev: Evaluation, *, show_misses: bool = True) -> str:
    """The figures as plain text: a summary per language, the per-check table, flags, disagreements."""
    langs = ev.langs()
    lines = [f"files audited: {ev.files[ALL]}" + (f", unreadable: {len(ev.errors)}" if ev.errors else ""), ""]
    lines.append(f"{'':24}" + "".join(f"{lang:>10}" for lang in langs))
    lines.append(f"{'files':24}" + "".join(f"{ev.files[lang]:>10}" for lang in langs))
    for label, measure in (
        ("3-way accuracy", "accuracy"),
        ("presence accuracy", "presence"),
        ("baseline (most common)", "baseline"),
        ("macro-F1", "macro_f1"),
    ):
        lines.append(f"{label:24}" + "".join(f"{ev.mean(measure, lang):10.3f}" for lang in langs))
    lines.append(f"{'red flags F1':24}" + "".join(f"{ev.flag_scores(lang)[2]:10.3f}" for lang in langs))
    if ev.facts:
        lines += ["", "key facts (share of labelled files read as labelled):"]
        lines += [f"     {key:21} {ev.fact_accuracy(key):6.3f}   n={sum(c.values())}" for key, c in ev.facts.items()]
    for lang in langs:
        lines += ["", f"[{lang}] {'check':20} {'acc':>6} {'pres':>6} {'base':>6}   confusion (gold→got: n)"]
        for check in CHECKS:
            table = ev.table(check.id, lang)
            cells = "  ".join(f"{g[0]}→{p[0]}:{n}" for (g, p), n in sorted(table.items()))
            lines.append(
                f"     {check.id:21} {ev.accuracy(check.id, lang):6.3f} {ev.presence(check.id, lang):6.3f} "
                f"{ev.baseline(check.id, lang):6.3f}   {cells}"
            )
        precision, recall, f1 = ev.flag_scores(lang)
        lines.append(f"     red flags: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}")
        counts = ev.flags.get(lang, Counter())
        for flag in sorted({k.split(":", 1)[1] for k in counts}):
            tp, fp, fn = (counts[f"{k}:{flag}"] for k in ("tp", "fp", "fn"))
            lines.append(f"       {flag:26} tp {tp:2}  fp {fp:2}  fn {fn:2}")
    if show_misses and ev.misses:
        lines += ["", "disagreements (file, check: gold → got; the label's reason; the audit's reasons):"]
        for m in ev.misses:
            lines.append(f"  {m.file}  {m.check}: {m.gold} → {m.got}")
            if m.why:
                lines.append(f"      label: {m.why}")
            if m.reasons:
                lines.append(f"      audit: {' / '.join(m.reasons)}")
    if show_misses and ev.fact_misses:
        lines += ["", "key facts read otherwise (file, field: label → audit):"]
        lines += [f"  {f}  {key}: {want!r} → {got!r}" for f, key, want, got in ev.fact_misses]
    for name, err in ev.errors.items():
        lines.append(f"  unreadable {name}: {err}")
    return "\n".join(lines) + "\n"
