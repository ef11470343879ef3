"""The key facts as a report shows them: the price in its currency, the term, the law, the type, the
script, and how to correct them; one list of rows for the text and Markdown reports and the desk.
"""

from __future__ import annotations

import re
import string

from auditor.lexicon import load_lexicon
from auditor.model import KeyFacts, Lang
from auditor.report.words import report_word
from auditor.rules.law import law_name
from auditor.rules.wording import format_date, format_money, place_city

_ADDRESS = re.compile(
    r"(?:地址|住所地?|address\s*[:：]|located at|principal place of business at)\s*[:：]?\s*(?P<at>[^\n;；]+)",
    re.IGNORECASE,
)


def fact_rows(facts: KeyFacts, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) for each key fact, "not found" where the contract does not give it, then the hint."""
    unknown = report_word("fact_unknown", lang)
    start, end = format_date(facts.start, lang) or "?", format_date(facts.end, lang) or "?"
    term = report_word("term_span", lang, start=start, end=end)
    kind = load_lexicon("contract_types").values["titles"][lang].get(facts.type or "", facts.type)
    return [
        (report_word("contract_value", lang), format_money(facts.value, lang, facts.currency) or unknown),
        (report_word("term", lang), term if facts.start or facts.end else unknown),
        (report_word("governing_law", lang), law_name(facts.governing_law, lang) if facts.governing_law else unknown),
        (report_word("contract_type", lang), kind or unknown),
        (report_word("script", lang), report_word(f"script_{facts.script}", lang)),
        (report_word("fact_hint_label", lang), report_word("fact_hint", lang)),
    ]


def party_place(place: str | None, lang: Lang, text: str = "") -> str | None:
    """Where a party is, as the report shows it: its address ("地址：浙江省杭州市…", "located at 800 Brazos
    Street…"), written as in the contract `text` (the parties are read from the folded text), else the city
    its name gives in a Chinese contract; None when neither is there.
    """
    m = _ADDRESS.search(place or "")
    if m is None:
        return place_city(place) if lang == "zh" else None
    at = m.group("at").strip(" ,.")
    found = text.lower().find(at)
    if found >= 0:
        return text[found : found + len(at)]
    # a report read back has no text: English addresses are capitalised, and the Latin letters of a Chinese
    # one are block and building codes (A座, C4栋), written in capitals
    return string.capwords(at) if lang == "en" else re.sub("[a-z]+", lambda m: m.group().upper(), at)
