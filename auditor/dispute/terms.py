"""The governing clauses quoted, and the terms they fix in numbers (turned into money where the price is known)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from auditor.dispute.forum import forum_evidence
from auditor.dispute.model import Forum, Quote, Roles, Span, Term
from auditor.dispute.reading import Reading, clause_at, clause_span, label_at, phrase_span
from auditor.lexicon import load_lexicon
from auditor.model import Clause, Fact

# --- quotes and terms -----------------------------------------------------------------------------


def governing_quotes(r: Reading, roles: Roles, forum: Forum) -> tuple[Quote, ...]:
    """The governing clauses, each once (with its list), in the scenario's order of roles, the forum last."""
    wanted = [(role, [h.clause for h in roles[role]]) for role in r.spec["roles"]]
    wanted.append(("forum", [c for c in (clause_at(r, e.start) for e in forum_evidence(r, forum)) if c]))
    quoted: dict[Span, tuple[Clause, list[str]]] = {}
    for role, clauses in wanted:
        for clause in list(dict.fromkeys(clauses))[: r.values["max_quotes_per_role"]]:
            span = clause_span(r, clause)
            home = next((s for s in quoted if s[0] <= span[0] and span[1] <= s[1]), span)
            owner, listed = quoted.setdefault(home, (clause, []))
            listed.extend([role] if role not in listed else [])
    return tuple(
        Quote(_merged_roles(quoted, span), owner.label, r.text(span).strip(), owner.page, *span)
        for span, (owner, _) in quoted.items()
        if not _inside_another(quoted, span)
    )


def _inside_another(quoted: dict[Span, Any], span: Span) -> bool:
    return any(s != span and s[0] <= span[0] and span[1] <= s[1] for s in quoted)


def _merged_roles(quoted: dict[Span, tuple[Clause, list[str]]], span: Span) -> tuple[str, ...]:
    """A list clause quoted after its items takes over their roles."""
    inside = (listed for s, (_, listed) in quoted.items() if span[0] <= s[0] and s[1] <= span[1])
    return tuple(dict.fromkeys(role for listed in inside for role in listed))


def contract_terms(r: Reading, quotes: Sequence[Quote], roles: Roles) -> tuple[Term, ...]:
    """Values in the quoted clauses (KPIs, quantities, money, shares, periods, deadlines); the price first."""
    kpi_quotes = [q for q in quotes if "kpi" in q.roles]
    kpi_spans = list(
        dict.fromkeys(
            phrase_span(r, h.start, h.end) for h in roles["kpi"] if any(q.start <= h.start < q.end for q in kpi_quotes)
        )
    )
    terms = [_kpi_term(r, span) for span in kpi_spans]
    seen: set[tuple[str | None, float | None, str]] = set()
    for fact in _facts_in(r, quotes):
        term = _fact_term(r, fact)
        key = (term.clause, term.value, term.kind)
        if key not in seen and not any(s <= fact.start < e for s, e in kpi_spans):
            seen.add(key)
            terms.append(term)
    terms += _deadline_terms(r, quotes)
    return (*_price_term(r), *sorted(terms, key=lambda t: _position(r, t)))


def _position(r: Reading, term: Term) -> int:
    found = r.report.text.find(term.text)
    return found if found >= 0 else len(r.report.text)


def _facts_in(r: Reading, quotes: Sequence[Quote]) -> list[Fact]:
    """Facts inside the quotes, less the unit of a rate ("每逾期一日" is not a period)."""
    rate = r.rx("dispute.rate_unit")
    return [
        f
        for f in r.report.facts
        if f.kind in ("quantity", "money", "percent", "duration")
        and any(q.start <= f.start < q.end for q in quotes)
        and not (f.kind == "duration" and rate.search(r.norm((max(f.start - 8, 0), f.start))))
    ]


def _kpi_term(r: Reading, span: Span) -> Term:
    """A KPI as its phrase, with the shortest number-bearing target in it as the figure ("不少于15,000人")."""
    norm = r.norm(span)
    found = [
        m
        for rx in load_lexicon("kpi_remedies").each("kpi_number", r.report.language)
        for m in rx.finditer(norm)
        if re.search(r"\d", m.group())
    ]
    if not found:
        return Term(kind="kpi", figure="", text=r.text(span), clause=label_at(r, span[0]))
    m = min(found, key=lambda m: len(m.group()))
    unit = r.rx("dispute.figure_unit").match(norm, m.end())
    figure = r.text((span[0] + m.start(), span[0] + (unit.end() if unit else m.end()))).strip()
    return Term(kind="kpi", figure=figure, text=r.text(span), clause=label_at(r, span[0]))


