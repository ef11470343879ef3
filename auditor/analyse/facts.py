"""Analysis: values recognised once (money, percentages, durations, per-period quantities, organisations,
parties, the contract price), so that no check re-implements them.

Regexes come from `lexicons/analysis.toml` and run on each clause's normalised text; Chinese numerals
(壹万贰仟, 三万, 百分之三十) are read with cn2an. spaCy supplies the sentence boundaries and the ORG
entities (arbitration institutions, courts) through the EntityRuler built in nlp.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from auditor.lexicon import load_lexicon
from auditor.model import Clause, Fact, Lang, Parties

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
}
_MULTIPLIERS = {"万": 1e4, "千": 1e3, "百万": 1e6, "亿": 1e8, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6}
_DAYS = {
    "个工作日": 1.4,
    "工作日": 1.4,
    "个自然日": 1,
    "自然日": 1,
    "日": 1,
    "天": 1,
    "个月": 30,
    "个自然月": 30,
    "月": 30,
    "周": 7,
    "星期": 7,
    "年": 365,
    "小时": 1 / 24,
    "business day": 1.4,
    "working day": 1.4,
    "calendar day": 1,
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
    "hour": 1 / 24,
}
_PERIOD_UNIT = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "自然周": "week",
    "周": "week",
    "星期": "week",
    "自然月": "month",
    "月": "month",
    "天": "day",
    "日": "day",
    "季度": "quarter",
    "季": "quarter",
    "年": "year",
}


@lru_cache(maxsize=4096)
def to_number(text: str) -> float | None:
    """A number written in digits, Chinese numerals (incl. 大写) or small English words; None if unreadable."""
    s = text.strip().replace(",", "").replace("，", "")
    if not s:
        return None
    if s in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[s])
    try:
        return float(s)
    except ValueError:
        pass
    try:
        import cn2an

        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analysis stage hands to the checks."""

    facts: tuple[Fact, ...]
    parties: Parties
    contract_value: float | None
    sentences: tuple[tuple[int, int], ...]  # (start, end) offsets of every sentence in the document


