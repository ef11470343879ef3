"""Normalisation (auditor/normalise.py): one character in, one character out, so offsets in the matching
form are offsets in the original; widths, scripts and case folded; language and script detected.
"""

from __future__ import annotations

import pytest

from auditor.text.normalise import detect_language, is_traditional, normalise, to_simplified

TRICKY = [
    "ＡＢＣ１２３％（）：，",  # full-width ASCII
    "第五條 違約責任：乙方應當於每週發佈三條原創短視頻",  # Traditional phrases
    "臺灣桃園地方法院 後臺數據為準 頭髮 發展 乾隆",  # characters whose Simplified form depends on the phrase
    "甲方\u3000乙方\u00a0丙方\u2002\u2003\u2009\t",  # ideographic and other spaces
    "İstanbul İİ ß ﬁ",  # lower() would lengthen these
    "“引号”‘x’～—–－",  # curly quotes and dashes
    "ⅠⅡⅢ ① ㈠ ㊀ Ω K Å",  # compatibility characters NFKC would rewrite
    "👍 𠀀 emoji and astral",
    "人民币叁万陆仟元整（￥36,000.00）",
    "",
    "\r\n\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


@pytest.mark.parametrize("text", TRICKY)
def test_normalise_to_simplified_keeps_length(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


@pytest.mark.parametrize("text", TRICKY)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


# (original, matching form)
FOLDED = [
    ("ＡＢＣ１２３％（）：，", "abc123%():,"),
    ("第五條 違約責任", "第五条 违约责任"),
    ("乙方應當於每週發佈三條原創短視頻", "乙方应当于每周发布三条原创短视频"),
    ("甲方\u3000乙方", "甲方 乙方"),
    ("“引号”～—", '"引号"~-'),
    ("Liquidated DAMAGES", "liquidated damages"),
    ("İstanbul", "İstanbul"),
]


@pytest.mark.parametrize(("text", "expected"), FOLDED)
def test_normalise_folds(text: str, expected: str) -> None:
    assert normalise(text) == expected


# (Traditional, Simplified)
SIMPLIFIED = [
    ("違約責任", "违约责任"),
    ("臺灣", "台湾"),
    ("後臺數據為準", "后台数据为准"),
    ("仲裁委員會", "仲裁委员会"),
    ("已经是简体", "已经是简体"),
]


@pytest.mark.parametrize(("text", "expected"), SIMPLIFIED)
def test_normalise_to_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


LANGUAGES = [
    ("甲方应当按月支付服务费。", "zh"),
    ("第五條 違約責任", "zh"),
    ("This Agreement is made between the Client and the Agency.", "en"),
    ("服务合同 Service Agreement 甲方 Client 乙方 Agency", "zh"),  # bilingual: Chinese governs
    ("The Client (甲方) shall pay the Agency monthly within thirty days of each invoice.", "en"),
    ("", "en"),
]


@pytest.mark.parametrize(("text", "lang"), LANGUAGES)
def test_normalise_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


SCRIPTS = [
    ("乙方應當於每週發佈三條原創短視頻", True),
    ("乙方应当于每周发布三条原创短视频", False),
    ("The Agency shall post weekly.", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "traditional"), SCRIPTS)
def test_normalise_is_traditional(text: str, traditional: bool) -> None:
    assert is_traditional(text) is traditional
