"""The audited contract as one brief reads it: cues in the contract's language, sentences in the brief's,
the clauses that play each role of a scenario, and the phrases around a hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from auditor.analyse.match import Hit
from auditor.dispute.model import SCENARIOS, Span
from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import AuditReport, Clause, Fact, Lang
from auditor.report.words import clause_label, money
from auditor.rules.reading import CheckInput
from auditor.rules.sides import breaching_side
from auditor.rules.wording import currency_symbol


def scenario_title(scenario: str, lang: Lang) -> str:
    """The scenario's name for menus and headings."""
    check_scenario(scenario)
    return dispute_lexicon().reason(f"scenario_{scenario}", lang)


def dispute_lexicon() -> Lexicon:
    """The dispute lexicon: scenarios, roles, sentences and cues of the briefs."""
    return load_lexicon("dispute")


def check_scenario(scenario: str) -> None:
    """Refuse an unknown scenario with the list of known ones."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: choose one of {', '.join(SCENARIOS)}")


# --- reading the contract -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The report as one brief reads it: cues run in the contract's language, sentences come in `lang`."""

    report: AuditReport
    lang: Lang
    scenario: str

    @cached_property
    def lex(self) -> Lexicon:
        """The dispute lexicon."""
        return dispute_lexicon()

    @property
    def values(self) -> dict[str, Any]:
        """The dispute lexicon's data (roles, scenarios, forum kinds)."""
        return self.lex.values

    @property
    def spec(self) -> dict[str, Any]:
        """What the lexicon says this scenario reads: roles, claims, gaps, evidence, steps, flags, law."""
        spec: dict[str, Any] = self.values["scenarios"][self.scenario]
        return spec

    @cached_property
    def inp(self) -> CheckInput:
        """The contract as the checks read it: the analysis the audit made, not a new one."""
        if self.report.contract is None:
            raise ValueError(f"{self.report.file}: a stored report has no contract text; audit the file again")
        return CheckInput(self.report.contract, self.lex)

    @cached_property
    def price_fact(self) -> Fact | None:
        """Where the contract states its price; None when the report's price is a monthly or per-item fee."""
        price = self.report.contract_value
        fact = next((f for f in self.report.facts if f.kind == "money" and price and f.value == price), None)
        if fact is None or self.rx("staged_payment.periodic").search(self.norm(phrase_span(self, fact.start))):
            return None
        return fact

    @property
    def price(self) -> float | None:
        """The contract price the brief computes with: the one the contract states, or the one the user
        gave (`--fact value=…`, an amount the contract does not write); None when only a rate is known.
        """
        if self.price_fact:
            return self.price_fact.value
        facts = self.report.key_facts
        if facts is None or facts.value is None:
            return None
        written = any(f.kind == "money" and f.value == facts.value for f in self.report.facts)
        return None if written else facts.value

    @cached_property
    def currency(self) -> str:
        """How the price is written: the sign of the contract's currency (¥, NT$, HK$, US$, €); failing a
        known currency, the contract's own "SGD " or "$".
        """
        facts = self.report.key_facts
        symbol = currency_symbol(facts.currency) if facts else None
        if symbol:
            return symbol
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
        return self.lex.reason(key, self.lang, client=self.party("client"), provider=self.party("provider"), **values)

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
        """The normalised text of a span, for matching cues."""
        return self.inp.norm_span(*span)

    def text(self, span: Span) -> str:
        """The original text of a span, for quoting."""
        return self.report.text[span[0] : span[1]]

    def money(self, value: float) -> str:
        """An amount in the contract's own currency."""
        return money(value, self.currency)

    def ref(self, label: str) -> str:
        """A clause label as a reader cites it: "4.2" → "第4.2条" / "clause 4.2"; "¶3" → "第3段"; any other
        label as the reports cite it ("第五条 2" → "第五条第2款", "七 （一）" → "七（一）").
        """
        if label.startswith("¶"):
            return self.say("ref_paragraph", n=label[1:])
        # a Chinese contract's own numbering ("第五条 2", "七 （一）") reads best as the reports cite it; in an
        # English brief it is still "clause 七（一）"
        number = r"[\d.]*\d" if self.lang == "zh" else r"[\d.]*\d|[一二三四五六七八九十百]+"
        m = re.match(number + r"(?=$|\s|（|\()", label)
        if not m:
            return clause_label(label, self.lang)
        rest = label[m.end() :].strip()
        rest = rest.replace(" ", "") if self.lang == "zh" else rest
        return self.say("ref_numbered", n=m.group(), rest=rest)

    def refs(self, labels: Iterable[str]) -> str:
        """Several clause labels as a reader cites them, each once."""
        return self.say("clause_sep").join(self.ref(x) for x in dict.fromkeys(labels))


