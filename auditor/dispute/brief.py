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

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import Any

from auditor.analyse.facts import sentence_spans
from auditor.analyse.match import Hit
from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import AuditReport, Clause, Evidence, Fact, Finding, Lang
from auditor.rules.reading import CheckInput
from auditor.rules.sides import breaching_side

SCENARIOS: tuple[str, ...] = ("non_delivery", "kpi_missed", "poor_quality", "provider_gone", "early_exit")

Span = tuple[int, int]
Roles = dict[str, tuple[Hit, ...]]


@dataclass(frozen=True, slots=True)
class Quote:
    """A governing clause as the contract has it, with the roles it plays in this scenario."""

    roles: tuple[str, ...]
    clause: str
    text: str
    page: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Term:
    """A value the contract fixes: `figure` as written, `text` the phrase it sits in, money when computed."""

    kind: str
    figure: str
    text: str
    clause: str | None
    value: float | None = None
    amount: float | None = None
    working: str | None = None  # "20% × ¥60,000 = ¥12,000"
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Point:
    """One line of the brief (a claim, a gap, an evidence item, a step); `key` names its lexicon sentence."""

    key: str
    text: str
    clauses: tuple[str, ...] = ()
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Forum:
    """Where a claim goes: arbitration, an agreed court, or (any other kind) the statutory court and why."""

    kind: str
    name: str | None
    clauses: tuple[str, ...]
    text: str
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exposure:
    """What the client's own early exit costs.

    `kind` is forfeit, stages, remaining, settled, unsettled or no_right (no early exit at all).
    """

    kind: str
    text: str
    clauses: tuple[str, ...]
    stages: tuple[Term, ...] = ()
    notes: tuple[Point, ...] = ()
    law: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DisputeBrief:
    """Everything the brief says, in the output language; quotes stay in the contract's own words."""

    scenario: str
    title: str
    lang: Lang
    file: str
    client: str | None
    provider: str | None
    contract_value: float | None
    currency: str
    quotes: tuple[Quote, ...]
    terms: tuple[Term, ...]
    claims: tuple[Point, ...]
    gaps: tuple[Point, ...]
    evidence: tuple[Point, ...]
    steps: tuple[Point, ...]
    forum: Forum
    exposure: Exposure | None
    warnings: tuple[Point, ...]
    law: tuple[Point, ...]


def scenario_title(scenario: str, lang: Lang) -> str:
    """The scenario's name for menus and headings."""
    _check_scenario(scenario)
    return _lexicon().reason(f"scenario_{scenario}", lang)


def build_brief(report: AuditReport, scenario: str, lang: Lang | None = None) -> DisputeBrief:
    """Read the audited contract for one scenario; `lang` is the brief's (default: the contract's)."""
    _check_scenario(scenario)
    out = lang or report.language
    if out not in ("zh", "en"):
        raise ValueError(f"unknown language {out!r}: choose zh or en")
    r = _Reading(report, out, scenario)
    roles = {role: _role_hits(r, role) for role in r.values["roles"]}
    forum = _forum(r)
    quotes = _quotes(r, roles, forum)
    terms = _terms(r, quotes, roles)
    exposure = _exposure(r, roles) if scenario == "early_exit" else None
    claims, gaps = _claims(r, roles), _gaps(r, roles)
    steps, warnings = _steps(r, roles, terms, forum), _warnings(r)
    points = (*claims, *gaps, *steps, *warnings, *(exposure.notes if exposure else ()))
    return DisputeBrief(
        scenario=scenario, title=r.say("heading", scenario=r.say(f"scenario_{scenario}")), lang=out,
        file=report.file, client=report.parties.client or report.parties.client_alias,
        provider=report.parties.provider or report.parties.provider_alias, contract_value=r.price,
        currency=r.currency, quotes=quotes, terms=terms, claims=claims, gaps=gaps,
        evidence=_evidence(r, roles), steps=steps, forum=forum, exposure=exposure, warnings=warnings,
        law=_law(r, points, terms, exposure),
    )


def _lexicon() -> Lexicon:
    return load_lexicon("dispute")


def _check_scenario(scenario: str) -> None:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: choose one of {', '.join(SCENARIOS)}")


