"""Fill suggested-wording templates with the contract's own names, amounts and dates, in its own script,
with the wording its contract type needs.

A fact the contract does not give is rendered as a visible blank to fill (【金额】, [amount]), never
left as `{amount}` and never invented; `blanks()` lists what is left for the user. A zh-Hant contract gets
its wording in Traditional characters through OpenCC, the converter `text/normalise.py` already uses to
read it. Blanks, amounts, dates and per-type templates are data in `lexicons/wording.toml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import KeyFacts, Lang

_BLANK = re.compile(r"【[^】]*】|\[[^\]]*\]")


def _values() -> dict[str, Any]:
    return load_lexicon("wording").values


def format_number(value: float) -> str:
    """36000 → "36,000"; 1234.5 → "1,234.50": whole amounts without decimals."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def format_money(value: float | None, lang: Lang, currency: str | None = None) -> str | None:
    """36000 → "人民币36,000元" / "36,000"; in TWD "新台币36,000元" / "NT$36,000"; None stays None."""
    if value is None:
        return None
    forms = _values()["money"][lang]
    form = forms.get(currency or "", forms["other"])
    return str(form).format(n=format_number(value), code=currency)


def format_date(iso: str | None, lang: Lang) -> str | None:
    """An ISO date as the contract writes dates: 2024-03-01 → "2024年3月1日" / "March 1, 2024"."""
    if not iso:
        return None
    day = dt.date.fromisoformat(iso)
    month = _values()["months"][day.month - 1]
    return str(_values()["date"][lang]).format(y=day.year, m=day.month, d=day.day, month=month)


def currency_symbol(currency: str | None) -> str | None:
    """The sign before a computed amount ("¥", "NT$"), None for a currency without one."""
    symbol = _values()["symbol"].get(currency or "")
    return str(symbol) if symbol else None


def in_script(text: str, facts: KeyFacts | None) -> str:
    """Wording in the contract's script: Simplified text converted to Traditional for a zh-Hant contract."""
    if facts is None or facts.script != "zh-Hant":
        return text
    table = _values()["traditional"]
    hk = facts.currency in table or facts.governing_law in table
    return _converter("s2hk" if hk else str(table["other"])).convert(text)  # type: ignore[no-any-return]


@lru_cache(maxsize=4)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def fill(template: str, facts: Mapping[str, str | None], lang: Lang, key: KeyFacts | None = None) -> str:
    """Put known facts into `template`; unknown ones become a visible blank, not a raw placeholder. With
    the contract's `key` facts, the template and its blanks are first written in its script (the names and
    amounts filled in stay as the contract writes them).
    """
    blanks: dict[str, str] = _values()["blanks"][lang]
    values: dict[str, str] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if not name:
            continue
        known = facts.get(name)
        blank = blanks.get(name, f"【{name}】" if lang == "zh" else f"[{name}]")
        values[name] = known if known else in_script(blank, key)
    return in_script(template, key).format(**values)


_CITY = re.compile(r"(北京|上海|天津|重庆|香港|澳门)|([\u4e00-\u9fff]{2,3}?)市")


def place_city(place: str | None) -> str | None:
    """The city a party's name or address line gives ("杭州市西湖区…" → "杭州"), None when it gives none."""
    m = _CITY.search(place or "")
    return (m.group(1) or m.group(2)) if m else None


def blanks(text: str | None) -> tuple[str, ...]:
    """The blanks a suggested wording still holds (【10%】, [start date]), each once, for the user to fill."""
    return tuple(dict.fromkeys(_BLANK.findall(text or "")))


def typed_lexicon(lexicon: Lexicon, kind: str | None, law: str | None = None) -> Lexicon:
    """The check's lexicon with its default wording replaced by the wording for this contract's governing
    law, where the default assumes PRC law (a Hong Kong forum clause names HKIAC, not 仲裁委员会), else for
    its type (a software contract gets milestones and source code, not short videos); a type without
    wording of its own for the check takes the general one, the type the default was written for keeps it.
    """
    values = _values()
    laws: dict[str, dict[str, dict[str, str]]] = values["laws"]
    types: dict[str, dict[str, dict[str, str]]] = values["types"]
    wording = laws.get(law or "", {}).get(lexicon.name)
    if wording is None and kind is not None and kind not in values["own_default"]:
        wording = types.get(kind, {}).get(lexicon.name) or types["general"].get(lexicon.name)
    if wording is None:
        return lexicon
    return dataclasses.replace(lexicon, suggestion={**lexicon.suggestion, "default": wording})
