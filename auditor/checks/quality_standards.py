"""Quality standards and acceptance (质量标准与验收).

What it checks: at least one measurable standard (1080P, 时长不少于30秒, 每月5日前提交运营报告, response
within 24 hours) and an acceptance or revision procedure (验收、确认、修改次数).
Why it matters: "high quality" and "to the client's satisfaction" give the client nothing to reject
work against; a short deemed-acceptance window takes even that away.
Pass / weak / missing: rubric §2 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Finding, Status


def run(inp: CheckInput) -> Finding:
    """Measurable standard + procedure → pass; each hollowing-out of either → weak."""
    measurable = inp.hits("measurable")
    procedure = inp.hits("acceptance")
    vague = inp.hits("vague_quality")
    if not (measurable or procedure or vague):
        return inp.finding(Status.MISSING, [inp.reason("missing")])
    weak: list[str] = []
    evidence = list(inp.evidence(measurable[:2] + procedure[:2]))
    short = short_deemed_acceptance(inp)
    if short:
        hit, days = short[0]
        weak.append(inp.reason("deemed_acceptance", days=days_text(days, inp.lang)))
        evidence[:0] = inp.evidence([hit])
    refs = inp.missing_references(measurable + procedure)
    if refs:
        weak.append(inp.reason("external", what=inp.ref_name(refs[0])))
        evidence[:0] = inp.evidence(refs)
    for key in ("delivery_is_acceptance", "no_rework"):
        hits = inp.hits(key, negatable=False)
        if hits:
            weak.append(inp.reason(key))
            evidence[:0] = inp.evidence(hits)
    if not measurable:
        weak.append(inp.reason("vague_only", what=vague[0].matched) if vague else inp.reason("no_standard"))
        evidence[:0] = inp.evidence(vague)
    elif not procedure:
        weak.append(inp.reason("no_procedure"))
    if weak:
        return inp.finding(Status.WEAK, weak, evidence)
    return inp.finding(Status.PASS, [inp.reason("pass")], evidence)


def short_deemed_acceptance(inp: CheckInput) -> list[tuple[Hit, float]]:
    """Deemed-acceptance clauses whose silence period is at most the rubric's limit (7 days)."""
    limit = float(inp.lexicon.values["deemed_acceptance_max_days"])
    found = []
    for hit in inp.hits("deemed_acceptance", negatable=False):
        if not inp.in_sentence(hit, "silence"):
            continue
        days = _silence_days(inp, hit)
        if days and min(days) <= limit:
            found.append((hit, min(days)))
    return found


def _silence_days(inp: CheckInput, hit: Hit) -> list[float]:
    """The review period the silence runs from: in the deeming sentence, else the client's review sentence."""
    near = [f.value for f in inp.facts_near(hit, "duration") if f.value is not None]
    if near:
        return near
    review = inp.hits("review_period", (hit.clause,), negatable=False)
    return [f.value for r in review for f in inp.facts_near(r, "duration") if f.value is not None]


def days_text(days: float, lang: str) -> str:
    """A silence period as a reader says it: 24小时 rather than 1日, 5日, 48 hours."""
    if days <= 2 and round(days * 24) % 24 == 0 or days < 1:
        hours = round(days * 24)
        return f"{hours}小时" if lang == "zh" else f"{hours} hours"
    return f"{days:g}日" if lang == "zh" else f"{days:g} days"


CHECK = Check(id="quality_standards", run=run)
