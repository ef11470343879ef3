"""Scope and volume (服务内容与数量).

What it checks: the deliverables are listed, at least one is counted per period (每周发布3条原创短视频,
12 posts per month), and the service term is stated.
Why it matters: shrinking service is the commonest complaint; without numbers and a term, the client
cannot show that less was delivered than promised.
Pass / weak / missing: rubric §1 (shared/domain.md).
"""

from __future__ import annotations

from dataclasses import replace

from auditor.analyse.match import Hit, heading_matches
from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Evidence, Fact, Finding, Status
from auditor.rules.sides import needs_client_consent

MIN_TERM_DAYS = 28  # a shorter duration is a deadline, not a service term
LEAD_IN_MAX = 100  # characters: longer lines ending with a colon are sentences, not list headings


def run(inp: CheckInput) -> Finding:
    """Services named → counted per period → term stated, with the ways a count can be hollow."""
    services = tuple(
        h
        for h in inp.hits("services")
        if not any(inp.in_sentence(h, key) for key in ("result_not_service", "breach_context", "deferred"))
    )
    counts = _counts(inp, services)
    if not services and not counts:
        return inp.finding(Status.MISSING, [inp.reason("missing")])
    evidence: list[Evidence] = list(inp.evidence(services, limit=2))
    weak: list[str] = []
    for key in ("blank_count", "unilateral_change"):
        hits = tuple(h for h in inp.hits(key) if not needs_client_consent(inp, h))
        if hits:
            weak.append(inp.reason(key))
            evidence[:0] = inp.evidence(hits)
    missing_refs = inp.missing_references(services)
    if missing_refs and not counts:
        weak.append(inp.reason("external", what=inp.ref_name(missing_refs[0])))
        evidence[:0] = inp.evidence(missing_refs)
    if not counts and not missing_refs:
        vague = inp.hits("vague", _scope_clauses(inp, services))
        weak.append(inp.reason("vague", what=vague[0].matched) if vague else inp.reason("not_counted"))
        evidence[:0] = inp.evidence(vague)
    if not _term_stated(inp) and not _term_as_duration(inp):
        weak.append(inp.reason("no_term"))
        evidence.extend(inp.evidence([h for h in inp.hits("term") if inp.has_blank(h)], limit=1))
    notes = _notes(inp)
    if weak:
        return inp.finding(Status.WEAK, weak, evidence, notes=notes)
    what = (
        "、".join(dict.fromkeys(f.text for f in counts[:3]))
        if inp.lang == "zh"
        else ", ".join(dict.fromkeys(f.text for f in counts[:3]))
    )
    count_ev = inp.evidence(inp.hits_at(counts[:2]))
    return inp.finding(Status.PASS, [inp.reason("counted", what=what)], (*count_ev, *evidence), notes=notes)


def _counts(inp: CheckInput, services: tuple[Hit, ...]) -> list[Fact]:
    """Per-period quantities anywhere, and counted deliverables where the services are described."""
    blank = inp.rx("blank", inp.common)
    per_period = [f for f in inp.facts_of("quantity") if not blank.search(f.text.lower())]
    scope = {c.index for c in _scope_clauses(inp, services)}
    money = {f.clause for f in inp.facts_of("money")}
    counted = [f for f in inp.facts_of("count") if f.clause in scope and f.clause not in money]
    return sorted((f for f in per_period + counted if _counts_the_service(inp, f)), key=lambda f: f.start)


def _counts_the_service(inp: CheckInput, fact: Fact) -> bool:
    """Numbers in a sentence about the contract's counterparts or a form's guidance count something else."""
    return not any(inp.in_sentence(h, "not_volume") for h in inp.hits_at([fact]))


def _scope_clauses(inp: CheckInput, services: tuple[Hit, ...]) -> tuple[Clause, ...]:
    """Where the contract describes the services: clauses that do, the items listed under them ("Talent
    agrees to provide the following:" (a)… (b)…), and everything under a scope heading.
    """
    found = {h.clause for h in services} | set(inp.section("scope"))
    for parent in list(found):
        for clause in inp.clauses[parent.index + 1 :]:
            if clause.level <= parent.level:
                break
            found.add(clause)
    headings = inp.lexicon.values["headings"]["scope"][inp.lang]
    for lead in (c for c in inp.operative if _is_lead_in(c) and (c in found or _reads_as(c, headings))):
        found.update(_listed_after(inp, lead))
    return tuple(sorted(found, key=lambda c: c.index))


def _is_lead_in(clause: Clause) -> bool:
    """A short line ending in a colon ("Sponsorship Benefits:", "服务内容如下：") introduces a list."""
    text = clause.text.strip()
    return len(text) <= LEAD_IN_MAX and text.endswith((":", "："))


def _reads_as(clause: Clause, headings: list[str]) -> bool:
    """A lead-in line that reads like a scope heading, though the layout did not make it a title."""
    return heading_matches(replace(clause, title=clause.text.strip(" :："), section=()), headings)


def _listed_after(inp: CheckInput, lead: Clause) -> list[Clause]:
    """The items under a lead-in: the lines that follow it, up to the next lead-in or heading."""
    items = []
    for clause in inp.clauses[lead.index + 1 :]:
        if _is_lead_in(clause) or clause.title or clause.level < lead.level:
            break
        items.append(clause)
    return items


def _term_stated(inp: CheckInput) -> bool:
    """A term word whose sentence gives the figure ("服务期自2025年1月1日起一年"); "有效期＿年", "the Term
    continues until terminated" or "during the Term and for two years thereafter" names a term without
    stating one.
    """
    return any(
        inp.in_sentence(h, "figure") and not inp.has_blank(h) and not inp.in_sentence(h, "not_term")
        for h in inp.hits("term")
    )


def _term_as_duration(inp: CheckInput) -> bool:
    """A duration of months or years (服务期12个月) also states the term, unless it is a notice or payment
    period or a duty that outlasts the contract ("for three years thereafter").
    """
    long = [f for f in inp.facts_of("duration") if f.value and f.value >= MIN_TERM_DAYS]
    return any(not inp.in_sentence(h, "not_term") for h in inp.hits_at(long))


def _notes(inp: CheckInput) -> list[str]:
    notes = []
    if inp.hits("content_work") and not inp.hits("original"):
        notes.append(inp.reason("no_original"))
    if inp.hits("ad_spend"):
        notes.append(inp.reason("ad_spend_open"))
    if not inp.hits("change_procedure"):
        notes.append(inp.reason("no_change_procedure"))
    return notes


CHECK = Check(id="scope_volume", run=run)
