"""The standard-form reader gives cn2an's value for every string it accepts, and accepts every number up
to 200,000 as cn2an writes it (everyday and banking numerals, with 两 for 二).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.analyse.numerals import chinese_decimal, chinese_integer

cn2an = pytest.importorskip("cn2an")
ALPHABET = "零一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟万亿"


@pytest.mark.parametrize("mode", ["low", "up"])
def test_every_number_as_cn2an_writes_it_is_read(mode: str) -> None:
    numbers = [*range(200_001), 10**8, 10**8 + 5, 100_010_001, 123_456_789_012, 999_999_999_999]
    assert [chinese_integer(cn2an.an2cn(n, mode)) for n in numbers] == numbers


def test_two_written_as_liang_is_read() -> None:
    for n in (2, 200, 2_000, 20_000, 22_222):
        written = cn2an.an2cn(n, "low").replace("二", "两")
        assert chinese_integer(written) == n == cn2an.cn2an(written, "smart")


def test_traditional_banking_digits_folded_to_simplified_are_read() -> None:
    # 參拾陸萬 folds to 参拾陆万 (OpenCC maps 參 to 参, not to the banking 叁)
    written = ("参拾陆万", "贰拾参万伍仟", "参佰", "叁拾陆万")
    assert [chinese_integer(s) for s in written] == [360_000, 235_000, 300, 360_000]


def _agrees_with_cn2an(text: str) -> bool:
    value = chinese_integer(text)
    return value is None or value == cn2an.cn2an(text, "smart")


def test_every_short_string_accepted_means_what_cn2an_reads() -> None:
    strings = ("".join(p) for n in (1, 2, 3) for p in itertools.product(ALPHABET, repeat=n))
    assert [s for s in strings if not _agrees_with_cn2an(s)] == []


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(ALPHABET), min_size=4, max_size=14))
def test_longer_strings_accepted_mean_what_cn2an_reads(text: str) -> None:
    assert _agrees_with_cn2an(text)


def test_banking_numerals_may_open_with_shi_as_everyday_ones_do() -> None:
    for n in (10, 15, 100_000, 120_000, 190_500):
        written = cn2an.an2cn(n, "up").removeprefix("壹")
        assert chinese_integer(written) == n == cn2an.cn2an(written, "smart")


def test_every_decimal_as_cn2an_writes_it_is_read() -> None:
    numbers = [i + f / 100 for i in (*range(0, 120), 1_000, 25_000) for f in range(0, 100, 5) if f]
    for mode in ("low", "up"):
        written = [cn2an.an2cn(x, mode) for x in numbers]
        assert [chinese_decimal(s) for s in written] == [cn2an.cn2an(s, "smart") for s in written]


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(ALPHABET), min_size=1, max_size=6), st.text(st.sampled_from(ALPHABET), max_size=4))
def test_decimals_accepted_mean_what_cn2an_reads(whole: str, fraction: str) -> None:
    text = f"{whole}点{fraction}"
    value = chinese_decimal(text)
    assert value is None or value == cn2an.cn2an(text, "smart")
