"""Clause-number recognition (auditor/numbering.py): which line openings are clause numbers, and which are
amounts, dates or counts that only look like one.
"""

from __future__ import annotations

import pytest

from auditor.text.numbering import match_number, split_run_on, starts_new_clause

# (line, style, number as printed)
NUMBERS = [
    ("第五条 服务内容", "article_zh", "第五条"),
    ("第五條 服務內容", "article_zh", "第五條"),
    ("第12条 其他", "article_zh", "第12条"),
    ("第二章 总则", "chapter_zh", "第二章"),
    ("第二部分：一般法律条款", "chapter_zh", "第二部分"),
    ("一、服务内容", "list_zh", "一"),
    ("十二、争议解决", "list_zh", "十二"),
    ("（一）甲方的权利", "paren_zh", "（一）"),
    ("(二) 乙方的义务", "paren_zh", "(二)"),
    ("1. Services", "arabic", "1"),
    ("1、服务费用", "arabic", "1"),
    ("3）乙方应当", "arabic", "3"),
    ("1.1 服务内容", "dotted2", "1.1"),
    ("1.1.1 发布频次", "dotted3", "1.1.1"),
    ("(1) 每周发布3条", "paren_arabic", "(1)"),
    ("（2）每月直播4场", "paren_arabic", "（2）"),
    ("(a) a content calendar", "paren_alpha", "(a)"),
    ("(iv) community management", "paren_alpha", "(iv)"),
    ("①每周发布", "circled", "①"),
    ("Article 5 Fees", "article_en", "Article 5"),
    ("Section 3.2 Payment", "article_en", "Section 3.2"),
    ("ARTICLE IV TERM", "article_en", "ARTICLE IV"),
    ("Clause 7 Termination", "article_en", "Clause 7"),
    ("附件一 服务清单", "annex", "附件一"),
    ("附件2：报价单", "annex", "附件2"),
    ("Exhibit A Scope of Work", "annex", "Exhibit A"),
    ("Schedule 2 Fees", "annex", "Schedule 2"),
]

NOT_NUMBERS = [
    "2024年3月1日起",
    "2024年",
    "10%的服务费",
    "3条视频",
    "5.2%的费用",
    "12月31日前付款",
    "3万元整",
    "2.5万元",
    "30日内",
    "三个月内",
    "一次性支付",
    "30 days after signing",
    "100% of the fee",
]

# Decimals before a unit are values, as "2024年" and "5.2%" are; a hard-wrapped line opening with one
# must still be joined to the line before it.
DECIMALS_BEFORE_UNIT = ["1.5倍支付违约金", "3.5小时的直播", "2.5个工作日内"]


@pytest.mark.parametrize(("line", "style", "number"), NUMBERS, ids=[n[0] for n in NUMBERS])
def test_numbering_recognises_style(line: str, style: str, number: str) -> None:
    found = match_number(line)
    assert found is not None
    assert (found.style, found.number) == (style, number)


REST = [
    ("第五条 服务内容", "服务内容"),
    ("1.1 服务内容", "服务内容"),
    ("1、服务费用", "服务费用"),
    ("（一）甲方的权利", "甲方的权利"),
    ("Article 5 Fees", "Fees"),
    ("ARTICLE IV TERM", "TERM"),
]


@pytest.mark.parametrize(("line", "rest"), REST)
def test_numbering_end_is_just_after_number(line: str, rest: str) -> None:
    found = match_number(line)
    assert found is not None
    assert line[found.end :].strip(" 、.:：") == rest


@pytest.mark.parametrize("line", NOT_NUMBERS)
def test_numbering_rejects_values(line: str) -> None:
    assert match_number(line) is None
    assert not starts_new_clause(line)


@pytest.mark.parametrize("line", DECIMALS_BEFORE_UNIT)
def test_numbering_rejects_decimal_before_unit(line: str) -> None:
    assert match_number(line) is None


# Ranks: chapters and annexes above articles, articles above lists, lists above sub-items.
RANK_ORDER = [
    ("第一章 总则", "第一条 定义"),
    ("第一条 定义", "一、服务"),
    ("一、服务", "（一）内容"),
    ("1.1 内容", "1.1.1 细节"),
    ("Article 1 Services", "(a) posts"),
]


@pytest.mark.parametrize(("outer", "inner"), RANK_ORDER)
def test_numbering_rank_orders_styles(outer: str, inner: str) -> None:
    a, b = match_number(outer), match_number(inner)
    assert a is not None and b is not None
    assert a.rank < b.rank


def test_numbering_leading_spaces_ignored() -> None:
    found = match_number("   第三条 费用")
    assert found is not None and found.number == "第三条"


def test_numbering_run_on_line_is_cut_where_numbered_clauses_start() -> None:
    line = (
        "9.4 On termination each party returns the other's materials and pays what is due. 10. GENERAL "
        "10.1 The parties are independent contractors and nothing here makes either an agent of the other. "
        "10.2 Liability is limited to the fees paid in the twelve months before the claim, save for fraud. "
        "10.3 This Agreement is governed by the laws of England, and Sections 3 to 10 survive its end. "
        "A fee of 12 USD applies. 10.4 Notices are given in writing to the addresses above."
    )
    assert [p.split()[0] for p in split_run_on(line)] == ["9.4", "10.", "10.1", "10.2", "10.3", "10.4"]


def test_numbering_short_lines_and_out_of_sequence_numbers_are_not_cut() -> None:
    assert split_run_on("5.1 The fee is due. 2 Months later it doubles.") == [
        "5.1 The fee is due. 2 Months later it doubles."
    ]
