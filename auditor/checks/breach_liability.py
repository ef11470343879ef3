"""Breach liability (违约责任).

What it checks: the provider's breaches are named (不按约定数量/质量/期限) with a concrete consequence:
a 违约金 amount or formula, a refund, a fee cut or waiver, or damages; preferably for both sides.
Why it matters: "the breaching party bears liability" restates the law and gives the client no number to
claim; a clause that binds only the client, or caps the provider at a month's fee, protects the provider.
Pass / weak / missing: rubric §5 (shared/domain.md).
"""

from __future__ import annotations

from auditor.analyse.match import Hit
from auditor.checks._base import Check, CheckInput
from auditor.model import Finding, Status
from auditor.rules.sides import breaching_side


def run(inp: CheckInput) -> Finding:
    """Concrete consequences by who breaches: provider (or either side) → pass unless gutted."""
    concrete = [h for h in inp.hits("consequence") if _about_breach(inp, h) and not _taken_away(inp, h)]
    provider = [h for h in concrete if breaching_side(inp, h) == "provider"]
    vague = inp.hits("vague_liability")
    excluded = inp.negated_hits("consequence")
    if not (concrete or vague or inp.section("breach")) or (excluded and not (concrete or vague)):
        return inp.finding(Status.MISSING, [inp.reason("missing")], inp.evidence(excluded))
    own_loss = [h for h in provider if not inp.in_sentence(h, "third_party")]
    if own_loss:
        return _gutted_or_pass(inp, own_loss)
    if provider:
        return inp.finding(Status.WEAK, [inp.reason("third_party")], inp.evidence(provider))
    if concrete:
        return inp.finding(Status.WEAK, [inp.reason("client_only")], inp.evidence(concrete))
    return inp.finding(Status.WEAK, [inp.reason("vague")], inp.evidence(vague))


def _gutted_or_pass(inp: CheckInput, hits: list[Hit]) -> Finding:
    evidence = list(inp.evidence(hits))
    weak = []
    for key in ("low_cap", "deposit_and_penalty"):
        found = inp.hits(key, negatable=False) or (_low_caps(inp) if key == "low_cap" else ())
        if found:
            weak.append(inp.reason(key))
            evidence[:0] = inp.evidence(found)
    notes = _penalty_notes(inp, hits)
    if weak:
        return inp.finding(Status.WEAK, weak, evidence, notes=notes)
    return inp.finding(Status.PASS, [inp.reason("pass", what=hits[0].matched)], evidence, notes=notes)


def _taken_away(inp: CheckInput, hit: Hit) -> bool:
    """Consequences in a heading, in a sentence that excludes liability, or that remedy a missed KPI, do not
    count here.
    """
    if not inp.substantive((hit,)):
        return True
    return inp.in_sentence(hit, "exclusion") or inp.in_sentence(hit, "kpi_shortfall")


def _low_caps(inp: CheckInput) -> tuple[Hit, ...]:
    """Caps stated as an amount that is a small share of the contract price."""
    if not inp.contract_value:
        return ()
    limit = float(inp.lexicon.values["low_cap_percent"])
    return tuple(
        h
        for h in inp.hits("cap", negatable=False)
        if any(f.value is not None and 100 * f.value / inp.contract_value <= limit for f in inp.facts_near(h, "money"))
    )


def _about_breach(inp: CheckInput, hit: Hit) -> bool:
    """A consequence counts when its sentence speaks of a breach or an indemnity, or sits under a breach heading."""
    return inp.in_sentence(hit, "breach") or inp.in_sentence(hit, "third_party") or hit.clause in inp.section("breach")


def _penalty_notes(inp: CheckInput, hits: list[Hit]) -> list[str]:
    """A penalty above 30% may be reduced by a court: worth saying, not a fault."""
    limit = float(inp.lexicon.values["high_penalty_percent"])
    shares = [f.value for h in hits for f in inp.facts_near(h, "percent") if f.value and f.value > limit]
    return [inp.reason("high_penalty", share=f"{max(shares):g}%")] if shares else []


CHECK = Check(id="breach_liability", run=run)
