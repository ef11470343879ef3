"""Dispute mode: what the signed contract gives the client when things go wrong.

A dispute brief reads an already audited contract (`AuditReport`) for one scenario (the service shrank,
the KPIs were missed, the work is poor, the provider is gone, the client wants out) and gathers: the
governing clauses quoted with their numbers; the terms in numbers, turned into money where the price is
known; what the client may claim and what the contract leaves to the statute; the evidence to gather; the
escalation path up to the forum the contract allows; and, for an early exit, what leaving costs.

Which clauses govern a scenario, every sentence and the few cues of its own live in
`lexicons/dispute.toml`; the checks' cues are reused by name ("kpi_remedies.remedy"). Nothing here loads
or re-analyses the file: the report's clauses, facts, findings and red flags are the whole input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from auditor.dispute.forum import escalation_steps, read_forum
from auditor.dispute.model import DisputeBrief, Exposure, Point, Roles, Term
from auditor.dispute.reading import Reading, check_scenario, clause_span, hit_items, hit_labels, list_items, role_hits
from auditor.dispute.terms import contract_terms, governing_quotes, share_of_price
from auditor.model import AuditReport, Clause, Lang
from auditor.rules.adverse import Adverse


def build_brief(report: AuditReport, scenario: str, lang: Lang | None = None) -> DisputeBrief:
    """Read the audited contract for one scenario; `lang` is the brief's (default: the contract's)."""
    check_scenario(scenario)
    out = lang or report.language
    if out not in ("zh", "en"):
        raise ValueError(f"unknown language {out!r}: choose zh or en")
    r = Reading(report, out, scenario)
    adverse = Adverse(r.inp)
    roles = {role: role_hits(r, role) for role in r.values["roles"]}
    forum = read_forum(r)
    quotes = governing_quotes(r, roles, forum)
    terms = contract_terms(r, quotes, roles)
    exposure = _exposure(r, roles) if scenario == "early_exit" else None
    claims, gaps = _claims(r, roles, adverse), _gaps(r, roles)
    steps, warnings = escalation_steps(r, roles, terms, forum), _warnings(r)
    points = (*claims, *gaps, *steps, *warnings, *(exposure.notes if exposure else ()))
    return DisputeBrief(
        scenario=scenario,
        title=r.say("heading", scenario=r.say(f"scenario_{scenario}")),
        lang=out,
        file=report.file,
        client=report.parties.client or report.parties.client_alias,
        provider=report.parties.provider or report.parties.provider_alias,
        contract_value=r.price,
        currency=r.currency,
        quotes=quotes,
        terms=terms,
        claims=claims,
        gaps=gaps,
        evidence=_evidence(r, roles),
        steps=steps,
        forum=forum,
        exposure=exposure,
        warnings=warnings,
        law=_law(r, points, terms, exposure),
        against_client=_against_client(r, adverse),
    )


# --- claims, gaps, evidence, warnings, law --------------------------------------------------------


def _claims(r: Reading, roles: Roles, adverse: Adverse) -> tuple[Point, ...]:
    """What each governing role lets the client claim, in the contract's own words; never a clause that
    takes the claim away (those are shown under their own heading).
    """
    out = []
    for claim in r.spec["claims"]:
        hits = tuple(h for h in roles[claim["role"]] if not adverse.against_client(h))
        if hits:
            key = claim.get("reason", f"claim_{claim['role']}")
            text = r.say(key, clauses=r.refs(hit_labels(hits)), items=hit_items(r, hits, claim["role"]))
            out.append(Point(key, text, hit_labels(hits), tuple(claim.get("law", ()))))
    return tuple(out)


def _against_client(r: Reading, adverse: Adverse) -> tuple[Point, ...]:
    """Each clause that works against the client, once per sentence: what it means and what to try anyway."""
    out: dict[tuple[int, int], Point] = {}
    for kind, hit in adverse.hits:
        span = r.inp.sentences.around(hit.start, hit.end)
        text = r.text(span).strip(" \n;；。.")
        clause = r.ref(hit.clause.label)
        out.setdefault(
            span, Point(kind, adverse.inp.lexicon.reason(kind, r.lang, clause=clause, text=text), (hit.clause.label,))
        )
    return tuple(out.values())


def _gaps(r: Reading, roles: Roles) -> tuple[Point, ...]:
    """What the contract does not give, with the statute that fills the gap (none under a foreign law)."""
    return tuple(
        Point(gap["reason"], r.say(gap["reason"]), (), () if r.foreign_law else tuple(gap["law"]))
        for gap in r.spec["gaps"]
        if not roles[gap["role"]] and ("when" not in gap or roles[gap["when"]])
    )


def _evidence(r: Reading, roles: Roles) -> tuple[Point, ...]:
    """The evidence list, tailored where the contract makes something decisive (its data source, its KPIs)."""
    out = []
    for item in r.spec["evidence"]:
        role = item.get("role")
        if role and roles[role]:
            labels = hit_labels(roles[role])
            text = r.say(item["reason"], items=hit_items(r, roles[role], role), clauses=r.refs(labels))
            out.append(Point(item["reason"], text, labels))
        elif not role or "otherwise" in item:
            key = item.get("otherwise", item["reason"])
            out.append(Point(key, r.say(key)))
    return tuple(out)


def _warnings(r: Reading) -> tuple[Point, ...]:
    """Red flags that change how this scenario plays out, and a governing law the pointers do not fit."""
    out = []
    for flag in r.report.red_flags:
        if flag.flag_id in r.spec["flags"]:
            labels = tuple(dict.fromkeys(e.clause for e in flag.evidence if e.clause))
            key = f"warn_{flag.flag_id}"
            law = () if r.foreign_law else tuple(r.values["flag_law"].get(flag.flag_id, ()))
            out.append(Point(key, r.say(key, clauses=r.refs(labels)), labels, law))
    if r.foreign_law:
        out.append(Point("foreign_law", r.say("foreign_law", law=r.foreign_law)))
    return tuple(out)


def _law(r: Reading, points: Iterable[Point], terms: Iterable[Term], exposure: Exposure | None) -> tuple[Point, ...]:
    """The statutes the brief points to, once each, with what they say; none under a foreign law."""
    if r.foreign_law:
        return ()
    keys = [
        *r.spec["law"],
        *(k for p in points for k in p.law),
        *(k for t in terms for k in t.law),
        *(exposure.law if exposure else ()),
    ]
    return tuple(_law_line(r, k) for k in dict.fromkeys(keys))


def _law_line(r: Reading, key: str) -> Point:
    """A statute line ("民法典第577条：…"): the article's name and what it says, from the lexicon."""
    text = r.say("law_line", name=r.say(f"lawname_{key}"), text=r.say(f"law_{key}"))
    return Point(f"law_{key}", text, law=(key,))


