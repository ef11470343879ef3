"""Analysis: values recognised once (money, percentages, durations, per-period quantities, organisations,
parties, the contract price), so that no check re-implements them.

Regexes come from `lexicons/analysis.toml` and run on each clause's normalised text; Chinese numerals
(壹万贰仟, 三万, 百分之三十) are read by numerals.py, unusual forms by cn2an. The ORG entities (arbitration
institutions, courts) come from nlp.py.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from auditor.analyse.match import longest_in_clauses
from auditor.analyse.numerals import chinese_decimal, chinese_integer
from auditor.analyse.parties import extract_parties
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
    integer = chinese_integer(s)
    if integer is not None:
        return float(integer)
    decimal = chinese_decimal(s)
    if decimal is not None:
        return decimal
    try:
        import cn2an  # other forms (二百五, 三点五); its import costs more than a short audit

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


def _facts_of(kind: str, clause: Clause, matches: list[re.Match[str]]) -> Iterable[Fact]:
    for m in matches:
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
        for clause, matches in longest_in_clauses(clauses, lex.each(kind, lang)):
            facts.extend(_facts_of(kind, clause, matches))
    facts = _without_overlaps(facts)
    facts.extend(_institutions(clauses, lang))
    return tuple(sorted(facts, key=lambda f: (f.start, f.kind)))


def _without_overlaps(facts: list[Fact]) -> list[Fact]:
    """A plain count inside a per-period quantity or an amount ("每周3条", "3万元") is not a second fact.

    A count is inside when a span starting at or before it ends after it: the furthest end among the
    spans that start by then says so (bisect), not a scan of every span for every count.
    """
    spans = sorted((f.start, f.end) for f in facts if f.kind != "count")
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset)
        return i > 0 and reach[i - 1] > offset

    return [f for f in facts if f.kind != "count" or not inside(f.start)]


def _institutions(clauses: tuple[Clause, ...], lang: Lang) -> Iterable[Fact]:
    """ORG entities (arbitration institutions, courts) in clauses that can name a forum."""
    from auditor.analyse.nlp import find_institutions

    for clause in clauses:
        if not _could_name_forum(clause.norm):
            continue
        for start, end, label in find_institutions(clause.norm, lang):
            yield Fact(
                kind="org",
                start=clause.start + start,
                end=clause.start + end,
                text=clause.text[start:end],
                clause=clause.index,
                label=label or "institution",
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


_PER_PERIOD = re.compile(
    r"(?:每|/|per |a |each )\s*(?:个)?(?:月|周|天|日|场|期|month|week|day|session)[^,，。；;]{0,30}$"
)


def contract_value(clauses: tuple[Clause, ...], facts: tuple[Fact, ...], lang: Lang) -> float | None:
    """The contract price: the first sum after a word for the total (合同总金额, 合计, total fee); failing that,
    after a plainer word for the fee (服务费为). A monthly or per-show rate is not the price, nor is a sum
    just after words for a remainder, a deposit or a penalty (剩余基础服务费, balance, liquidated damages).
    """
    money = [f for f in facts if f.kind == "money" and f.value]
    lexicon = load_lexicon("analysis")
    not_total, rate_after = lexicon.cue("not_total", lang), lexicon.cue("rate_after", lang)
    for patterns in _strength_tiers(lexicon.each("contract_total", lang)):
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
                        and not not_total.search(
                            clause.norm[max(0, m.start() - 14, f.start - clause.start - 30) : f.start - clause.start]
                        )
                        and not rate_after.search(clause.norm[f.end - clause.start :])
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