# --- reading the contract -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """The report as one brief reads it: cues run in the contract's language, sentences come in `lang`."""

    report: AuditReport
    lang: Lang
    scenario: str

    @cached_property
    def lex(self) -> Lexicon:
        return _lexicon()

    @property
    def values(self) -> dict[str, Any]:
        return self.lex.values

    @property
    def spec(self) -> dict[str, Any]:
        """What the lexicon says this scenario reads: roles, claims, gaps, evidence, steps, flags, law."""
        return self.values["scenarios"][self.scenario]

    @cached_property
    def inp(self) -> CheckInput:
        """The contract as the checks see it (sentence spans are rebuilt from the report's clauses)."""
        rep = self.report
        return CheckInput(rep.text, rep.clauses, rep.facts, sentence_spans(rep.clauses, rep.language),
                          rep.language, rep.parties, rep.contract_value, self.lex)

    @cached_property
    def price_fact(self) -> Fact | None:
        """Where the contract states its price; None when the report's price is a monthly or per-item fee."""
        price = self.report.contract_value
        fact = next((f for f in self.report.facts if f.kind == "money" and price and f.value == price), None)
        if fact is None or self.rx("staged_payment.periodic").search(self.norm(_phrase(self, fact.start))):
            return None
        return fact

    @property
    def price(self) -> float | None:
        return self.price_fact.value if self.price_fact else None

    @cached_property
    def currency(self) -> str:
        """How the price is written: "¥" for yuan, else the contract's own "SGD " or "$"."""
        text = self.price_fact.text if self.price_fact else ""
        prefix = re.match(r"[^\d]*", text).group().strip()  # type: ignore[union-attr]
        if not prefix or re.search(r"[\u4e00-\u9fff¥￥]", prefix) or prefix.lower() in ("rmb", "cny"):
            return "¥"
        return f"{prefix} " if prefix.isalpha() else prefix

    @cached_property
    def foreign_law(self) -> str | None:
        """The governing law as written when it is not the law of the PRC mainland (then no Civil Code)."""
        rx = self.rx("dispute.foreign_law")
        found = ((c, rx.search(c.norm)) for c in self.inp.operative)
        return next((c.text[m.start("law") : m.end("law")].strip(" .,，。") for c, m in found if m), None)

    def say(self, key: str, **values: object) -> str:
        """A sentence of the dispute lexicon in the brief's language, the parties filled in."""
        return self.lex.reason(key, self.lang, client=self.party("client"), provider=self.party("provider"),
                               **values)

    def party(self, role: str) -> str:
        """How a sentence names a party: the contract's alias when it speaks the brief's language."""
        p = self.report.parties
        alias = p.client_alias if role == "client" else p.provider_alias
        if alias and self.report.language == self.lang:
            return alias
        return self.lex.reason(f"who_{role}", self.lang)

    def rx(self, name: str) -> re.Pattern[str]:
        """A cue named "<lexicon>.<cue>", compiled for this contract's party aliases."""
        lexicon, key = name.split(".", 1)
        return self.inp.rx(key, load_lexicon(lexicon))

    def norm(self, span: Span) -> str:
        return self.inp.norm_span(*span)

    def text(self, span: Span) -> str:
        return self.report.text[span[0] : span[1]]

    def money(self, value: float) -> str:
        number = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
        return f"{self.currency}{number}"

    def ref(self, label: str) -> str:
        """A clause label as a reader cites it: "4.2" → "第4.2条" / "clause 4.2"; "¶3" → "第3段"."""
        if label.startswith("¶"):
            return self.say("ref_paragraph", n=label[1:])
        m = re.match(r"[\d.]*\d|[一二三四五六七八九十百]+(?=$|\s|（|\()", label)
        if not m:
            return label.replace(" ", "") if self.lang == "zh" else label
        rest = label[m.end() :].strip()
        rest = rest.replace(" ", "") if self.lang == "zh" else rest
        return self.say("ref_numbered", n=m.group(), rest=rest)

    def refs(self, labels: Iterable[str]) -> str:
        return self.say("clause_sep").join(self.ref(x) for x in dict.fromkeys(labels))


def _role_hits(r: _Reading, role: str) -> tuple[Hit, ...]:
    """Every place the contract plays `role`, by the role's sources in the lexicon."""
    found: dict[Span, Hit] = {}
    for source in r.values["roles"][role]["find"]:
        for hit in _source_hits(r, source):
            if not _is_heading(hit.clause):
                found.setdefault((hit.start, hit.end), hit)
    return tuple(sorted(found.values(), key=lambda h: h.start))


