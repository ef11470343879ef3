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
from auditor.model import Clause, Finding, Status
from auditor.rules.sides import breaching_side

# A run-in heading ("6.1 Disclaimer of Certain Damages.") has at most this many words.
_HEADING_WORDS = 8


def run(inp: CheckInput) -> Finding:
    """Concrete consequences by who breaches: provider (or either side) → pass unless gutted."""
    concrete = [h for h in inp.hits("consequence") if _about_breach(inp, h) and not _taken_away(inp, h)]
    provider = [h for h in concrete if breaching_side(inp, h) == "provider"]
    vague = inp.hits("vague_liability")
    excluded = inp.negated_hits("consequence")
    if not (concrete or vague or inp.section("breach")) or (excluded and not (concrete or vague)):
        return inp.finding(Status.MISSING, [inp.reason("missing")], inp.evidence(excluded))
    own_loss = [h for h in provider if not _third_party_only(inp, h)]
    if own_loss:
        return _gutted_or_pass(inp, own_loss)
    if provider:
        return inp.finding(Status.WEAK, [inp.reason("third_party")], inp.evidence(provider))
    if concrete:
        return inp.finding(Status.WEAK, [inp.reason("client_only")], inp.evidence(concrete))
    return inp.finding(Status.WEAK, [inp.reason("vague")], inp.evidence(vague or inp.hits("cap", negatable=False)))


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
    """Consequences in a heading, a form's hint or a cited section's title, in a sentence that excludes or
    caps liability ("liability is limited to damages up to $X" is a ceiling, not a remedy), or that remedy a
    missed KPI, do not count here.
    """
    if not inp.substantive((hit,)) or _run_in_heading(inp, hit):
        return True
    if _inside(inp, hit, "form_hint") or _inside(inp, hit, "cross_ref"):
        return True
    # "按总价千分之一计付违约金，最高以总价百分之十为限" caps a stated penalty in its own phrase; an English cap
    # spreads over commas ("liability for damages, in contract or tort, shall not exceed …")
    cap = inp.in_phrase(hit, "cap") if inp.lang == "zh" else inp.in_sentence(hit, "cap")
    return inp.in_sentence(hit, "exclusion") or inp.in_sentence(hit, "kpi_shortfall") or cap


def _run_in_heading(inp: CheckInput, hit: Hit) -> bool:
    """A heading run into the text ("12. Indemnification.", "6.1 Disclaimer of Certain Damages."): a few
    words, each significant one capitalised, promise nothing by themselves.
    """
    start, end = inp.sentences.around(hit.start, hit.end)
    words = [w for w in inp.text[start:end].split() if any(ch.isalpha() for ch in w)]
    if not words or len(words) > _HEADING_WORDS or inp.lang != "en":
        return False
    return all(w[0].isupper() or not w[0].isalpha() for w in words if len(w) > 3)


def _inside(inp: CheckInput, hit: Hit, key: str) -> bool:
    """True when the hit lies within a match of cue `key` in its sentence."""
    start, end = inp.sentences.around(hit.start, hit.end)
    return any(
        start + m.start() <= hit.start and hit.end <= start + m.end()
        for m in inp.rx(key).finditer(inp.norm_span(start, end))
    )


def _third_party_only(inp: CheckInput, hit: Hit) -> bool:
    """A remedy only for claims by others: third parties named in its sentence, or an indemnity whose clause
    is built for claims (notice, defence, injury to persons), even when the qualifier sits in the next sentence.
    """
    if inp.in_sentence(hit, "third_party"):
        return True
    if not inp.rx("indemnity").search(hit.matched):
        return False
    return any(inp.rx("claim_machinery").search(c.norm) for c in _with_continuations(inp, hit.clause))


def _with_continuations(inp: CheckInput, clause: Clause) -> list[Clause]:
    """A clause and the paragraphs that continue it (same number, printed as separate paragraphs)."""
    family = [clause]
    for nxt in inp.clauses[clause.index + 1 :]:
        if nxt.number != clause.number or nxt.title:
            break
        family.append(nxt)
    return family


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
    """A consequence counts when its sentence, or an earlier sentence of its clause (which often states the
    condition: "If the Provider breaches the warranty …. If it cannot restore it, the Customer receives a
    refund"), speaks of a breach or an indemnity, or it sits under a breach heading.
    """
    if inp.in_sentence(hit, "breach") or inp.in_sentence(hit, "third_party") or hit.clause in inp.section("breach"):
        return True
    start, _ = inp.sentences.around(hit.start, hit.end)
    return start > hit.clause.start and bool(inp.rx("breach").search(inp.norm_span(hit.clause.start, start)))


def _penalty_notes(inp: CheckInput, hits: list[Hit]) -> list[str]:
    """A penalty above 30% may be reduced by a court: worth saying, not a fault."""
    limit = float(inp.lexicon.values["high_penalty_percent"])
    shares = [f.value for h in hits for f in inp.facts_near(h, "percent") if f.value and f.value > limit]
    return [inp.reason("high_penalty", share=f"{max(shares):g}%")] if shares else []


CHECK = Check(id="breach_liability", run=run)
