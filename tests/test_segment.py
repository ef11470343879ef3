"""Segmentation (auditor/segment.py): a loaded document → clauses with number, reference, title, section,
level and page, whose offsets always quote the original text.
"""

from __future__ import annotations

import pytest

from auditor.load import load_text
from auditor.model import Block, Clause, RawDocument
from auditor.text.segment import segment

ZH = """抖音代运营服务合同
甲方（委托方）：上海云杉商贸有限公司
乙方（服务方）：杭州青禾文化传媒有限公司
第一条 服务内容
1. 乙方每周发布3条原创短视频。
2. 乙方每月直播4场。
第二条 服务费用
合同总金额为人民币叁万陆仟元整。
第五条 违约责任
1. 乙方未按约定数量发布的，应退还相应费用。
2. 甲方逾期付款的，应支付违约金。
"""

EN = """SOCIAL MEDIA SERVICES
Client: Acme Foods Inc.
Agency: Bright Media LLC
Article 1 Services
1.1 The Agency shall publish twelve (12) posts per month.
(a) a content calendar;
(b) community management.
Section 3.2 Payment
The Client shall pay monthly.
ARTICLE IV TERM
The term is one year.
"""


def _doc(blocks: list[str | Block]) -> RawDocument:
    return RawDocument("t.txt", "txt", tuple(b if isinstance(b, Block) else Block(b) for b in blocks))


def _clauses(text: str) -> tuple[Clause, ...]:
    return segment(load_text(text, "t.txt"))


def _find(clauses: tuple[Clause, ...], start: str) -> Clause:
    return next(c for c in clauses if c.text.startswith(start))


# (document, opening words of a clause, number, ref, title)
NUMBERED = [
    (ZH, "第一条", "第一条", "第一条", "服务内容"),
    (ZH, "1. 乙方每周", "1", "第一条 1", None),
    (ZH, "2. 甲方逾期", "2", "第五条 2", None),
    (ZH, "合同总金额", "第二条", "第二条", None),
    (EN, "Article 1", "Article 1", "Article 1", "Services"),
    (EN, "1.1 The Agency", "1.1", "1.1", None),
    (EN, "(b) community", "(b)", "1.1 (b)", "community management"),
    (EN, "Section 3.2", "Section 3.2", "Section 3.2", "Payment"),
    (EN, "The Client shall pay", "Section 3.2", "Section 3.2", None),
    (EN, "ARTICLE IV", "ARTICLE IV", "ARTICLE IV", "TERM"),
]


@pytest.mark.parametrize(("text", "opening", "number", "ref", "title"), NUMBERED, ids=[f"{n[1]}" for n in NUMBERED])
def test_segment_number_ref_and_title(text: str, opening: str, number: str, ref: str, title: str | None) -> None:
    clause = _find(_clauses(text), opening)
    assert (clause.number, clause.ref, clause.title) == (number, ref, title)


# (document, opening words, enclosing headings)
SECTIONS = [
    (ZH, "1. 乙方每周", ("服务内容",)),
    (ZH, "1. 乙方未按", ("违约责任",)),
    (EN, "(a) a content", ("Services", "1.1")),
    (EN, "The term is", ("TERM",)),
]


@pytest.mark.parametrize(("text", "opening", "section"), SECTIONS, ids=[s[1] for s in SECTIONS])
def test_segment_section_holds_enclosing_titles(text: str, opening: str, section: tuple[str, ...]) -> None:
    assert _find(_clauses(text), opening).section == section


def test_segment_levels_nest_by_first_appearance() -> None:
    clauses = _clauses(ZH)
    article, item = _find(clauses, "第五条"), _find(clauses, "2. 甲方逾期")
    assert item.level == article.level + 1


def test_segment_label_prefers_reference() -> None:
    assert _find(_clauses(ZH), "2. 甲方逾期").label == "第五条 2"


def test_segment_page_kept_from_blocks() -> None:
    doc = _doc(
        [
            Block("第一条 服务内容", page=1),
            Block("乙方每周发布3条视频。", page=1),
            Block("第二条 争议解决", page=2),
            Block("提交上海仲裁委员会仲裁。", page=2),
        ]
    )
    assert [c.page for c in segment(doc)] == [1, 1, 2, 2]


def test_segment_word_heading_levels_give_sections() -> None:
    doc = _doc(
        [
            Block("Services", kind="heading", level=1),
            Block("The Agency shall post daily."),
            Block("Volume", kind="heading", level=2),
            Block("Twelve posts per month."),
        ]
    )
    last = segment(doc)[-1]
    assert last.section == ("Services", "Volume")