def _source_hits(r: _Reading, source: dict[str, Any]) -> list[Hit]:
    """Hits of one source: a cue, kept or dropped by cues in its context (`with`, `without`); or facts."""
    if "facts" in source:
        return list(r.inp.hits_at(r.inp.facts_of(source["facts"])))
    lexicon, key = source["cue"].split(".", 1)
    whole = source.get("scope") == "clause"
    hits = [h for h in r.inp.bind(load_lexicon(lexicon)).hits(key, negatable=source.get("negatable", True))
            if all(_holds(r, h, c, whole) for c in source.get("with", ()))
            and not any(_holds(r, h, c, whole) for c in source.get("without", ()))]
    if "side" not in source:
        return hits
    breach = r.inp.bind(load_lexicon("breach_liability"))
    return [h for h in hits if breaching_side(breach, h) == source["side"]]


def _holds(r: _Reading, hit: Hit, cues: str, whole: bool = False) -> bool:
    """True when a cue of "a|b" matches the hit's sentence (or `whole` clause) or the list it opens."""
    span = (hit.clause.start, hit.clause.end) if whole else r.inp.sentences.around(hit.start, hit.end)
    context = " ".join((r.norm(span), *(c.norm for c in _items(r, hit.clause))))
    return any(r.rx(name).search(context) for name in cues.split("|"))


def _items(r: _Reading, clause: Clause) -> tuple[Clause, ...]:
    """The list a clause opens ("有下列情形之一的，甲方有权解除合同：" → its numbered items)."""
    if not clause.norm.rstrip().endswith(tuple(r.values["list_openers"][r.report.language])):
        return ()
    items: list[Clause] = []
    for c in r.report.clauses[clause.index + 1 :]:
        if c.level <= clause.level:
            break
        items.append(c)
    return tuple(items)


def _clause_at(r: _Reading, offset: int) -> Clause | None:
    return next((c for c in r.report.clauses if c.start <= offset < c.end), None)


def _label_at(r: _Reading, offset: int) -> str | None:
    clause = _clause_at(r, offset)
    return clause.label if clause else None


def _clause_span(r: _Reading, clause: Clause) -> Span:
    items = _items(r, clause)
    return clause.start, (items[-1].end if items else clause.end)


def _phrase(r: _Reading, start: int, end: int | None = None) -> Span:
    """The phrase around a span: to the nearest comma, semicolon or full stop, inside its brackets."""
    end = start + 1 if end is None else end
    clause = _clause_at(r, start)
    if clause is None:
        return start, end
    breaks = list(re.finditer(r.values["phrase_break"][r.report.language], clause.norm))
    lo, hi = start - clause.start, end - clause.start
    s = max((m.end() for m in breaks if m.end() <= lo), default=0)
    e = min((m.start() for m in breaks if m.start() >= hi), default=len(clause.norm))
    s, e = _inside_brackets(clause.text, s, e, lo, hi)
    text = clause.text[s:e]
    s += len(text) - len(text.lstrip(" \n,，:："))
    e = clause.start + s + len(text.strip(" \n,，:：。"))
    return clause.start + s, max(e, clause.start + s)


def _inside_brackets(text: str, s: int, e: int, lo: int, hi: int) -> Span:
    """Narrow a phrase to the full-width brackets around the span: "（以平台后台数据为准）" → the inside."""
    opened = text.rfind("（", s, lo)
    if opened >= 0 and text.find("）", opened, lo) < 0:
        s = opened + 1
    closed = text.find("）", hi, e)
    if closed >= 0 and text.find("（", hi, closed) < 0:
        e = closed
    return s, e


def _hit_items(r: _Reading, hits: Sequence[Hit], role: str) -> str:
    """What hits say, briefly: the items of a list they open, else their phrases or sentences, once each."""
    whole = r.values["roles"][role].get("item") == "sentence"
    texts: list[str] = []
    for hit in hits:
        span = r.inp.sentences.around(hit.start, hit.end) if whole else _phrase(r, hit.start, hit.end)
        items = _items(r, hit.clause) if span[1] >= hit.clause.end - 1 else ()
        texts.extend(c.text for c in items) if items else texts.append(r.text(span))
    unique = dict.fromkeys(t.strip(" \n;；。.") for t in texts)
    return r.say("list_sep").join([t for t in unique if t][: r.values["max_items"]])


def _labels(hits: Iterable[Hit]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.clause.label for h in hits))


# --- quotes and terms -----------------------------------------------------------------------------


