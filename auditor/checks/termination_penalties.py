"""Termination and penalties (解除、终止与违约金).

What it checks: the client may terminate on the provider's breach (KPIs missed N periods running, no
service for N days) and the money is settled: refund of unused prepaid fees or a stated compensation;
for account operation, the account, content and data are handed back.
Why it matters: when a provider under-delivers or vanishes, the client needs a way out that returns its
money and its account; without one it keeps paying for nothing.
Pass / weak / missing: rubric §7 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Finding, Status
from auditor.rules.payment import paid_after_work

# How many clauses after a lead-in ("有下列情形之一的，甲方有权解除：") may hold its listed grounds.
_LIST_ITEMS = 12


def run(inp: CheckInput) -> Finding:
    """Client exit on breach → money settled → handover; each gap is a reason for weak."""
    early = [h for h in inp.hits("terminate") if not _expiry_only(inp, h)]
    if not early:
        return inp.finding(Status.MISSING, [inp.reason("missing")])
    clauses = _termination_clauses(inp, early)
    client_exit = [h for h in inp.hits("client_may", clauses) if _on_breach(inp, h)]
    if not client_exit:
        return _no_client_exit(inp, clauses, early)
    weak: list[str] = []
    evidence = list(inp.evidence(client_exit))
    settled = [
        h
        for h in inp.substantive(inp.hits("refund", clauses) + inp.hits("compensation", clauses))
        if not inp.blank_outside(h, "compensation") and _on_exit(inp, h)
    ] or list(paid_after_work(inp))
    forfeit = inp.hits("forfeit_all", clauses, negatable=False) + tuple(
        h  # "Except for the prorated refund on termination, Fees are non-refundable" keeps the refund
        for h in inp.hits("non_refundable", negatable=False)
        if not inp.in_sentence(h, "refund")
    )
    if forfeit:
        weak.append(inp.reason("forfeit_all"))
        evidence[:0] = inp.evidence(forfeit)
    if all(_blank_trigger(inp, h) for h in client_exit):
        weak.append(inp.reason("exit_blank"))
    if not settled:
        weak.append(inp.reason("no_refund"))
    weak.extend(_handover_problems(inp))
    notes = [] if inp.hits("notice", clauses) else [inp.reason("no_notice")]
    if weak:
        return inp.finding(Status.WEAK, weak, evidence, notes=notes)
    what = settled[0].matched if settled else ""
    return inp.finding(
        Status.PASS, [inp.reason("pass", what=what)], (*evidence, *inp.evidence(settled[:1])), notes=notes
    )


def _blank_trigger(inp: CheckInput, hit: Hit) -> bool:
    """The condition just before the client's right is a blank ("逾期超过＿日的，甲方有权解除"): not agreed."""
    phrases, index, at = inp.phrases(hit)
    return inp.open_blank("，".join([*phrases[max(0, index - 1) : index], phrases[index][:at]]))


def _on_breach(inp: CheckInput, hit: Hit) -> bool:
    """The exit is for the provider's failure (or at the client's will). A ground named only as "the
    following" is decided by the listed items, unless the lead-in already names the provider as the actor.
    """
    if inp.in_sentence(hit, "breach_ground"):
        return True
    if inp.in_sentence(hit, "at_will") and not inp.in_sentence(hit, "force_majeure"):
        return True
    if not inp.in_sentence(hit, "list_ground"):
        return False
    start, end = inp.sentences.around(hit.start, hit.end)
    if inp.rx("provider_named").search(inp.norm_span(start, end)):
        return True
    return bool(inp.hits("breach_ground", _items_after(inp, hit.clause)))


def _items_after(inp: CheckInput, lead: Clause) -> tuple[Clause, ...]:
    """The clauses a lead-in lists: those that follow it, up to the next clause that itself ends a contract."""
    items: list[Clause] = []
    terminate = inp.rx("terminate")
    for clause in inp.clauses[lead.index + 1 : lead.index + 1 + _LIST_ITEMS]:
        if terminate.search(clause.norm) or clause.title:
            break
        items.append(clause)
    return tuple(items)


def _on_exit(inp: CheckInput, hit: Hit) -> bool:
    """Money counts as settled on exit when its sentence speaks of ending the contract or it sits under a
    termination heading; a penalty for late delivery elsewhere says nothing about exit, and an amount left
    to later negotiation settles nothing.
    """
    if inp.in_sentence(hit, "open_amount") or _open_losses(inp, hit):
        return False
    return inp.in_sentence(hit, "termination_word") or hit.clause in inp.section("termination")


def _open_losses(inp: CheckInput, hit: Hit) -> bool:
    """Compensation "for the losses caused" with no amount, rate or formula in its sentence: a claim to be
    proved later, which settles nothing on exit. A refund is never open in this sense.
    """
    if inp.rx("refund").search(hit.matched) or not inp.in_sentence(hit, "open_losses"):
        return False
    return not (inp.facts_near(hit, "money") or inp.facts_near(hit, "percent"))


def _expiry_only(inp: CheckInput, hit: Hit) -> bool:
    """True for expiry ("期满本合同自然终止"), which is not an early exit."""
    return inp.in_sentence(hit, "expiry") and not inp.rx("terminate").search(hit.matched.replace("终止", ""))


def _termination_clauses(inp: CheckInput, early: list[Hit]) -> tuple[Clause, ...]:
    """Clauses that speak of ending the contract, the items a termination lead-in lists, and everything under
    a termination heading.
    """
    found = {h.clause for h in (*early, *inp.hits("termination_word"))} | set(inp.section("termination"))
    found |= {item for lead in early if _is_lead_in(lead.clause) for item in _items_after(inp, lead.clause)}
    return tuple(sorted(found, key=lambda c: c.index))


def _is_lead_in(clause: Clause) -> bool:
    """A clause that ends in a colon introduces a list: "This Agreement may be terminated:"."""
    return clause.text.rstrip().endswith((":", "："))


def _no_client_exit(inp: CheckInput, clauses: tuple[Clause, ...], early: list[Hit]) -> Finding:
    """Some exit exists but not the client's on the provider's failure: say which."""
    provider = inp.hits("provider_may", clauses)
    exits_by_fm = inp.hits("force_majeure", clauses) + inp.hits("mutual", clauses)
    convenience = inp.hits("client_may", clauses)
    if convenience:
        return inp.finding(Status.WEAK, [inp.reason("no_client_exit")], inp.evidence(convenience))
    if provider:
        return inp.finding(Status.WEAK, [inp.reason("provider_only")], inp.evidence(provider))
    if exits_by_fm:
        return inp.finding(Status.WEAK, [inp.reason("fm_only")], inp.evidence(exits_by_fm))
    return inp.finding(Status.WEAK, [inp.reason("no_client_exit")], inp.evidence(early))


def _handover_problems(inp: CheckInput) -> list[str]:
    """Account-operation contracts must hand back the account, content and data, without a fee."""
    if not inp.hits("account_work"):
        return []
    if inp.hits("handover_paid", negatable=False):
        return [inp.reason("handover_paid")]
    return [] if inp.hits("handover") else [inp.reason("no_handover")]


CHECK = Check(id="termination_penalties", run=run)