# --- early exit -----------------------------------------------------------------------------------


def _exposure(r: Reading, roles: Roles) -> Exposure:
    """What leaving now costs: by stage, everything paid, all remaining fees, or pro rata."""
    exits, law = roles["client_exit"], r.values["exposure_law"]
    if not exits:
        return Exposure("no_right", r.say("exposure_no_right"), (), law=tuple(law["no_right"]))
    clauses = list(dict.fromkeys(h.clause for h in exits))
    context = " ".join(r.norm(clause_span(r, c)) for c in clauses)
    kind = next(
        (
            k["kind"]
            for k in r.values["exposure_kinds"]
            if any(r.rx(name).search(context) for name in k["cues"].split("|"))
        ),
        "unsettled",
    )
    stages = tuple(s for c in clauses for s in _stages(r, c)) if kind == "stages" else ()
    key = "exposure_stage" if kind == "stages" and not stages else f"exposure_{kind}"
    wording = r.say("list_sep").join(r.text(clause_span(r, c)).strip(" \n;；。.") for c in clauses)
    text = r.say(key, clauses=r.refs(hit_labels(exits)), items=wording)
    return Exposure(kind, text, hit_labels(exits), stages, _exposure_notes(r, kind, roles), tuple(law[kind]))


def _exposure_notes(r: Reading, kind: str, roles: Roles) -> tuple[Point, ...]:
    """The money at stake when all is forfeit, that such a forfeit may be reduced, and the deposit."""
    notes = []
    prepaid = _prepaid(r)
    if kind == "forfeit" and prepaid:
        notes.append(Point("exposure_prepaid", r.say("exposure_prepaid", money=r.money(prepaid))))
    if kind in ("forfeit", "remaining"):
        law = tuple(r.values["exposure_law"][kind])
        notes.append(Point("exposure_excessive", r.say("exposure_excessive"), (), law))
    if roles["deposit"]:
        labels = hit_labels(roles["deposit"])
        text = r.say("exposure_deposit", clauses=r.refs(labels))
        notes.append(Point("exposure_deposit", text, labels, tuple(r.values["deposit_law"])))
    return tuple(notes)


def _prepaid(r: Reading) -> float | None:
    """The sum paid up front in one go, read from the full-prepayment flag's sentence."""
    flag = next((f for f in r.report.red_flags if f.flag_id == "full_prepayment"), None)
    if flag is None:
        return None
    amounts = [
        f.value
        for f in r.report.facts
        if f.kind == "money" and f.value and any(e.start <= f.start < e.end for e in flag.evidence)
    ]
    return max(amounts) if amounts else r.price


def _stages(r: Reading, clause: Clause) -> list[Term]:
    """The stages of a stage-based exit: the items of its list, or its inline (a) (b) (c) parts."""
    items = [(c.label, c.start, c.end) for c in list_items(r, clause)] or _inline_items(r, clause)
    return [_stage(r, *item) for item in items] if len(items) > 1 else []


def _inline_items(r: Reading, clause: Clause) -> list[tuple[str, int, int]]:
    marks = list(re.finditer(r.values["inline_item"][r.report.language], clause.norm))
    ends = [m.start() for m in marks[1:]] + [len(clause.norm)] if marks else []
    return [
        (f"{clause.label} {m.group().strip(' ;:')}", clause.start + m.start(), clause.start + end)
        for m, end in zip(marks, ends, strict=True)
    ]


def _stage(r: Reading, label: str, start: int, end: int) -> Term:
    """One stage: its wording, and its cost in money where it is a share of the price or the whole price."""
    term = Term(kind="stage", figure="", text=r.text((start, end)).strip(" \n;；:："), clause=label)
    shares = (f for f in r.report.facts if f.kind in ("percent", "money") and start <= f.start < end)
    fact = next(shares, None)
    if fact is None:
        if not (r.price and r.rx("dispute.whole_price").search(r.norm((start, end)))):
            return term
        return replace(term, amount=r.price, working=r.say("working_whole", amount=r.money(r.price)))
    term = replace(term, figure=fact.text, value=fact.value)
    return share_of_price(r, term, fact, (start, end)) if fact.kind == "percent" else term
