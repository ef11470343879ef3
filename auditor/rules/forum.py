"""Arbitration and litigation both agreed for the same disputes: the dispute_forum check's `weak` and the
red flag of the same name, written once.

Two ways a contract does it: in one sentence ("may apply for arbitration, or sue in court"), or in one clause
whose sentences agree each route on its own ("the courts of X have exclusive jurisdiction … disputes shall
be settled by arbitration"). A court named only to support the arbitration (interim relief, enforcing or
setting aside the award) is not a second route, nor are options the parties did not choose, nor a choice
left blank (that is an unfilled blank). Cues live in the `dispute_forum` lexicon.
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.rules.reading import CheckInput

LEXICON = "dispute_forum"


def both_routes(inp: CheckInput) -> tuple[Hit, ...]:
    """Where the contract agrees arbitration and litigation as alternatives, or empty."""
    inp = inp if inp.lexicon.name == LEXICON else inp.bind(load_lexicon(LEXICON))
    single = tuple(
        h
        for h in inp.hits("arbitration_or_litigation", negatable=False)
        if not inp.has_blank(h) and not inp.in_sentence(h, "court_support") and not inp.in_sentence(h, "not_a_route")
    )
    if single:
        return single
    courts = [h for h in inp.hits("exclusive_court") if not inp.in_sentence(h, "court_support")]
    arbitrations = inp.hits("binding_arbitration")
    for court in courts:
        same = [a for a in arbitrations if a.clause.index == court.clause.index and not inp.has_blank(a)]
        if same and not inp.has_blank(court):
            return (court, same[0])
    return ()