def _quotes(r: _Reading, roles: Roles, forum: Forum) -> tuple[Quote, ...]:
    """The governing clauses, each once (with its list), in the scenario's order of roles, the forum last."""
    wanted = [(role, [h.clause for h in roles[role]]) for role in r.spec["roles"]]
    wanted.append(("forum", [c for c in (_clause_at(r, e.start) for e in _forum_evidence(r, forum)) if c]))
    quoted: dict[Span, tuple[Clause, list[str]]] = {}
    for role, clauses in wanted:
        for clause in list(dict.fromkeys(clauses))[: r.values["max_quotes_per_role"]]:
            span = _clause_span(r, clause)
            home = next((s for s in quoted if s[0] <= span[0] and span[1] <= s[1]), span)
            owner, listed = quoted.setdefault(home, (clause, []))
            listed.extend([role] if role not in listed else [])
    return tuple(Quote(_merged_roles(quoted, span), owner.label, r.text(span).strip(), owner.page, *span)
                 for span, (owner, _) in quoted.items() if not _inside_another(quoted, span))


def _inside_another(quoted: dict[Span, Any], span: Span) -> bool:
    return any(s != span and s[0] <= span[0] and span[1] <= s[1] for s in quoted)


def _merged_roles(quoted: dict[Span, tuple[Clause, list[str]]], span: Span) -> tuple[str, ...]:
    """A list clause quoted after its items takes over their roles."""
    inside = (listed for s, (_, listed) in quoted.items() if span[0] <= s[0] and s[1] <= span[1])
    return tuple(dict.fromkeys(role for listed in inside for role in listed))


def _is_heading(clause: Clause) -> bool:
    """A heading with nothing behind it ("三、审片与验收") is not a clause to quote."""
    body = clause.text.strip().removeprefix(clause.number or "").strip(" 、.．:：")
    return clause.title is not None and body == clause.title


def _terms(r: _Reading, quotes: Sequence[Quote], roles: Roles) -> tuple[Term, ...]:
    """Values in the quoted clauses (KPIs, quantities, money, shares, periods, deadlines); the price first."""
    kpi_quotes = [q for q in quotes if "kpi" in q.roles]
    kpi_spans = list(dict.fromkeys(_phrase(r, h.start, h.end) for h in roles["kpi"]
                                   if any(q.start <= h.start < q.end for q in kpi_quotes)))
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


def _position(r: _Reading, term: Term) -> int:
    found = r.report.text.find(term.text)
    return found if found >= 0 else len(r.report.text)


def _facts_in(r: _Reading, quotes: Sequence[Quote]) -> list[Fact]:
    """Facts inside the quotes, less the unit of a rate ("每逾期一日" is not a period)."""
    rate = r.rx("dispute.rate_unit")
    return [f for f in r.report.facts if f.kind in ("quantity", "money", "percent", "duration")
            and any(q.start <= f.start < q.end for q in quotes)
            and not (f.kind == "duration" and rate.search(r.norm((max(f.start - 8, 0), f.start))))]


def _kpi_term(r: _Reading, span: Span) -> Term:
    """A KPI as its phrase, with the shortest number-bearing target in it as the figure ("不少于15,000人")."""
    norm = r.norm(span)
    found = [m for rx in load_lexicon("kpi_remedies").each("kpi_number", r.report.language)
             for m in rx.finditer(norm) if re.search(r"\d", m.group())]
    if not found:
        return Term(kind="kpi", figure="", text=r.text(span), clause=_label_at(r, span[0]))
    m = min(found, key=lambda m: len(m.group()))
    unit = r.rx("dispute.figure_unit").match(norm, m.end())
    figure = r.text((span[0] + m.start(), span[0] + (unit.end() if unit else m.end()))).strip()
    return Term(kind="kpi", figure=figure, text=r.text(span), clause=_label_at(r, span[0]))


def _fact_term(r: _Reading, fact: Fact) -> Term:
    """A fact read in its phrase: what kind of term it is, and its money where the base is the price."""
    span = _phrase(r, fact.start, fact.end)
    term = Term(kind=_kind_of(r, fact, span), figure=fact.text, text=r.text(span),
                clause=_label_at(r, fact.start), value=fact.value)
    if fact.kind == "percent":
        return _share_of_price(r, term, fact, span)
    return _deposit(r, term) if term.kind == "deposit" and fact.kind == "money" else term


def _kind_of(r: _Reading, fact: Fact, span: Span) -> str:
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


def _first_kind(r: _Reading, kinds: str, spans: Iterable[Span]) -> str | None:
    """The first kind (in lexicon order) whose cue is in the first span that has one."""
    prefix = "p_" if kinds == "period_kinds" else "t_"
    for span in spans:
        kind = next((k for k in r.values[kinds] if r.rx(f"dispute.{prefix}{k}").search(r.norm(span))), None)
        if kind:
            return kind
    return None


def _share_of_price(r: _Reading, term: Term, fact: Fact, span: Span) -> Term:
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


