"""Quantified KPIs with remedies (量化效果指标与未达标补救).

What it checks: a numeric target (涨粉、播放量、GMV、线索; followers, views, leads) with its data source
(以平台后台数据为准) and a remedy when it is missed (退还X%服务费、免费延长、按比例扣减、甲方有权解除).
Why it matters: results below promise are the heart of the users' disputes; a promise with no number,
no agreed measurement or no consequence cannot be enforced.
Pass / weak / missing: rubric §3 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Finding, Status
from auditor.rules.adverse import Adverse


def run(inp: CheckInput) -> Finding:
    """Numeric target → concrete remedy on shortfall → data source; with the ways each can be hollow."""
    targets = _numeric_targets(inp) + _promised(inp, inp.hits("service_level"))
    remedies = _remedies(inp)
    soft_targets = _soft_targets(inp)
    if not (targets or remedies or soft_targets):
        notes = [inp.reason("disclaimer")] if inp.hits("disclaimer", negatable=False) else []
        if elsewhere := inp.missing_references(inp.hits("targets_named")):
            return inp.finding(
                Status.WEAK,
                [inp.reason("external", what=inp.ref_name(elsewhere[0]))],
                inp.evidence(elsewhere[:1]),
                notes=notes,
            )
        if result_pay := inp.hits("result_linked_pay"):
            return inp.finding(Status.WEAK, [inp.reason("result_pay_only")], inp.evidence(result_pay[:2]), notes=notes)
        return inp.finding(Status.MISSING, [inp.reason("missing")], notes=notes)
    if not targets:
        key = "remedy_without_trigger" if remedies else "no_numbers"
        return inp.finding(Status.WEAK, [inp.reason(key)], inp.evidence(remedies or soft_targets))
    what = targets[0].matched
    evidence = inp.evidence(targets[:2] + remedies[:2])
    if any(inp.in_sentence(t, "not_binding") for t in targets) or inp.hits("not_binding", negatable=False):
        return inp.finding(Status.WEAK, [inp.reason("not_binding")], evidence)
    if not remedies:
        negotiated = inp.sentence_hits("shortfall", "negotiated_only")
        key = "negotiated_only" if negotiated else "no_remedy"
        return inp.finding(Status.WEAK, [inp.reason(key, what=what)], inp.evidence(targets[:2] + negotiated))
    if not inp.hits("data_source"):
        return inp.finding(Status.WEAK, [inp.reason("no_source")], evidence)
    return inp.finding(Status.PASS, [inp.reason("pass", what=what)], evidence)


def _numeric_targets(inp: CheckInput) -> tuple[Hit, ...]:
    """Metric words whose sentence also carries a number tied to a target verb (不低于50万次)."""
    return _promised(inp, inp.sentence_hits("metric", "kpi_number"))


def _soft_targets(inp: CheckInput) -> tuple[Hit, ...]:
    """Metrics a target word aims at ("提升粉丝数量", "increase followers"), whose number is left blank
    ("成功率达到＿＿", "连续两次未达到＿%"), or targets named as such ("业绩目标"): a target is there, without a
    figure.
    A target word far off in the same long sentence ("meet at least monthly to review sales") aims at
    something else.
    """
    reach = int(inp.lexicon.values["target_reach"][inp.lang])
    aimed = tuple(h for h in inp.hits("metric") if _near(inp, h, "target_word", reach))
    blank = tuple(h for h in inp.sentence_hits("metric", "target_word") if inp.has_blank(h))
    named = inp.hits("named_target") + inp.hits("blank_target", negatable=False)
    return _promised(inp, tuple(dict.fromkeys(aimed + blank + named)))


def _near(inp: CheckInput, hit: Hit, key: str, reach: int) -> bool:
    """True when cue `key` matches within `reach` characters of `hit`, inside its sentence."""
    start, end = inp.sentences.around(hit.start, hit.end)
    return bool(inp.rx(key).search(inp.norm_span(max(start, hit.start - reach), min(end, hit.end + reach))))


def _promised(inp: CheckInput, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """Metrics in a sentence that disclaims results ("不承诺任何播放量") are not targets."""
    return tuple(h for h in hits if not inp.in_sentence(h, "disclaimer"))


def _remedies(inp: CheckInput) -> tuple[Hit, ...]:
    """Concrete remedies in a sentence about missing a target; never a sentence that takes the claim away
    ("甲方不得以效果未达预期为由拒付", rules/adverse.py).
    """
    adverse = Adverse(inp)
    return tuple(h for h in inp.sentence_hits("remedy", "shortfall", "kpi_context") if not adverse.against_client(h))


CHECK = Check(id="kpi_remedies", run=run)
