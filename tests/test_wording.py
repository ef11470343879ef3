"""Suggested wording (auditor/wording.py): templates are filled with the contract's own facts, and a fact the
contract does not give becomes a visible blank to fill, never a raw "{placeholder}" and never an invention.
"""

from __future__ import annotations

import re

import pytest

from auditor.rules.wording import fill, format_money

LEFTOVER = re.compile(r"\{[^{}]*\}")

# (template, facts, lang, expected)
FILLED = [
    (
        "由{client}向{provider}支付{amount}。",
        {"client": "上海云杉商贸有限公司", "provider": "杭州青禾文化传媒有限公司", "amount": "人民币36,000元"},
        "zh",
        "由上海云杉商贸有限公司向杭州青禾文化传媒有限公司支付人民币36,000元。",
    ),
    (
        "{client} shall pay {amount}.",
        {"client": "Acme Foods Inc.", "amount": "36,000"},
        "en",
        "Acme Foods Inc. shall pay 36,000.",
    ),
    ("no placeholder here", {"client": "X"}, "en", "no placeholder here"),
    ("{{literal braces}} for {client}", {"client": "X"}, "en", "{literal braces} for X"),
]


@pytest.mark.parametrize(("template", "facts", "lang", "expected"), FILLED)
def test_wording_fills_known_facts(template: str, facts: dict[str, str], lang: str, expected: str) -> None:
    assert fill(template, facts, lang) == expected  # type: ignore[arg-type]


# (placeholder, lang, the visible blank)
BLANKS = [
    ("amount", "zh", "【合同总金额】"),
    ("amount", "en", "[total fee]"),
    ("commission", "zh", "【仲裁委员会名称】"),
    ("commission", "en", "[arbitration institution]"),
    ("city", "zh", "【城市】"),
    ("city", "en", "[city]"),
    ("term", "zh", "【服务期限】"),
    ("court", "en", "[court]"),
    ("client", "zh", "甲方"),
    ("provider", "zh", "乙方"),
    ("client", "en", "the Client"),
    ("provider", "en", "the Provider"),
    ("weekly_posts", "zh", "【weekly_posts】"),  # a placeholder wording.py has no default for
    ("weekly_posts", "en", "[weekly_posts]"),
]


@pytest.mark.parametrize(("name", "lang", "blank"), BLANKS)
def test_wording_unknown_fact_rendered_as_blank(name: str, lang: str, blank: str) -> None:
    assert fill(f"<{{{name}}}>", {}, lang) == f"<{blank}>"  # type: ignore[arg-type]


@pytest.mark.parametrize("empty", [None, ""])
def test_wording_empty_fact_is_unknown(empty: str | None) -> None:
    assert fill("{amount}", {"amount": empty}, "zh") == "【合同总金额】"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wording_never_leaves_placeholder(lang: str) -> None:
    template = "{client}{provider}{amount}{city}{commission}{term}{court}{anything_else}"
    text = fill(template, {}, lang)  # type: ignore[arg-type]
    assert not LEFTOVER.search(text)


def test_wording_same_placeholder_twice() -> None:
    assert fill("{client}与{client}", {"client": "甲方公司"}, "zh") == "甲方公司与甲方公司"


# (value, lang, rendered)
MONEY = [
    (36000, "zh", "人民币36,000元"),
    (36000, "en", "36,000"),
    (36000.0, "zh", "人民币36,000元"),
    (36000.5, "en", "36,000.50"),
    (1234567, "en", "1,234,567"),
    (0, "zh", "人民币0元"),
    (None, "zh", None),
    (None, "en", None),
]


@pytest.mark.parametrize(("value", "lang", "rendered"), MONEY)
def test_wording_format_money(value: float | None, lang: str, rendered: str | None) -> None:
    assert format_money(value, lang) == rendered  # type: ignore[arg-type]