def _matches(norm: str, patterns: tuple[re.Pattern[str], ...]) -> list[re.Match[str]]:
    """Matches of all alternatives, the longest kept where two overlap."""
    found = sorted((m for rx in patterns for m in rx.finditer(norm)), key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for m in found:
        if kept and m.start() < kept[-1].end():
            continue
        kept.append(m)
    return kept


def _facts_of(kind: str, clause: Clause, patterns: tuple[re.Pattern[str], ...]) -> Iterable[Fact]:
    for m in _matches(clause.norm, patterns):
        groups = m.groupdict()
        num = groups.get("num")
        value = to_number(num) if num else (1.0 if kind == "quantity" else None)
        redacted = num is not None and num.startswith(("[", "*"))
        unit: str | None = None
        if kind == "money" and value is not None:
            value *= _MULTIPLIERS.get((groups.get("mult") or "").strip(), 1)
        elif kind == "duration":
            unit = _duration_unit(groups["unit"])
            if value is None or _is_a_date(clause.norm, m):
                continue
            value *= _DAYS[unit]
        elif kind == "quantity":
            period = groups["period"]
            unit = f"{groups['unit'].strip()}/{_PERIOD_UNIT.get(period, period)}"
        elif kind == "count":
            unit = groups["unit"].strip()
        if value is None and kind not in {"quantity", "count"} and not redacted:
            continue
        yield Fact(
            kind=kind,  # type: ignore[arg-type]
            start=clause.start + m.start(),
            end=clause.start + m.end(),
            text=clause.text[m.start() : m.end()],
            value=value,
            unit=unit,
            clause=clause.index,
            label="redacted" if redacted else kind,
        )


def _duration_unit(raw: str) -> str:
    raw = raw.strip()
    if raw in _DAYS:
        return raw
    singular = raw.rstrip("s")
    return singular if singular in _DAYS else "day"


def _is_a_date(norm: str, m: re.Match[str]) -> bool:
    """2024年, 5月 or 10日 after a month are calendar dates, not durations."""
    num, unit = m.group("num"), m.group("unit")
    if unit == "年" and num.isdigit() and len(num) == 4:
        return True
    before = norm[max(0, m.start() - 1) : m.start()]
    after = norm[m.end() : m.end() + 1]
    if unit in {"月"} and (after == "份" or norm[m.end() : m.end() + 3].rstrip().endswith("日")):
        return True
    if unit in {"日", "月"} and (before in {"月", "年"} or before == "每"):
        return True
    return unit in {"日"} and after in {"前", "之", "起"} and before in {"月", "每"}


def extract_facts(clauses: tuple[Clause, ...], lang: Lang) -> tuple[Fact, ...]:
    """Every money, percent, duration and quantity fact in the contract, in document order."""
    lex = load_lexicon("analysis")
    facts: list[Fact] = []
    for kind in ("money", "percent", "duration", "quantity", "count"):
        patterns = lex.each(kind, lang)
        for clause in clauses:
            facts.extend(_facts_of(kind, clause, patterns))
    facts = _without_overlaps(facts)
    facts.extend(_institutions(clauses, lang))
    return tuple(sorted(facts, key=lambda f: (f.start, f.kind)))


def _without_overlaps(facts: list[Fact]) -> list[Fact]:
    """A plain count inside a per-period quantity or an amount ("每周3条", "3万元") is not a second fact."""
    spans = [(f.start, f.end) for f in facts if f.kind != "count"]
    return [f for f in facts if f.kind != "count" or not any(s <= f.start < e for s, e in spans)]


def _institutions(clauses: tuple[Clause, ...], lang: Lang) -> Iterable[Fact]:
    """ORG entities found by the spaCy EntityRuler in clauses that can name a forum."""
    from auditor.analyse.nlp import get_nlp

    nlp = get_nlp(lang)
    candidates = [c for c in clauses if _could_name_forum(c.norm)]
    for clause, doc in zip(candidates, nlp.pipe(c.norm for c in candidates), strict=True):
        for ent in doc.ents:
            yield Fact(
                kind="org",
                start=clause.start + ent.start_char,
                end=clause.start + ent.end_char,
                text=clause.text[ent.start_char : ent.end_char],
                clause=clause.index,
                label=ent.ent_id_ or "institution",
            )


def _could_name_forum(norm: str) -> bool:
    return any(w in norm for w in ("仲裁", "法院", "arbitra", "court", "cietac", "siac", "hkiac", "jams"))


def sentence_spans(clauses: tuple[Clause, ...], lang: Lang) -> tuple[tuple[int, int], ...]:
    """Sentence boundaries inside each clause, as document offsets (sentencizer rules from nlp.py)."""
    spans: list[tuple[int, int]] = []
    for clause in clauses:
        spans.extend((clause.start + s, clause.start + e) for s, e in _split_sentences(clause.norm, lang))
    return tuple(spans)


_SENT_END = {"zh": re.compile(r"[。；;！!？?\n]+"), "en": re.compile(r"(?<=[a-z0-9)\"'])[.;!?](?=\s+[(\"a-z0-9])|\n")}


def _split_sentences(norm: str, lang: Lang) -> Iterable[tuple[int, int]]:
    """Cheap sentence split matching the spaCy sentencizer's punctuation, without tokenising."""
    start = 0
    for m in _SENT_END[lang].finditer(norm):
        if m.end() - start > 1:
            yield start, m.end()
        start = m.end()
    if start < len(norm):
        yield start, len(norm)


def extract_parties(clauses: tuple[Clause, ...], lang: Lang) -> Parties:
    """Who is the client (the one who pays) and who the provider, with their names and aliases."""
    lex = load_lexicon("analysis")
    head = clauses[:40]
    found: dict[str, str] = {}  # alias -> name
    roles: dict[str, str] = {}  # alias -> "client" | "provider"
    places: dict[str, str] = {}  # alias -> the text that says where it is
    address = lex.cue("address_line", lang)
    for i, clause in enumerate(head):
        for key in ("party_line", "defined_party"):
            for m in _matches(clause.norm, lex.each(key, lang)):
                alias = m.group("alias").strip()
                role_text = (m.groupdict().get("role") or "").strip()
                short = re.search(r"甲方|乙方", role_text) if lang == "zh" else None
                if short:
                    alias, role_text = short.group(), alias  # "品牌方（以下简称甲方）": the contract says 甲方
                role_text = role_text or alias
                role = _role_of(role_text, lang)
                raw = clause.text[m.start("name") : m.end("place") if m.groupdict().get("place") else m.end("name")]
                raw = _RECITAL_LEAD.split(raw)[-1]  # "…is entered into as of 3 May, 2024 by and between X"
                name = _clean_name(raw)
                if role is None and not _LEGAL_FORM.search(name):
                    continue  # a defined term ("the Term", "the Services"), not a party
                found.setdefault(alias, name)
                nxt = head[i + 1] if i + 1 < len(head) else None
                place = raw.lower()
                if nxt is not None and address.search(nxt.norm):
                    place += " " + nxt.norm
                places.setdefault(alias, place.strip())
                if role:
                    roles.setdefault(alias, role)
    aliases = list(found)
    stated = bool(roles)
    if lang == "zh":
        for alias, default in (("甲方", "client"), ("乙方", "provider")):
            if alias in found or any(alias in c.norm for c in head):
                roles.setdefault(alias, default)
                found.setdefault(alias, "")
        aliases = list(found)
    _roles_by_payment(clauses, aliases, roles, lang, override=not stated)
    client = next((a for a in aliases if roles.get(a) == "client"), None)
    provider = next((a for a in aliases if roles.get(a) == "provider"), None)
    return Parties(
        client=(found.get(client) or None) if client else None,
        provider=(found.get(provider) or None) if provider else None,
        client_alias=_display_alias(client, clauses),
        provider_alias=_display_alias(provider, clauses),
        client_place=places.get(client) if client else None,
        provider_place=places.get(provider) if provider else None,
    )


_PENALTY_AFTER = re.compile(r"[^。；;.]{0,20}(?:违约金|赔偿|罚|滞纳金|退还|返还|penalt|damages|refund|interest)")
_NAME_TAIL = re.compile(r"\s*[(（][^)）]*(?:简称|簡稱|以下称|hereinafter)[^)）]*[)）]\s*$")
_RECITAL_LEAD = re.compile(r"\b(?:by and between|between|on which|whereby)\s+", re.IGNORECASE)
_LEGAL_FORM = re.compile(  # a party's name ends with its legal form (a defined term such as "the Term" does not)
    r"(?:公司|工作室|事务所|中心|商行|\b(?:inc|llc|ltd|limited|co|corp|corporation|company|gmbh|plc|pty|pte|llp|lp))"
    r"\.?\s*(?:[(（][^)）]*[)）])?$",
    re.IGNORECASE,
)
_NAME_LEAD = re.compile(r"^(?:.*?\b(?:by and between|between)\s+|and\s+)", re.IGNORECASE)


_NAME_END = re.compile(r",\s+(?!(?:inc|llc|ltd|limited|co|corp|corporation|plc|gmbh|l\.?l\.?c)\b\.?)", re.IGNORECASE)


def _clean_name(raw: str) -> str:
    """A recital's party name: "2024 by and between Summit LLC" → "Summit LLC".

    "Jordan Vale, professionally known as…" → "Jordan Vale".

    The name patterns may start too early in a recital and run on into the address; a name ends at the first
    comma that does not introduce its legal form (", Inc.", ", Ltd.").
    """
    name = _NAME_TAIL.sub("", _NAME_LEAD.sub("", raw.strip())).strip().strip('"“”,')
    return _NAME_END.split(name, maxsplit=1)[0].strip()


def _role_of(text: str, lang: Lang) -> str | None:
    lex = load_lexicon("analysis")
    probe = text.strip().lower()
    if lang == "en":
        probe = probe.removeprefix("the ").strip()
    if lex.cue("client_role", lang).search(probe):
        return "client"
    if lex.cue("provider_role", lang).search(probe):
        return "provider"
    return None


def _roles_by_payment(
    clauses: tuple[Clause, ...], aliases: list[str], roles: dict[str, str], lang: Lang, *, override: bool = False
) -> None:
    """The party that is told to pay is the client; `override` lets payment beat the 甲方/乙方 default."""
    if not aliases or (len([a for a in aliases if a in roles]) >= 2 and not override):
        return
    lex = load_lexicon("analysis")
    counts = {a: 0 for a in aliases}
    for alias in aliases:
        rx = re.compile(lex.cues["pays"][lang][0].replace("{alias}", re.escape(alias)))
        counts[alias] = sum(
            1 for c in clauses for m in rx.finditer(c.norm) if not _PENALTY_AFTER.match(c.norm, m.end())
        )
    payer = max(counts, key=lambda a: counts[a])
    others = [counts[a] for a in aliases if a != payer]
    if override:
        if counts[payer] >= 2 and counts[payer] > 2 * max(others, default=0):
            for alias in aliases:
                roles[alias] = "client" if alias == payer else "provider"
        return
    if counts[payer]:
        roles.setdefault(payer, "client")
        for other in aliases:
            if other != payer and other not in roles:
                roles[other] = "provider"


def _display_alias(alias: str | None, clauses: tuple[Clause, ...]) -> str | None:
    """The alias as the contract spells it (case kept: "the Company"), found from its normalised form."""
    if alias is None:
        return None
    for clause in clauses[:60]:
        i = clause.norm.find(alias)
        if i >= 0:
            return clause.text[i : i + len(alias)]
    return alias


_PER_PERIOD = re.compile(
    r"(?:每|/|per |a |each )\s*(?:个)?(?:月|周|天|日|场|期|month|week|day|session)[^,，。；;]{0,30}$"
)


def contract_value(clauses: tuple[Clause, ...], facts: tuple[Fact, ...], lang: Lang) -> float | None:
    """The contract price: the first sum after a word for the total (合同总金额, 合计, total fee); failing that,
    after a plainer word for the fee (服务费为). A monthly or per-show rate is not the price.
    """
    money = [f for f in facts if f.kind == "money" and f.value]
    for patterns in _strength_tiers(load_lexicon("analysis").each("contract_total", lang)):
        for clause in clauses:
            for rx in patterns:
                for m in rx.finditer(clause.norm):
                    cue_end = clause.start + m.end()
                    after = [
                        f
                        for f in money
                        if f.clause == clause.index
                        and 0 <= f.start - cue_end <= 40
                        and not _PER_PERIOD.search(clause.norm[: f.start - clause.start])
                    ]
                    if after:
                        return after[0].value
    return None


def _strength_tiers(patterns: tuple[re.Pattern[str], ...]) -> tuple[tuple[re.Pattern[str], ...], ...]:
    """The lexicon lists the words for a total first; every later pattern is a weaker fallback."""
    return (patterns[:1], patterns[1:])


def analyse(clauses: tuple[Clause, ...], lang: Lang) -> Analysis:
    """Run every recogniser once."""
    facts = extract_facts(clauses, lang)
    return Analysis(
        facts=facts,
        parties=extract_parties(clauses, lang),
        contract_value=contract_value(clauses, facts, lang),
        sentences=sentence_spans(clauses, lang),
    )
