"""The contract's key facts beside its price: the currency the price is written in, the term's dates, the
script the contract is written in, and the user's corrections to any of them (`--fact value=90000`).

The cues (currencies, the term sentence, dates, a term's length) live in `lexicons/analysis.toml`. The
governing law and the contract type are read by `rules/law.py` and `review/contract_type.py`; the pipeline
puts all of them into one `KeyFacts`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping

from auditor.analyse.facts import to_number
from auditor.lexicon import load_lexicon
from auditor.model import Clause, Fact, KeyFacts, Lang, Parties, Script
from auditor.text.normalise import is_traditional

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ROC_EPOCH = 1911  # 民国 1 is 1912
_WINDOW = 8  # characters either side of an amount where its currency is written


def script_of(text: str, lang: Lang) -> Script:
    """How the contract is written: Simplified or Traditional Chinese, or English."""
    if lang == "en":
        return "en"
    return "zh-Hant" if is_traditional(text) else "zh-Hans"


def currency_of(clauses: tuple[Clause, ...], facts: tuple[Fact, ...], value: float | None, lang: Lang) -> str | None:
    """The ISO 4217 code of the price as written; failing the price, of the contract's first amount;
    failing any amount, of the first amount left blank ("¥＿＿元", "新台币【 】元"): a form still says
    what money it is priced in.
    """
    money = [f for f in facts if f.kind == "money" and f.value]
    priced = [f for f in money if value is not None and f.value == value]
    for fact in (*priced, *money):
        if fact.clause is not None:
            clause = clauses[fact.clause]
            code = _currency_around(clause.norm, fact.start - clause.start, fact.end - clause.start, lang)
            if code is not None:
                return code
    blanks = ((c, m) for c in clauses for m in _BLANK_AMOUNT.finditer(c.norm))
    return next((code for c, m in blanks if (code := _currency_around(c.norm, m.start(), m.end(), lang))), None)


_BLANK_AMOUNT = re.compile(r"_+|【\s*】|\s{3,}")


def _currency_around(norm: str, start: int, end: int, lang: Lang) -> str | None:
    """The currency written just before or after the span [start, end) of a clause's normalised text."""
    lexicon = load_lexicon("analysis")
    window = norm[max(0, start - _WINDOW) : end + _WINDOW // 2]
    for code in lexicon.values["currencies"]:
        if lexicon.cue(f"currency_{code.lower()}", lang).search(window):
            return str(code)
    return None


def term_dates(clauses: Iterable[Clause], lang: Lang) -> tuple[str | None, str | None]:
    """The term's first and last day as ISO dates. Best: a range in a sentence (or under a heading) about the
    term ("2024年3月1日至2025年2月28日"); then a start with the term's length ("为期三个月"), the start being a
    date in the sentence or the date it counts from ("six (6) months from the Commencement Date"); last, a
    lone start date.
    """
    sentences = list(_term_sentences(clauses, lang))
    ranges = ((found[0], found[1]) for _, found in sentences if len(found) > 1)
    first = next(ranges, None)
    if first is not None:
        return first[0].isoformat(), first[1].isoformat()
    lexicon = load_lexicon("analysis")
    for text, found in sentences:
        length = next((m for rx in lexicon.each("term_length", lang) if (m := rx.search(text))), None)
        begin = found[0] if found else _anchor(clauses, text, lang)
        if length is not None and begin is not None:
            end = _after(begin, length.group("num"), length.group("unit"))
            return begin.isoformat(), end.isoformat() if end else None
    lone = next((found[0] for _, found in sentences if found), None)
    return (lone.isoformat() if lone else None), None


def _term_sentences(clauses: Iterable[Clause], lang: Lang) -> Iterable[tuple[str, list[dt.date]]]:
    """Each sentence about the term (by its words or its heading: 一、服务期限), with its dates in order."""
    term = load_lexicon("analysis").cue("term_sentence", lang)
    for clause in clauses:
        titled = bool(term.search(clause.context))
        for sentence in re.split(r"[。；;\n]|\.\s", clause.norm):
            if titled or term.search(sentence):
                yield sentence, _dates_in(sentence, lang)


def _dates_in(text: str, lang: Lang) -> list[dt.date]:
    found = sorted(
        (m.start(), day)
        for rx in load_lexicon("analysis").each("date", lang)
        for m in rx.finditer(text)
        if (day := _date(m))
    )
    return [day for _, day in found]


def _anchor(clauses: Iterable[Clause], text: str, lang: Lang) -> dt.date | None:
    """The date a term counts from when its sentence names it instead of giving it: a defined date
    ("Commencement Date: 3 March 2025") or the contract's own date ("from the date above").
    """
    m = load_lexicon("analysis").cue("term_anchor", lang).search(text)
    if m is None:
        return None
    ref = m.group("ref")
    own = load_lexicon("analysis").cue("own_date", lang).fullmatch(ref)
    for clause in clauses:
        if own or ref in clause.norm:
            found = _dates_in(clause.norm, lang)
            if found:
                return found[0]
    return None


def _date(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    month = _MONTHS.index(groups["mon"]) + 1 if groups.get("mon") else int(groups["m"])
    try:
        year = int(groups["roc"]) + _ROC_EPOCH if groups.get("roc") else int(groups["y"])
        return dt.date(year, month, int(groups["d"]))
    except ValueError:
        return None


def _after(start: dt.date, num: str, unit: str) -> dt.date | None:
    """The last day of a term of `num` months or years from `start`."""
    count = to_number(num)
    if count is None:
        return None
    months = int(count) * (12 if unit.startswith(("年", "year")) else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) - dt.timedelta(days=1)


class FactError(ValueError):
    """A correction the user gave cannot be used; the message says which and why, in one line."""


PARTY_FIELDS = ("client", "provider")
FACT_FIELDS = (*(f.name for f in dataclasses.fields(KeyFacts)), *PARTY_FIELDS)
SCRIPTS = ("zh-Hans", "zh-Hant", "en")


def parse_fact(text: str) -> tuple[str, str]:
    """`value=90000` → ("value", "90000"), refusing an unknown field."""
    key, sep, value = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or key not in FACT_FIELDS:
        raise FactError(f"--fact {text!r}: write FIELD=VALUE, FIELD one of {', '.join(FACT_FIELDS)}")
    return key, value.strip()


def corrected(facts: KeyFacts, parties: Parties, overrides: Mapping[str, str]) -> tuple[KeyFacts, Parties]:
    """The facts and parties with the user's corrections laid over them; an empty value clears a fact."""
    values: dict[str, object] = {}
    names: dict[str, str | None] = {}
    for key, raw in overrides.items():
        if key in PARTY_FIELDS:
            names[key] = raw or None
        else:
            values[key] = _checked(key, raw) if raw else None
    return dataclasses.replace(facts, **values), dataclasses.replace(parties, **names)  # type: ignore[arg-type]


def _checked(key: str, raw: str) -> object:
    """One corrected value in the shape its field holds."""
    if key == "value":
        number = to_number(raw)
        if number is None:
            raise FactError(f"--fact value={raw}: not an amount (write 90000)")
        return number
    if key in ("start", "end"):
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise FactError(f"--fact {key}={raw}: not a date (write 2024-03-01)") from None
    if key == "script" and raw not in SCRIPTS:
        raise FactError(f"--fact script={raw}: choose one of {', '.join(SCRIPTS)}")
    if key == "type":
        types = tuple(load_lexicon("contract_types").values["titles"]["en"])
        if raw not in types:
            raise FactError(f"--fact type={raw}: choose one of {', '.join(types)}")
        return raw
    return raw.upper() if key in ("currency", "governing_law") else raw