def _fact_term(r: Reading, fact: Fact) -> Term:
    """A fact read in its phrase: what kind of term it is, and its money where the base is the price."""
    span = phrase_span(r, fact.start, fact.end)
    term = Term(
        kind=_kind_of(r, fact, span),
        figure=fact.text,
        text=r.text(span),
        clause=label_at(r, fact.start),
        value=fact.value,
    )
    if fact.kind == "percent":
        return share_of_price(r, term, fact, span)
    return _deposit(r, term) if term.kind == "deposit" and fact.kind == "money" else term


def _kind_of(r: Reading, fact: Fact, span: Span) -> str:
    """What a value is: the first kind whose cue is in its phrase, else in its sentence (lexicon order)."""
    if fact.kind == "quantity":
        return "quantity"
    if fact.kind == "duration":
        measure = r.rx("dispute.fee_after").search(r.norm((fact.end, fact.end + 12)))
        money = _first_kind(r, "share_kinds", (span,)) if measure else None
        if money is not None and money in r.values["money_measures"]:
            return money
        period = _first_kind(r, "period_kinds", (span,))
        return "refund_period" if period == "refund" else (period or "period")
    kind = _first_kind(r, "share_kinds", (span, r.inp.sentences.around(fact.start, fact.end)))
    return kind or ("share" if fact.kind == "percent" else "amount")


def _first_kind(r: Reading, kinds: str, spans: Iterable[Span]) -> str | None:
    """The first kind (in lexicon order) whose cue is in the first span that has one."""
    prefix = "p_" if kinds == "period_kinds" else "t_"
    for span in spans:
        kind: str | None = next((k for k in r.values[kinds] if r.rx(f"dispute.{prefix}{k}").search(r.norm(span))), None)
        if kind:
            return kind
    return None


def share_of_price(r: Reading, term: Term, fact: Fact, span: Span) -> Term:
    """A share of the contract total in money when the price is known; per day or week if so worded."""
    norm = r.norm(span)
    before, after = norm[: fact.start - span[0]], norm[fact.end - span[0] :]
    base = r.rx("dispute.base_total")
    if not (r.price and fact.value is not None and (base.search(before) or base.search(after))):
        return term
    amount = r.price * fact.value / 100
    per = next((r.say(k) for k in ("per_day", "per_week") if r.rx(f"dispute.rate_{k[4:]}").search(norm)), "")
    working = r.say("working_share", share=f"{fact.value:g}%", base=r.money(r.price), amount=r.money(amount))
    return replace(term, amount=amount, working=working + per)


def _deposit(r: Reading, term: Term) -> Term:
    """A deposit as a share of the price; above 20% the excess is not a deposit (民法典第586条)."""
    if not (r.price and term.value):
        return term
    share = term.value / r.price * 100
    limit = r.values["excessive_deposit_percent"]
    working = r.say("deposit_share", share=f"{share:.0f}%")
    if share <= limit:
        return replace(term, working=working)
    excess = r.say("deposit_excess", cap=r.money(r.price * limit / 100))
    return replace(term, working=working + excess, law=("cc586",))


def _deadline_terms(r: Reading, quotes: Sequence[Quote]) -> list[Term]:
    """Dates something is due by ("2024年6月30日前…交付"), in the quoted clauses."""
    rx = r.rx("dispute.deadline")
    return [
        Term(
            kind="deadline",
            figure=c.text[m.start("date") : m.end("date")],
            text=r.text(phrase_span(r, c.start + m.start(), c.start + m.end())),
            clause=c.label,
        )
        for c in r.report.clauses
        if any(q.start <= c.start < q.end for q in quotes)
        for m in rx.finditer(c.norm)
    ]


def _price_term(r: Reading) -> tuple[Term, ...]:
    fact = r.price_fact
    if fact is None or fact.value is None:
        return ()
    return (
        Term(
            kind="price",
            figure=r.money(fact.value),
            text=r.text(phrase_span(r, fact.start, fact.end)),
            clause=label_at(r, fact.start),
            value=fact.value,
        ),
    )