def _deposit(r: _Reading, term: Term) -> Term:
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


def _deadline_terms(r: _Reading, quotes: Sequence[Quote]) -> list[Term]:
    """Dates something is due by ("2024年6月30日前…交付"), in the quoted clauses."""
    rx = r.rx("dispute.deadline")
    return [Term(kind="deadline", figure=c.text[m.start("date") : m.end("date")],
                 text=r.text(_phrase(r, c.start + m.start(), c.start + m.end())), clause=c.label)
            for c in r.report.clauses if any(q.start <= c.start < q.end for q in quotes)
            for m in rx.finditer(c.norm)]


def _price_term(r: _Reading) -> tuple[Term, ...]:
    fact = r.price_fact
    if fact is None or fact.value is None:
        return ()
    return (Term(kind="price", figure=r.money(fact.value), text=r.text(_phrase(r, fact.start, fact.end)),
                 clause=_label_at(r, fact.start), value=fact.value),)


# --- claims, gaps, evidence, warnings, law --------------------------------------------------------


def _claims(r: _Reading, roles: Roles) -> tuple[Point, ...]:
    """What each governing role lets the client claim, in the contract's own words."""
    out = []
    for claim in r.spec["claims"]:
        hits = roles[claim["role"]]
        if hits:
            key = claim.get("reason", f"claim_{claim['role']}")
            text = r.say(key, clauses=r.refs(_labels(hits)), items=_hit_items(r, hits, claim["role"]))
            out.append(Point(key, text, _labels(hits), tuple(claim.get("law", ()))))
    return tuple(out)


def _gaps(r: _Reading, roles: Roles) -> tuple[Point, ...]:
    """What the contract does not give, with the statute that fills the gap (none under a foreign law)."""
    return tuple(Point(gap["reason"], r.say(gap["reason"]), (), () if r.foreign_law else tuple(gap["law"]))
                 for gap in r.spec["gaps"]
                 if not roles[gap["role"]] and ("when" not in gap or roles[gap["when"]]))


def _evidence(r: _Reading, roles: Roles) -> tuple[Point, ...]:
    """The evidence list, tailored where the contract makes something decisive (its data source, its KPIs)."""
    out = []
    for item in r.spec["evidence"]:
        role = item.get("role")
        if role and roles[role]:
            labels = _labels(roles[role])
            text = r.say(item["reason"], items=_hit_items(r, roles[role], role), clauses=r.refs(labels))
            out.append(Point(item["reason"], text, labels))
        elif not role or "otherwise" in item:
            key = item.get("otherwise", item["reason"])
            out.append(Point(key, r.say(key)))
    return tuple(out)


def _warnings(r: _Reading) -> tuple[Point, ...]:
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


def _law(r: _Reading, points: Iterable[Point], terms: Iterable[Term],
         exposure: Exposure | None) -> tuple[Point, ...]:
    """The statutes the brief points to, once each, with what they say; none under a foreign law."""
    if r.foreign_law:
        return ()
    keys = [*r.spec["law"], *(k for p in points for k in p.law), *(k for t in terms for k in t.law),
            *(exposure.law if exposure else ())]
    return tuple(_law_line(r, k) for k in dict.fromkeys(keys))


def _law_line(r: _Reading, key: str) -> Point:
    """"民法典第577条：…" — the article's name and what it says, from the lexicon."""
    text = r.say("law_line", name=r.say(f"lawname_{key}"), text=r.say(f"law_{key}"))
    return Point(f"law_{key}", text, law=(key,))


# --- forum and escalation -------------------------------------------------------------------------


def _forum(r: _Reading) -> Forum:
    """The forum path from the dispute_forum finding: the named forum, or the statutory court and why."""
    evidence = _forum_finding(r).evidence
    invalid = any(f.flag_id == "arbitration_or_litigation" for f in r.report.red_flags)
    decided_by = evidence[0].matched if evidence else ""
    kind = "invalid" if invalid else r.values["forum_kinds"].get(decided_by, "missing")
    labels = tuple(dict.fromkeys(e.clause for e in evidence if e.clause)) if kind != "missing" else ()
    name = _forum_name(r, kind, evidence)
    text = r.say(f"forum_{kind}", clauses=r.refs(labels), name=name or "")
    if kind == "invalid" and name:
        text += r.say("forum_invalid_court", name=name)
    if r.foreign_law:
        return Forum(kind, name, labels, text + r.say("forum_foreign", law=r.foreign_law))
    return Forum(kind, name, labels, text, tuple(r.values["forum_law"][kind]))


