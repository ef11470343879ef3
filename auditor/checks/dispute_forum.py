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


def run(inp: CheckInput) -> Finding:
    """Decide the forum status from the strongest forum the clauses name."""
    forum = _forum_clauses(inp)
    if not forum:
        return inp.finding(Status.MISSING, [inp.reason("missing")])
    notes = _notes(inp, forum)
    for key in ("arbitration_or_litigation", "forum_blank"):
        hits = inp.hits(key, forum)
        if hits:
            return inp.finding(Status.WEAK, [inp.reason(key)], inp.evidence(hits), notes=notes)
    strong = (("named_commission", _institutions(inp, forum)), ("client_court", inp.hits("client_court", forum)))
    for key, hits in strong:
        if hits:
            return inp.finding(Status.PASS, [inp.reason(key, name=hits[0].matched)], inp.evidence(hits), notes=notes)
    return _weak_forum(inp, forum, notes)


def _institutions(inp: CheckInput, forum: tuple[Clause, ...]) -> tuple[Hit, ...]:
    """Named arbitration institutions: the ORG entities spaCy's EntityRuler found (analyse.py), and the
    lexicon's own patterns, less any that are not a name (当地仲裁委员会, 有管辖权的…).
    """
    in_forum = {c.index for c in forum}
    arbitral = inp.rx("arbitration")
    orgs = tuple(
        h
        for h in inp.hits_at(f for f in inp.facts if f.kind == "org" and f.clause in in_forum)
        if arbitral.search(h.matched) or inp.rx("named_commission").search(h.matched)
    )
    unnamed = inp.hits("unnamed_commission", forum) + inp.hits("forum_blank", forum, negatable=False)
    found = [h for h in (*inp.hits("named_commission", forum), *orgs) if not _overlaps(h, unnamed)]
    return tuple(sorted(found, key=lambda h: h.start))


def _forum_clauses(inp: CheckInput) -> tuple[Clause, ...]:
    """Clauses that speak of disputes: by heading, or by a dispute word in the text."""
    by_heading = set(inp.section("dispute"))
    by_words = {h.clause for h in inp.hits("dispute")}
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
    for key in ("provider_court", "unnamed_commission", "vague_court"):
        hits = provider if key == "provider_court" else inp.hits(key, forum)
        if hits:
            return inp.finding(Status.WEAK, [inp.reason(key)], inp.evidence(hits), notes=notes)
    for key, reason in (
        ("arbitration", "unnamed_commission"),
        ("litigation", "vague_court"),
        ("negotiation", "negotiation_only"),
    ):
        hits = inp.hits(key, forum)
        if hits:
            return inp.finding(Status.WEAK, [inp.reason(reason)], inp.evidence(hits), notes=notes)
    return inp.finding(Status.MISSING, [inp.reason("missing")])


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
