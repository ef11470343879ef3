"""Staged payment (分阶段付款).

What it checks: two or more instalments tied to milestones, acceptance, KPIs or periods (monthly), with
amounts or percentages; no more than half up front; a 定金 of at most 20%.
Why it matters: money paid in advance is the client's only leverage; once it is all paid, a provider who
under-delivers or vanishes has nothing left to lose.
Pass / weak / missing: rubric §4 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Finding, Status
from auditor.rules.payment import deposit_share, full_prepayment, paid_before_work, periodic_prepayment, stated_share


def run(inp: CheckInput) -> Finding:
    """No payment / full prepayment → missing; staged with triggers and sane shares → pass."""
    clauses = _payment_clauses(inp)
    free = inp.hits("no_payment", negatable=False)
    if not clauses or free:
        return inp.finding(Status.MISSING, [inp.reason("no_payment")], inp.evidence(free))
    whole = full_prepayment(inp, clauses)
    if whole:
        return inp.finding(Status.MISSING, [inp.reason("full_prepayment")], inp.evidence(whole))
    pays = inp.hits("payment", clauses)
    amounts = sorted(inp.facts_of("percent", clauses) + inp.facts_of("money", clauses), key=lambda f: f.start)
    evidence = list(inp.evidence(inp.hits_at(amounts[:4]) or pays))
    stages = _stage_count(inp, clauses)
    weak: list[str] = []
    refs = inp.missing_references(pays)
    if refs:
        return inp.finding(Status.WEAK, [inp.reason("external", what=inp.ref_name(refs[0]))], inp.evidence(refs))
    period_prepaid = periodic_prepayment(inp, clauses)
    if period_prepaid:
        weak.append(inp.reason("period_prepaid"))
        evidence[:0] = inp.evidence(period_prepaid)
    periodic = inp.hits("periodic", clauses)
    after_work = _paid_only_after_work(inp, clauses)
    if stages < 2 and not periodic and not after_work:
        weak.append(inp.reason("single_payment"))
    if not (inp.hits("trigger", clauses) or periodic):
        weak.append(inp.reason("no_trigger"))
    for key, reason in (("dates_open", "dates_open"), ("split_or_trigger_blank", "blank")):
        found = inp.hits(key, clauses, negatable=False)
        if found:
            weak.append(inp.reason(reason))
            evidence[:0] = inp.evidence(found)
    problems, quoted = _share_problems(inp, clauses)
    weak.extend(problems)
    evidence[:0] = inp.evidence(quoted)
    if weak:
        return inp.finding(Status.WEAK, weak, evidence)
    if stages < 2 and not periodic:
        return inp.finding(Status.PASS, [inp.reason("pass_after_acceptance")], (*inp.evidence(after_work), *evidence))
    label = _stages_text(stages, inp)
    return inp.finding(Status.PASS, [inp.reason("pass", stages=label)], evidence)


def _paid_only_after_work(inp: CheckInput, clauses: tuple[Clause, ...]) -> tuple[Hit, ...]:
    """The whole price paid only once the work is accepted or handed over, nothing before: the client keeps
    all its leverage until it has what it paid for.
    """
    if paid_before_work(inp, clauses):
        return ()
    return inp.hits("paid_on_acceptance", clauses)


def _payment_clauses(inp: CheckInput) -> tuple[Clause, ...]:
    """Clauses about paying the price (not penalties, refunds or credits), by wording or under a payment
    heading.
    """
    by_words = {
        h.clause
        for h in inp.hits("payment")
        if not (inp.in_sentence(h, "penalty_payment") or inp.in_sentence(h, "paid_back"))
    }
    return tuple(sorted(by_words | set(inp.section("payment")), key=lambda c: c.index))


def _stage_count(inp: CheckInput, clauses: tuple[Clause, ...]) -> int:
    """Instalments: clauses carrying an amount or share, shares stated, or an explicit count (分三期)."""
    percents = inp.facts_of("percent", clauses)
    with_value = {f.clause for f in inp.facts_of("money", clauses) + percents}
    with_value |= {h.clause.index for h in inp.hits("instalments", clauses)}
    stated = (_stated_count(inp, h.matched) for h in inp.hits("instalment_count", clauses))
    # two payments in one clause ("签约时支付40%；验收后支付余款港币4.8万元"): count the sentences that pay
    paying = {inp.sentences.around(h.start, h.end) for h in inp.hits("payment", clauses)}
    valued = {
        span
        for f in inp.facts_of("money", clauses) + percents
        if (span := inp.sentences.around(f.start, f.end)) in paying
    }
    return max(len(with_value), len(percents), len(valued), *stated)


def _stated_count(inp: CheckInput, matched: str) -> int:
    """The number in "分三期" / "in two equal instalments"; a redacted or unusual number still means two or more."""
    m = inp.rx("instalment_count").search(matched)
    word = (m.group("n") if m else "").strip("() ")
    words: dict[str, int] = inp.lexicon.values["number_words"][inp.lang]
    return int(word) if word.isdigit() else words.get(word, 2)


def _share_problems(inp: CheckInput, clauses: tuple[Clause, ...]) -> tuple[list[str], tuple[Hit, ...]]:
    """More than half up front; a 定金 above 20% of the price: the reasons, and the sentences that say so
    (quoted first, so the evidence is the clause that does the harm, not the price).
    """
    values = inp.lexicon.values
    problems: list[str] = []
    quoted: tuple[Hit, ...] = ()
    upfront_hits = inp.hits("upfront", clauses)
    upfront = stated_share(inp, upfront_hits)
    if upfront is not None and upfront > values["max_upfront_percent"]:
        problems.append(inp.reason("upfront", share=f"{upfront:g}%"))
        quoted += _valued(inp, upfront_hits)
    deposit, deposit_hits = deposit_share(inp, clauses)
    if deposit is not None and deposit > values["max_deposit_percent"]:
        problems.append(inp.reason("deposit", share=f"{deposit:g}%"))
        quoted += _valued(inp, deposit_hits)
    return problems, quoted


def _valued(inp: CheckInput, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """The first hit whose sentence states an amount or a share: the term itself, not its heading."""
    return next(((h,) for h in hits if inp.facts_near(h, "money") or inp.facts_near(h, "percent")), hits[:1])


def _stages_text(stages: int, inp: CheckInput) -> str:
    if stages >= 2:
        return f"{stages}期" if inp.lang == "zh" else f"{stages} instalments"
    return "按周期支付" if inp.lang == "zh" else "periodic payments"


CHECK = Check(id="staged_payment", run=run)