def _forum_finding(r: _Reading) -> Finding:
    """The report's dispute_forum finding; when a playbook turned that check off, the check is run here (through
    the registry) on the report's own clauses: where a claim goes does not depend on the team's positions."""
    found = next((f for f in r.report.findings if f.check_id == "dispute_forum"), None)
    if found is not None:
        return found
    from auditor.checks import get_check

    check = get_check("dispute_forum")
    return check.run(r.inp.bind(check.lexicon))


def _forum_evidence(r: _Reading, forum: Forum) -> tuple[Evidence, ...]:
    return tuple(e for e in _forum_finding(r).evidence if e.clause in forum.clauses)


def _forum_name(r: _Reading, kind: str, evidence: Sequence[Evidence]) -> str | None:
    """The arbitration institution (an ORG fact where one was found) or the court the clause names."""
    if kind == "arbitration":
        word = r.rx("dispute.institution_word")
        orgs = (f.text for f in r.report.facts if f.kind == "org" and word.search(f.text.lower())
                and any(e.start <= f.start < e.end for e in evidence))
        return next(orgs, None) or _forum_match(r, evidence, ("named_commission",))
    if kind in ("agreed_court", "provider_court", "invalid"):
        return _forum_match(r, evidence, ("client_court", "provider_court", "named_court"))
    return None


def _forum_match(r: _Reading, evidence: Sequence[Evidence], keys: Sequence[str]) -> str | None:
    """The name a forum cue matched, quoted from the original without its lead verb or the words after it."""
    lead, tail = r.rx("dispute.forum_lead"), r.rx("dispute.forum_tail")
    for key in keys:
        rx = r.rx(f"dispute_forum.{key}")
        for ev in evidence:
            m = rx.search(r.norm((ev.start, ev.end)))
            if not m:
                continue
            cut = lead.search(m.group())
            start = cut.end() if cut and cut.end() < len(m.group()) else 0
            stop = tail.search(m.group(), start + 1)
            name = m.group()[start : stop.start() if stop else None]
            begin = ev.start + m.start() + start
            return r.text((begin, begin + len(name))).strip(" .,，。;；")
    return None


@dataclass(frozen=True)
class _Path:
    """What the escalation steps are built from."""

    r: _Reading
    roles: Roles
    terms: Sequence[Term]
    forum: Forum

    def term(self, kind: str, clauses: Sequence[str | None]) -> Term | None:
        """The first term of a kind in one of the clauses."""
        return next((t for t in self.terms if t.kind == kind and t.clause in clauses), None)


def _steps(r: _Reading, roles: Roles, terms: Sequence[Term], forum: Forum) -> tuple[Point, ...]:
    """Written notice with a deadline → complaint where it fits → the forum (after any agreed negotiation)."""
    path = _Path(r, roles, terms, forum)
    build: dict[str, Callable[[_Path], list[Point]]] = {
        "notice": _notice_step, "complaint": _complaint_step, "exit_notice": _exit_step,
        "forum": _forum_steps,
    }
    return tuple(p for step in r.spec["steps"] for p in build[step](path))


def _notice_step(path: _Path) -> list[Point]:
    r, served = path.r, path.roles["notice_address"]
    cure = path.term("cure", _labels(path.roles["termination"]))  # the cure period before termination
    text = r.say("step_notice", period=cure.figure if cure else r.say("cure_default"))
    labels: tuple[str, ...] = (cure.clause,) if cure and cure.clause else ()
    if served:
        text += r.say("step_notice_served", clauses=r.refs(_labels(served)))
        labels += _labels(served)
    if r.scenario == "provider_gone":
        text += r.say("step_notice_gone")
    return [Point("step_notice", text, labels)]


def _complaint_step(path: _Path) -> list[Point]:
    r, platform = path.r, path.roles["platform"]
    if not platform:
        return [Point("step_complaint", r.say("step_complaint"))]
    labels = _labels(platform)
    text = r.say("step_complaint_platform", clauses=r.refs(labels))
    return [Point("step_complaint_platform", text, labels)]


def _exit_step(path: _Path) -> list[Point]:
    r, exits = path.r, path.roles["client_exit"]
    if not exits:
        return [Point("step_exit_agree", r.say("step_exit_agree"))]
    labels = _labels(exits)
    notice = path.term("notice", labels)
    period = notice.figure if notice else r.say("notice_default")
    text = r.say("step_exit_notice", clauses=r.refs(labels), period=period)
    return [Point("step_exit_notice", text, labels)]


