"""Scope and volume (服务内容与数量).

What it checks: the deliverables are listed, at least one is counted per period (每周发布3条原创短视频,
12 posts per month), and the service term is stated.
Why it matters: shrinking service is the commonest complaint; without numbers and a term, the client
cannot show that less was delivered than promised.
Pass / weak / missing: rubric §1 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Clause, Evidence, Fact, Finding, Status


def run(inp: CheckInput) -> Finding:
    """Services named → counted per period → term stated, with the ways a count can be hollow."""
    services = tuple(
        h
        for h in inp.hits("services")
        if not inp.in_sentence(h, "result_not_service") and not inp.in_sentence(h, "breach_context")
    )
    counts = _counts(inp, services)
    if not services and not counts:
        return inp.finding(Status.MISSING, [inp.reason("missing")])
    evidence: list[Evidence] = list(inp.evidence(services, limit=2))
    weak: list[str] = []
    for key in ("blank_count", "unilateral_change"):
        hits = inp.hits(key)
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
    if not inp.hits("term") and not _term_as_duration(inp):
        weak.append(inp.reason("no_term"))
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
    return sorted(per_period + counted, key=lambda f: f.start)


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
    return tuple(sorted(found, key=lambda c: c.index))


def _term_as_duration(inp: CheckInput) -> bool:
    """A duration of months or years anywhere (服务期12个月) also states the term."""
    return any(f.value and f.value >= 28 for f in inp.facts_of("duration"))


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
