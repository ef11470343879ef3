"""Dispute forum (争议解决).

What it checks: the contract names one specific forum for disputes: a named arbitration institution, or a
court fixed by a connecting place that is neutral or on the client's side.
Why it matters: "a court with jurisdiction" chooses nothing, and "arbitration or litigation" voids the
arbitration agreement; the client cannot plan a claim, and the provider's home court makes it costly.
Pass / weak / missing: rubric §6 (shared/domain.md).
"""

from __future__ import annotations

import re

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Finding, Status
from auditor.rules.forum import both_routes
from auditor.rules.law import PRC, governing_law, law_name


def run(inp: CheckInput) -> Finding:
    """Decide the forum status from the strongest forum the clauses name."""
    forum = _forum_clauses(inp)
    law = governing_law(inp)
    if not forum:
        return _law_only(inp, law) or inp.finding(Status.MISSING, [inp.reason("missing")])
    notes = _notes(inp, forum)
    routes = both_routes(inp)
    if routes:
        return inp.finding(
            Status.WEAK, [_reason(inp, "arbitration_or_litigation", law)], inp.evidence(routes), notes=notes
        )
    blank = inp.hits("forum_blank", forum)
    if blank:
        return inp.finding(Status.WEAK, [inp.reason("forum_blank")], inp.evidence(blank), notes=notes)
    strong = (("named_commission", _institutions(inp, forum)), ("client_court", inp.hits("client_court", forum)))
    for key, hits in strong:
        if hits:
            return inp.finding(Status.PASS, [inp.reason(key, name=hits[0].matched)], inp.evidence(hits), notes=notes)
    return _weak_forum(inp, forum, notes)


def _institutions(inp: CheckInput, forum: tuple[Clause, ...]) -> tuple[Hit, ...]:
    """Named arbitration institutions: the ORG entities found as spaCy's EntityRuler would (analyse/nlp.py), and the
    lexicon's own patterns, less any that are not a name (当地仲裁委员会, 有管辖权的…).
    """
    in_forum = {c.index for c in forum}
    arbitral = inp.rx("arbitration")
    # an institution counts when it hears the arbitration, not when it only appoints a mediator
    orgs = tuple(
        h
        for h in inp.hits_at(f for f in inp.facts if f.kind == "org" and f.clause in in_forum)
        if arbitral.search(h.matched) or inp.rx("named_commission").search(h.matched)
    )
    unnamed = inp.hits("unnamed_commission", forum) + inp.hits("forum_blank", forum, negatable=False)
    found = [
        h
        for h in (*inp.hits("named_commission", forum), *orgs)
        if not _overlaps(h, unnamed) and not inp.in_sentence(h, "appoints_mediator")
    ]
    return tuple(sorted(found, key=lambda h: h.start))


def _forum_clauses(inp: CheckInput) -> tuple[Clause, ...]:
    """Clauses that speak of disputes: by heading, or by a dispute word in the text."""
    by_heading = set(inp.section("dispute"))
    by_words = {h.clause for h in inp.hits("dispute") if not inp.in_sentence(h, "legal_service")}
    return tuple(sorted(by_heading | by_words, key=lambda c: c.index))


def _weak_forum(inp: CheckInput, forum: tuple[Clause, ...], notes: list[str]) -> Finding:
    """No strong forum: say which weak one there is, or that there is none."""
    provider = inp.hits("provider_court", forum)
    not_named = provider + inp.hits("vague_court", forum) + inp.hits("client_court", forum)
    named = [h for h in inp.hits("named_court", forum) if not _overlaps(h, not_named)]
    provider_home = [h for h in named if _home_of(inp, h) == "provider"]
    if provider_home:
        return inp.finding(Status.WEAK, [inp.reason("provider_court")], inp.evidence(provider_home), notes=notes)
    if named:
        return inp.finding(
            Status.PASS, [inp.reason("named_court", name=named[0].matched)], inp.evidence(named), notes=notes
        )
    law = governing_law(inp)
    for key in ("provider_court", "unnamed_commission", "vague_court"):
        hits = provider if key == "provider_court" else inp.hits(key, forum)
        if hits:
            return inp.finding(Status.WEAK, [_reason(inp, key, law)], inp.evidence(hits), notes=notes)
    for key, reason in (
        ("arbitration", "unnamed_commission"),
        ("litigation", "vague_court"),
        ("negotiation", "negotiation_only"),
    ):
        hits = inp.hits(key, forum)
        if hits:
            return inp.finding(Status.WEAK, [_reason(inp, reason, law)], inp.evidence(hits), notes=notes)
    return _law_only(inp, law) or inp.finding(Status.MISSING, [inp.reason("missing")])


def _reason(inp: CheckInput, key: str, law: str | None) -> str:
    """The reason, citing PRC statutes only for a PRC-law contract; otherwise the variant naming the law the
    contract names, or one citing no law when it names none.
    """
    reasons = inp.lexicon.reasons
    if law == PRC:
        return inp.reason(key)
    if law is not None and f"{key}_law" in reasons:
        return inp.reason(f"{key}_law", law=law_name(law, inp.lang))
    return inp.reason(f"{key}_open" if f"{key}_open" in reasons else key)


def _law_only(inp: CheckInput, law: str | None) -> Finding | None:
    """A governing-law clause with no court or arbitration: something is there, but no forum is chosen."""
    hits = inp.hits("governing_law")
    if not hits:
        return None
    if law is None:
        return inp.finding(Status.WEAK, [inp.reason("law_only_open")], inp.evidence(hits))
    return inp.finding(Status.WEAK, [inp.reason("law_only", law=law_name(law, inp.lang))], inp.evidence(hits))


def _home_of(inp: CheckInput, hit: Hit) -> str | None:
    """Whose home a named court is: the party whose address names its place and the other's does not."""
    p = inp.parties
    places = {"client": (p.client_place or "").lower(), "provider": (p.provider_place or "").lower()}
    words = _place_words(inp, hit.matched)
    at = {side for side, text in places.items() if text and any(w in text for w in words)}
    return at.pop() if len(at) == 1 else None


def _place_words(inp: CheckInput, court: str) -> list[str]:
    """Place names in a court's name: 杭州市西湖区人民法院 → 杭州, 西湖; Travis County, Texas → travis, texas."""
    stripped = inp.rx("not_a_place").sub(" ", court)
    if inp.lang == "zh":
        return [w[:2] for w in re.split(r"[市区县省\s]+", stripped) if len(w) >= 2]
    return [w for w in re.findall(r"[a-z]{3,}", stripped)]


def _overlaps(hit: Hit, others: tuple[Hit, ...]) -> bool:
    return any(o.start < hit.end and hit.start < o.end for o in others)


def _notes(inp: CheckInput, forum: tuple[Clause, ...]) -> list[str]:
    notes = []
    if not inp.hits("governing_law"):
        notes.append(inp.reason("no_governing_law"))
    if not inp.hits("negotiation", forum):
        notes.append(inp.reason("no_negotiation"))
    return notes


CHECK = Check(id="dispute_forum", run=run)