def _forum_steps(path: _Path) -> list[Point]:
    r, forum = path.r, path.forum
    talk = path.term("negotiation", forum.clauses) if forum.clauses else None
    steps = [Point(f"forum_{forum.kind}", forum.text, forum.clauses, forum.law)]
    if talk and talk.clause:
        text = r.say("step_negotiate", clauses=r.ref(talk.clause), period=talk.figure)
        steps.insert(0, Point("step_negotiate", text, (talk.clause,)))
    return steps


# --- early exit -----------------------------------------------------------------------------------


def _exposure(r: _Reading, roles: Roles) -> Exposure:
    """What leaving now costs: by stage, everything paid, all remaining fees, or pro rata."""
    exits, law = roles["client_exit"], r.values["exposure_law"]
    if not exits:
        return Exposure("no_right", r.say("exposure_no_right"), (), law=tuple(law["no_right"]))
    clauses = list(dict.fromkeys(h.clause for h in exits))
    context = " ".join(r.norm(_clause_span(r, c)) for c in clauses)
    kind = next((k["kind"] for k in r.values["exposure_kinds"]
                 if any(r.rx(name).search(context) for name in k["cues"].split("|"))), "unsettled")
    stages = tuple(s for c in clauses for s in _stages(r, c)) if kind == "stages" else ()
    key = "exposure_stage" if kind == "stages" and not stages else f"exposure_{kind}"
    wording = r.say("list_sep").join(r.text(_clause_span(r, c)).strip(" \n;；。.") for c in clauses)
    text = r.say(key, clauses=r.refs(_labels(exits)), items=wording)
    return Exposure(kind, text, _labels(exits), stages, _exposure_notes(r, kind, roles), tuple(law[kind]))


def _exposure_notes(r: _Reading, kind: str, roles: Roles) -> tuple[Point, ...]:
    """The money at stake when all is forfeit, that such a forfeit may be reduced, and the deposit."""
    notes = []
    prepaid = _prepaid(r)
    if kind == "forfeit" and prepaid:
        notes.append(Point("exposure_prepaid", r.say("exposure_prepaid", money=r.money(prepaid))))
    if kind in ("forfeit", "remaining"):
        law = tuple(r.values["exposure_law"][kind])
        notes.append(Point("exposure_excessive", r.say("exposure_excessive"), (), law))
    if roles["deposit"]:
        labels = _labels(roles["deposit"])
        text = r.say("exposure_deposit", clauses=r.refs(labels))
        notes.append(Point("exposure_deposit", text, labels, tuple(r.values["deposit_law"])))
    return tuple(notes)


def _prepaid(r: _Reading) -> float | None:
    """The sum paid up front in one go, read from the full-prepayment flag's sentence."""
    flag = next((f for f in r.report.red_flags if f.flag_id == "full_prepayment"), None)
    if flag is None:
        return None
    amounts = [f.value for f in r.report.facts if f.kind == "money" and f.value
               and any(e.start <= f.start < e.end for e in flag.evidence)]
    return max(amounts) if amounts else r.price


def _stages(r: _Reading, clause: Clause) -> list[Term]:
    """The stages of a stage-based exit: the items of its list, or its inline (a) (b) (c) parts."""
    items = [(c.label, c.start, c.end) for c in _items(r, clause)] or _inline_items(r, clause)
    return [_stage(r, *item) for item in items] if len(items) > 1 else []


def _inline_items(r: _Reading, clause: Clause) -> list[tuple[str, int, int]]:
    marks = list(re.finditer(r.values["inline_item"][r.report.language], clause.norm))
    ends = [m.start() for m in marks[1:]] + [len(clause.norm)] if marks else []
    return [(f"{clause.label} {m.group().strip(' ;:')}", clause.start + m.start(), clause.start + end)
            for m, end in zip(marks, ends, strict=True)]


def _stage(r: _Reading, label: str, start: int, end: int) -> Term:
    """One stage: its wording, and its cost in money where it is a share of the price or the whole price."""
    term = Term(kind="stage", figure="", text=r.text((start, end)).strip(" \n;；:："), clause=label)
    shares = (f for f in r.report.facts if f.kind in ("percent", "money") and start <= f.start < end)
    fact = next(shares, None)
    if fact is None:
        if not (r.price and r.rx("dispute.whole_price").search(r.norm((start, end)))):
            return term
        return replace(term, amount=r.price, working=r.say("working_whole", amount=r.money(r.price)))
    term = replace(term, figure=fact.text, value=fact.value)
    return _share_of_price(r, term, fact, (start, end)) if fact.kind == "percent" else term