def test_segment_traditional_characters_numbered_and_normalised() -> None:
    clauses = _clauses("第一條 服務內容\n乙方每週發佈3條原創短視頻。\n第二條 爭議解決\n提交上海仲裁委員會仲裁。")
    body = _find(clauses, "乙方每週")
    assert (body.number, body.section) == ("第一條", ("服務內容",))
    assert body.text == "乙方每週發佈3條原創短視頻。"
    assert body.norm == "乙方每周发布3条原创短视频。"


def test_segment_unnumbered_contract_falls_back_to_paragraphs() -> None:
    paragraphs = [
        "本合同由双方协商签订。",
        "乙方为甲方提供短视频代运营服务，每周发布三条视频。",
        "甲方按月支付服务费。",
    ]
    clauses = segment(_doc(paragraphs))
    assert [c.text for c in clauses] == paragraphs
    assert all(c.number is None and c.ref is None for c in clauses)
    assert [c.label for c in clauses] == ["¶1", "¶2", "¶3"]


def test_segment_hard_wrapped_lines_rejoined() -> None:
    clauses = _clauses(
        "第一条 服务内容\n"
        "乙方应当为甲方提供抖音账号的代运营服务，包括内容策划、\n"
        "拍摄、剪辑和发布，每周不少于3条。\n"
        "第二条 费用"
    )
    body = _find(clauses, "乙方应当")
    assert body.text.endswith("每周不少于3条。")
    assert len(clauses) == 3


def test_segment_hard_wrapped_english_rejoined() -> None:
    clauses = _clauses(
        "1.1 The Agency shall publish twelve (12) posts per month on the Client's\n"
        "Instagram account and report monthly.\n1.2 Fees."
    )
    assert _find(clauses, "1.1").text.endswith("report monthly.")


@pytest.mark.parametrize(
    "before",
    [
        "本合同由以下双方于二〇二四年三月一日在上海市浦东新区签订",  # a long line without an end mark
        "甲方（委托方）：上海云杉商贸有限公司住所地上海市浦东新区张江路一百号",
    ],
)
def test_segment_party_label_line_never_merged(before: str) -> None:
    clauses = _clauses(f"{before}\n乙方（服务方）：杭州青禾文化传媒有限公司\n第一条 服务内容")
    assert _find(clauses, "乙方（服务方）").text == "乙方（服务方）：杭州青禾文化传媒有限公司"


def test_segment_table_rows_kept_apart() -> None:
    doc = _doc(
        [
            Block("第三条 费用"),
            Block("首期 人民币10000元 签约后支付", kind="table_row"),
            Block("尾款 人民币20000元 验收后支付", kind="table_row"),
        ]
    )
    rows = [c for c in segment(doc) if c.kind == "table_row"]
    assert [r.text for r in rows] == ["首期 人民币10000元 签约后支付", "尾款 人民币20000元 验收后支付"]
    assert all(r.number == "第三条" for r in rows)


def test_segment_pipe_table_lines_kept_apart() -> None:
    clauses = _clauses("第三条 费用\n| 阶段 | 金额 | 付款条件\n| 首期 | 1万元 | 签约后\n| 尾款 | 2万元 | 验收后")
    assert len(clauses) == 4


def test_segment_long_heading_not_merged_with_body() -> None:
    clauses = _clauses("ARTICLE 7 TERMINATION AND PENALTIES\nThe Client may terminate this Agreement on notice.")
    assert _find(clauses, "ARTICLE 7").text == "ARTICLE 7 TERMINATION AND PENALTIES"
    assert _find(clauses, "ARTICLE 7").title == "TERMINATION AND PENALTIES"


def test_segment_wrapped_line_opening_with_decimal_rejoined() -> None:
    clauses = _clauses("第五条 违约责任\n乙方逾期交付的，每逾期一日应按当月服务费的\n1.5倍向甲方支付违约金。")
    assert len(clauses) == 2


DOCS = [
    pytest.param(ZH, id="zh"),
    pytest.param(EN, id="en"),
    pytest.param("  第一条  服务内容  \n\t乙方每周发布3条视频。  \n（一）细节\n(1) 更细", id="padded"),
    pytest.param("第一條 服務內容：乙方每週發佈３條視頻，\n長度不少於３０秒。", id="traditional-fullwidth"),
]


@pytest.mark.parametrize("text", DOCS)
def test_segment_offsets_quote_original(text: str) -> None:
    doc = load_text(text, "t.txt")
    clauses = segment(doc)
    assert clauses
    for clause in clauses:
        assert doc.text[clause.start : clause.end] == clause.text
        assert len(clause.norm) == len(clause.text)


@pytest.mark.parametrize("text", DOCS)
def test_segment_indexes_in_order(text: str) -> None:
    clauses = segment(load_text(text, "t.txt"))
    assert [c.index for c in clauses] == list(range(len(clauses)))
    assert all(a.end <= b.start for a, b in zip(clauses, clauses[1:], strict=False))