def role_hits(r: Reading, role: str) -> tuple[Hit, ...]:
    """Every place the contract plays `role`, by the role's sources in the lexicon."""
    found: dict[Span, Hit] = {}
    for source in r.values["roles"][role]["find"]:
        for hit in _source_hits(r, source):
            if not is_heading(hit.clause):
                found.setdefault((hit.start, hit.end), hit)
    return tuple(sorted(found.values(), key=lambda h: h.start))


def _source_hits(r: Reading, source: dict[str, Any]) -> list[Hit]:
    """Hits of one source: a cue, kept or dropped by cues in its context (`with`, `without`); or facts."""
    if "facts" in source:
        return list(r.inp.hits_at(r.inp.facts_of(source["facts"])))
    lexicon, key = source["cue"].split(".", 1)
    whole = source.get("scope") == "clause"
    hits = [
        h
        for h in r.inp.bind(load_lexicon(lexicon)).hits(key, negatable=source.get("negatable", True))
        if all(_holds(r, h, c, whole) for c in source.get("with", ()))
        and not any(_holds(r, h, c, whole) for c in source.get("without", ()))
    ]
    if "side" not in source:
        return hits
    breach = r.inp.bind(load_lexicon("breach_liability"))
    return [h for h in hits if breaching_side(breach, h) == source["side"]]


def _holds(r: Reading, hit: Hit, cues: str, whole: bool = False) -> bool:
    """True when a cue of "a|b" matches the hit's sentence (or `whole` clause) or the list it opens."""
    span = (hit.clause.start, hit.clause.end) if whole else r.inp.sentences.around(hit.start, hit.end)
    context = " ".join((r.norm(span), *(c.norm for c in list_items(r, hit.clause))))
    return any(r.rx(name).search(context) for name in cues.split("|"))


def list_items(r: Reading, clause: Clause) -> tuple[Clause, ...]:
    """The list a clause opens ("有下列情形之一的，甲方有权解除合同：" → its numbered items)."""
    if not clause.norm.rstrip().endswith(tuple(r.values["list_openers"][r.report.language])):
        return ()
    items: list[Clause] = []
    for c in r.report.clauses[clause.index + 1 :]:
        if c.level <= clause.level:
            break
        items.append(c)
    return tuple(items)


def clause_at(r: Reading, offset: int) -> Clause | None:
    """The clause that holds `offset`."""
    return next((c for c in r.report.clauses if c.start <= offset < c.end), None)


def label_at(r: Reading, offset: int) -> str | None:
    """The label of the clause that holds `offset`."""
    clause = clause_at(r, offset)
    return clause.label if clause else None


def clause_span(r: Reading, clause: Clause) -> Span:
    """A clause with the list items it opens."""
    items = list_items(r, clause)
    return clause.start, (items[-1].end if items else clause.end)


def phrase_span(r: Reading, start: int, end: int | None = None) -> Span:
    """The phrase around a span: to the nearest comma, semicolon or full stop, inside its brackets."""
    end = start + 1 if end is None else end
    clause = clause_at(r, start)
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


def hit_items(r: Reading, hits: Sequence[Hit], role: str) -> str:
    """What hits say, briefly: the items of a list they open, else their phrases or sentences, once each."""
    whole = r.values["roles"][role].get("item") == "sentence"
    texts: list[str] = []
    for hit in hits:
        span = r.inp.sentences.around(hit.start, hit.end) if whole else phrase_span(r, hit.start, hit.end)
        items = list_items(r, hit.clause) if span[1] >= hit.clause.end - 1 else ()
        texts.extend(c.text for c in items) if items else texts.append(r.text(span))
    unique = dict.fromkeys(t.strip(" \n;；。.") for t in texts)
    return r.say("list_sep").join([t for t in unique if t][: r.values["max_items"]])


def hit_labels(hits: Iterable[Hit]) -> tuple[str, ...]:
    """The labels of the clauses the hits sit in, each once, in order."""
    return tuple(dict.fromkeys(h.clause.label for h in hits))


def is_heading(clause: Clause) -> bool:
    """A heading with nothing behind it ("三、审片与验收") is not a clause to quote."""
    body = clause.text.strip().removeprefix(clause.number or "").strip(" 、.．:：")
    return clause.title is not None and body == clause.title