# --- output ---------------------------------------------------------------------------------------


def to_dict(brief: DisputeBrief) -> dict[str, Any]:
    """The brief as plain JSON data, field for field."""
    return asdict(brief)


Line = tuple[str, str]  # (style, text): style is item, number, quote, para, or table (text = which table)


def _sections(brief: DisputeBrief) -> list[tuple[str, list[Line]]]:
    """The brief as (heading, lines) blocks, shared by the Markdown and the DOCX output."""
    def w(key: str, **values: object) -> str:
        return _lexicon().reason(key, brief.lang, **values)

    def roles(quote: Quote) -> str:
        return w("clause_sep").join(w(f"role_{x}") for x in quote.roles)

    price = f"{brief.currency}{brief.contract_value:,.0f}" if brief.contract_value else w("price_unknown")
    fields = (("contract", brief.file), ("client", brief.client), ("provider", brief.provider),
              ("price", price))
    quotes: list[Line] = [
        ("quote", w("quote_head", clause=q.clause, roles=roles(q)) + "\n" + q.text) for q in brief.quotes]
    exposure: list[Line] = []
    if brief.exposure:
        exposure = [("para", brief.exposure.text), *([("table", "stages")] if brief.exposure.stages else []),
                    *_lines(brief.exposure.notes)]
    sections = [
        ("", [("item", w("field", label=w(k), value=v)) for k, v in fields if v]),
        (w("sec_quotes"), quotes or [("para", w("none_found"))]),
        (w("sec_terms"), [("table", "terms")] if brief.terms else []),
        (w("sec_claims"), _lines(brief.claims)),
        (w("sec_gaps"), _lines(brief.gaps)),
        (w("sec_exposure"), exposure),
        (w("sec_evidence"), _lines(brief.evidence, "number")),
        (w("sec_steps"), _lines(brief.steps, "number")),
        (w("sec_warnings"), _lines(brief.warnings)),
        (w("sec_law"), _lines(brief.law)),
    ]
    return [(heading, lines) for heading, lines in sections if lines]


def _lines(points: Iterable[Point], style: str = "item") -> list[Line]:
    return [(style, p.text) for p in points]


def _table(brief: DisputeBrief, which: str) -> tuple[list[str], list[list[str]]]:
    """The terms table or the stages table: a header and one row per term."""
    def w(key: str) -> str:
        return _lexicon().reason(key, brief.lang)

    terms = brief.terms if which == "terms" else brief.exposure.stages if brief.exposure else ()
    header = [w(k) for k in ("col_term", "term_amount", "col_text", "col_clause", "col_money")]
    return header, [[w(f"term_{t.kind}"), t.figure, t.text, t.clause or "", t.working or ""] for t in terms]


def to_markdown(brief: DisputeBrief) -> str:
    """The brief as Markdown: headings, quoted clauses, tables of terms, numbered evidence and steps."""
    out = [f"# {brief.title}", ""]
    for heading, lines in _sections(brief):
        out += [f"## {heading}", ""] if heading else []
        number = 0
        for style, text in lines:
            if style == "table":
                out += [*_md_table(*_table(brief, text)), ""]
            elif style == "quote":
                head, _, body = text.partition("\n")
                out += [f"> **{head}**", ">", *(f"> {line}" for line in body.splitlines()), ""]
            elif style == "number":
                number += 1
                out.append(f"{number}. {text}")
            else:
                out.append(f"- {text}" if style == "item" else text)
        out.append("")
    return "\n".join([*out, "---", "", f"*{_lexicon().reason('disclaimer', brief.lang)}*", ""])


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return [row(header), "|" + "---|" * len(header), *(row(r) for r in rows)]


def to_docx(brief: DisputeBrief) -> bytes:
    """The brief as a Word document (python-docx), with the same sections as the Markdown."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    font = _lexicon().values["docx_font"][brief.lang]
    doc.styles["Normal"].font.name = font
    doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.core_properties.title = brief.title
    doc.add_heading(brief.title, level=0)
    styles = {"item": "List Bullet", "number": "List Number", "quote": "Quote", "para": None}
    for heading, lines in _sections(brief):
        if heading:
            doc.add_heading(heading, level=1)
        for style, text in lines:
            if style == "table":
                _docx_table(doc, *_table(brief, text))
            else:
                doc.add_paragraph(text, style=styles[style])
    doc.add_paragraph().add_run(_lexicon().reason("disclaimer", brief.lang)).italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cells, texts in ((table.rows[0].cells, header), *((table.add_row().cells, row) for row in rows)):
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
