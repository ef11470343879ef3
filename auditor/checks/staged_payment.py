"""Staged payment (分阶段付款).

What it checks: two or more instalments tied to milestones, acceptance, KPIs or periods (monthly), with
amounts or percentages; no more than half up front; a 定金 of at most 20%.
Why it matters: money paid in advance is the client's only leverage; once it is all paid, a provider who
under-delivers or vanishes has nothing left to lose.
Pass / weak / missing: rubric §4 (shared/domain.md).
"""

from __future__ import annotations

from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Finding, Status
from auditor.rules.payment import deposit_share, full_prepayment, stated_share


def run(inp: CheckInput) -> Finding:
    """No payment / full prepayment → missing; staged with triggers and sane shares → pass."""
    clauses = _payment_clauses(inp)
    free = inp.hits("no_payment", negatable=False)
    if not clauses or free:
        return inp.finding(Status.MISSING, [inp.reason("no_payment")], inp.evidence(free))
    full = full_prepayment(inp, clauses)
    if full:
        return inp.finding(Status.MISSING, [inp.reason("full_prepayment")], inp.evidence(full))
    pays = inp.hits("payment", clauses)
    amounts = sorted(inp.facts_of("percent", clauses) + inp.facts_of("money", clauses), key=lambda f: f.start)
    evidence = list(inp.evidence(inp.hits_at(amounts[:4]) or pays))
    stages = _stage_count(inp, clauses)
    weak: list[str] = []
    refs = inp.missing_references(pays)
    if refs:
        return inp.finding(Status.WEAK, [inp.reason("external", what=inp.ref_name(refs[0]))], inp.evidence(refs))
    periodic = inp.hits("periodic", clauses)
    if stages < 2 and not periodic:
        weak.append(inp.reason("single_payment"))
    if not (inp.hits("trigger", clauses) or periodic):
        weak.append(inp.reason("no_trigger"))
    for key, reason in (("dates_open", "dates_open"), ("split_or_trigger_blank", "blank")):
        found = inp.hits(key, clauses, negatable=False)
        if found:
            weak.append(inp.reason(reason))
            evidence[:0] = inp.evidence(found)
    weak.extend(_share_problems(inp, clauses))
    if weak:
        return inp.finding(Status.WEAK, weak, evidence)
    label = _stages_text(stages, inp)
    return inp.finding(Status.PASS, [inp.reason("pass", stages=label)], evidence)


def _payment_clauses(inp: CheckInput) -> tuple[Clause, ...]:
    """Clauses about paying the price (not penalties), by wording or under a payment heading."""
    by_words = {h.clause for h in inp.hits("payment") if not inp.in_sentence(h, "penalty_payment")}
    return tuple(sorted(by_words | set(inp.section("payment")), key=lambda c: c.index))


def _stage_count(inp: CheckInput, clauses: tuple[Clause, ...]) -> int:
    """Instalments: clauses carrying an amount or share, shares stated, or an explicit count (分三期)."""
    percents = inp.facts_of("percent", clauses)
    with_value = {f.clause for f in inp.facts_of("money", clauses) + percents}
    with_value |= {h.clause.index for h in inp.hits("instalments", clauses)}
    explicit = [h for h in inp.hits("instalments", clauses) if h.matched.startswith("分")]
    return max(len(with_value), len(percents), 3 if explicit else 0)


def _share_problems(inp: CheckInput, clauses: tuple[Clause, ...]) -> list[str]:
    """More than half up front; a 定金 above 20% of the price."""
    values = inp.lexicon.values
    problems = []
    upfront = stated_share(inp, inp.hits("upfront", clauses))
    if upfront is not None and upfront > values["max_upfront_percent"]:
        problems.append(inp.reason("upfront", share=f"{upfront:g}%"))
    deposit, _ = deposit_share(inp, clauses)
    if deposit is not None and deposit > values["max_deposit_percent"]:
        problems.append(inp.reason("deposit", share=f"{deposit:g}%"))
    return problems


def _stages_text(stages: int, inp: CheckInput) -> str:
    if stages >= 2:
        return f"{stages}期" if inp.lang == "zh" else f"{stages} instalments"
    return "按周期支付" if inp.lang == "zh" else "periodic payments"


CHECK = Check(id="staged_payment", run=run)
