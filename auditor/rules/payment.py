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
    """The whole price paid in one go up front; a monthly fee paid at the start of each month is not."""
    inp = _read(inp)
    return tuple(h for h in inp.hits("full_prepayment", clauses) if not inp.in_sentence(h, "periodic"))


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
