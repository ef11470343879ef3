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
from auditor.rules.acceptance import days_text, short_deemed_acceptance


def run(inp: CheckInput) -> Finding:
    """Measurable standard + procedure → pass; each hollowing-out of either → weak."""
    measurable = inp.hits("measurable")
    # the provider reviewing the client ("对乙方进行定期审核") is not the client accepting the work
    procedure = tuple(h for h in inp.hits("acceptance") if not inp.in_sentence(h, "client_reviewed"))
    vague = _about_the_work(inp, inp.hits("vague_quality"), inp.hits("effort_words"))
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


def _about_the_work(inp: CheckInput, quality: tuple[Hit, ...], effort: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """Quality words not said of confidentiality, credit or reputation, and effort words only where the
    sentence is about the work: real contracts use "best efforts" and "良好" for every kind of duty.
    """
    kept = quality + tuple(h for h in effort if inp.in_sentence(h, "quality_subject"))
    return tuple(h for h in kept if not inp.in_sentence(h, "not_quality"))


CHECK = Check(id="quality_standards", run=run)
