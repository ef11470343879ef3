"""Payment terms, for the provider (付款期限与逾期付款责任).

What it checks: each payment has a deadline, and late payment costs the client something (interest, a
daily penalty, or the provider's right to suspend).
Why it matters: a provider that has done the work and cannot name the day money was due, or claim
anything for the delay, carries the client's cash-flow for free.
Pass / weak / missing: pass when paid in full up front, or dated with a late-payment remedy; weak when
dated with no remedy, or undated; missing when the contract sets no payment at all.
"""

from __future__ import annotations

from auditor.checks._base import Check, CheckInput
from auditor.lexicon import load_lexicon
from auditor.model import Finding, Status
from auditor.rules.payment import full_prepayment


def run(inp: CheckInput) -> Finding:
    """Prepaid → pass; deadline + late remedy → pass; deadline only or no deadline → weak; no payment → missing."""
    staged = inp.bind(load_lexicon("staged_payment"))
    prepaid = full_prepayment(staged)
    if prepaid:
        return inp.finding(Status.PASS, [inp.reason("prepaid")], inp.evidence(prepaid))
    pays = tuple(h for h in staged.hits("payment") if not staged.in_sentence(h, "penalty_payment"))
    if not pays or staged.hits("no_payment", negatable=False):
        return inp.finding(Status.MISSING, [inp.reason("no_payment")])
    dated = tuple(h for h in pays if staged.in_sentence(h, "trigger"))
    late = inp.hits("late_remedy")
    if dated and late:
        return inp.finding(Status.PASS, [inp.reason("pass")], inp.evidence(dated[:2] + late[:2]))
    reasons = [inp.reason("no_late_remedy")] if dated else [inp.reason("no_deadline")]
    return inp.finding(Status.WEAK, reasons, inp.evidence(dated or pays))


CHECK = Check(id="provider_payment_terms", run=run)
