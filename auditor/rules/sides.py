"""Which side a term binds: the breaching party of a penalty or liability sentence, and whether a change the
provider may make needs the client's consent first.

Shared by the breach and scope checks, the one-sided-penalty and unilateral-change flags and the dispute
reader; reads the party cues of the `breach_liability` lexicon and the consent cues of `scope_volume`.
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.lexicon import load_lexicon
from auditor.rules.reading import CheckInput

LEXICON = "breach_liability"


def _read(inp: CheckInput) -> CheckInput:
    return inp if inp.lexicon.name == LEXICON else inp.bind(load_lexicon(LEXICON))


def breaching_side(inp: CheckInput, hit: Hit) -> str:
    """Who the consequence falls on, "provider" or "client"; a consequence for either side binds the provider."""
    party = breaching_party(inp, hit)
    return "provider" if party == "either" else party


def breaching_party(inp: CheckInput, hit: Hit) -> str:
    """The first party named in the sentence as an actor, not a recipient: "provider", "client" or "either"
    (一方/违约方/either party). A sentence that names no party takes the one the sentence before it names, in
    the same clause; with none there either, it reads as the provider's.
    """
    inp = _read(inp)
    start, end = inp.sentences.around(hit.start, hit.end)
    party = _actor(inp, inp.norm_span(start, end))
    if party is None and start > hit.clause.start:  # "The surcharge is $40 an hour." after "Client shall pay…"
        before = inp.sentences.around(start - 1, start - 1)
        party = _actor(inp, inp.norm_span(max(before[0], hit.clause.start), start))
    return party or "provider"


def _actor(inp: CheckInput, sentence: str) -> str | None:
    """The first party a sentence names as an actor, or None when it names none."""
    if inp.rx("client_obligation").search(sentence):
        return "client"
    recipient = inp.rx("recipient_marker")
    first: dict[str, int] = {}
    for side, key in (("provider", "provider_party"), ("client", "client_party"), ("either", "either_party")):
        for m in inp.rx(key).finditer(sentence):
            if not recipient.search(sentence[max(0, m.start() - 6) : m.start()]):
                first[side] = m.start()
                break
    if not first:
        return None
    return min(first, key=lambda side: (first[side], side != "either"))


def needs_client_consent(inp: CheckInput, hit: Hit) -> bool:
    """True when the sentence makes the change wait for the client's consent ("经甲方书面同意后，乙方可调整"),
    and does not waive it ("无需征得甲方同意"): such a change is not the provider's alone.
    """
    scope = inp if inp.lexicon.name == "scope_volume" else inp.bind(load_lexicon("scope_volume"))
    return scope.in_sentence(hit, "client_consent") and not scope.in_sentence(hit, "consent_waived")
