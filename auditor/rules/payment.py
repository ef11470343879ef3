"""Payment predicates the staged-payment check, the red flags and the provider's checklist share: the
whole price paid up front, the share of the price a cue states, the 定金's share.

They read the cues and thresholds of the `staged_payment` lexicon (or a playbook's version of it, when the
caller is already bound to that lexicon).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.model import Clause, Fact
from auditor.rules.reading import CheckInput

LEXICON = "staged_payment"


def _read(inp: CheckInput) -> CheckInput:
    return inp if inp.lexicon.name == LEXICON else inp.bind(load_lexicon(LEXICON))


def full_prepayment(inp: CheckInput, clauses: tuple[Clause, ...] | None = None) -> tuple[Hit, ...]:
    """The whole price paid in one go up front. A monthly or yearly fee paid at the start of each period is
    not (see `periodic_prepayment`), unless it falls due once, when the contract is signed.
    """
    inp = _read(inp)
    return tuple(
        h
        for h in _prepayment_hits(inp, clauses)
        if not inp.in_sentence(h, "periodic") or inp.in_sentence(h, "contract_start")
    )


def periodic_prepayment(inp: CheckInput, clauses: tuple[Clause, ...] | None = None) -> tuple[Hit, ...]:
    """Each period's whole fee paid in advance at the start of the period: `weak` for staged payment."""
    inp = _read(inp)
    whole = set(full_prepayment(inp, clauses))
    return tuple(h for h in _prepayment_hits(inp, clauses) if h not in whole)


def _prepayment_hits(inp: CheckInput, clauses: tuple[Clause, ...] | None) -> tuple[Hit, ...]:
    """Wording of a whole fee paid up front. A stated share below the whole ("签订后支付全部费用的30%") is an
    instalment, and a whole price paid in one go after acceptance is not paid in advance.
    """
    hits = inp.hits("full_prepayment", clauses)
    return tuple(h for h in hits if not (_part_only(inp, h) or inp.in_sentence(h, "paid_on_acceptance")))


def _part_only(inp: CheckInput, hit: Hit) -> bool:
    """A percentage below 100 in the sentence: the cue names the price a share is taken of."""
    return any(f.value is not None and f.value < 100 for f in inp.facts_near(hit, "percent"))


def paid_after_work(inp: CheckInput) -> tuple[Hit, ...]:
    """Payment terms that pay only for work already done (in arrears, on actual use, after acceptance),
    when nothing is paid before it: on an early exit no prepaid money is at stake, so there is nothing to
    refund. Empty when any part of the price is paid up front (full prepayment, a 定金, a signing payment).
    """
    inp = _read(inp)
    after = inp.hits("paid_in_arrears") + inp.hits("paid_on_acceptance")
    if not after or paid_before_work(inp):
        return ()
    return after


def paid_before_work(inp: CheckInput, clauses: tuple[Clause, ...] | None = None) -> bool:
    """Any money paid before the work: the whole price, a 定金, or a payment due at signing or in advance."""
    inp = _read(inp)
    upfront = inp.sentence_hits("upfront", "payment", clauses=clauses)
    return bool(full_prepayment(inp, clauses) or inp.sentence_hits("deposit", "payment", clauses=clauses) or upfront)


def deposit_share(inp: CheckInput, clauses: tuple[Clause, ...] | None = None) -> tuple[float | None, tuple[Hit, ...]]:
    """The 定金 as a percentage of the price, with the hits that state it."""
    inp = _read(inp)
    hits = inp.hits("deposit", clauses)
    return stated_share(inp, hits), hits


def stated_share(inp: CheckInput, hits: tuple[Hit, ...]) -> float | None:
    """The largest share of the price (percent) stated next to the cue of each hit.

    A percentage near the cue wins; an amount counts only when the contract price is known.
    """
    values = inp.lexicon.values
    before_cost = float(values["value_before_cost"][inp.lang])
    window = float(values["value_window"][inp.lang])
    shares: list[float] = []
    for hit in hits:
        for kind in ("percent", "money"):
            near = [
                (d, f)
                for f in inp.facts_near(hit, kind)
                if f.value is not None and (d := _distance(hit, f, before_cost)) <= window
            ]
            if not near:
                continue
            value = min(near, key=lambda pair: pair[0])[1].value or 0.0
            if kind == "percent":
                shares.append(value)
                break
            if inp.contract_value and value < inp.contract_value:
                shares.append(100 * value / inp.contract_value)
    return max(shares, default=None)


def _distance(hit: Hit, fact: Fact, before_cost: float) -> float:
    """Characters between a cue and a value; Chinese puts a value after its cue, English often before."""
    return fact.start - hit.end if fact.start >= hit.end else before_cost * (hit.start - fact.end)
