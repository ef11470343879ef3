"""Fill suggested-wording templates with the contract's own names and amounts.

A fact the contract does not give is rendered as a visible blank to fill (【金额】, [amount]), never
left as `{amount}` and never invented.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from auditor.model import Lang

_BLANKS: dict[Lang, dict[str, str]] = {
    "zh": {
        "client": "甲方",
        "provider": "乙方",
        "amount": "【合同总金额】",
        "city": "【城市】",
        "commission": "【仲裁委员会名称】",
        "term": "【服务期限】",
        "court": "【法院】",
    },
    "en": {
        "client": "the Client",
        "provider": "the Provider",
        "amount": "[total fee]",
        "city": "[city]",
        "commission": "[arbitration institution]",
        "term": "[term]",
        "court": "[court]",
    },
}


def format_number(value: float) -> str:
    """36000 → "36,000"; 1234.5 → "1,234.50": whole amounts without decimals."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def format_money(value: float | None, lang: Lang) -> str | None:
    """36000 → "人民币36,000元" / "36,000"; None stays None."""
    if value is None:
        return None
    number = format_number(value)
    return f"人民币{number}元" if lang == "zh" else number


def fill(template: str, facts: Mapping[str, str | None], lang: Lang) -> str:
    """Put known facts into `template`; unknown ones become a visible blank, not a raw placeholder."""
    blanks = _BLANKS[lang]
    values: dict[str, str] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if not name:
            continue
        known = facts.get(name)
        values[name] = known if known else blanks.get(name, f"【{name}】" if lang == "zh" else f"[{name}]")
    return template.format(**values)
