"""Normalisation for matching: full-width → half-width, Traditional → Simplified, case and spaces folded.

Every step maps one character to exactly one character, so the normalised text has the same length as
the original and an offset in one is the same offset in the other. That is the whole offset map: evidence
found in the normalised text is quoted from the original at the same span, with nothing to translate.
Numerals and amounts are not rewritten here; analyse.py reads them into values with their spans.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that NFKC would widen or drop, mapped by hand because they must stay one character.
_ONE_TO_ONE = str.maketrans(
    {
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\t": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\uff5e": "~",
        "\u2014": "-",
        "\u2013": "-",
        "\uff0d": "-",
    }
)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _half_width(ch: str) -> str:
    """Full-width ASCII variants (０-９, Ａ-Ｚ, ％, （）, ：, ，) to ASCII, so patterns need one spelling."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    return ch


def _fold_char(ch: str) -> str:
    """Lower-case a character only when that keeps it one character (not 'İ')."""
    low = ch.lower()
    return low if len(low) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC, falling back per character wherever a phrase changes length."""
    converted: str = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


class _FoldTable(dict[int, str]):
    """`str.translate` table of the per-character steps, each character worked out once when first met:
    normalising every clause one character at a time in Python was a tenth of an audit.
    """

    def __missing__(self, code: int) -> str:
        folded = _fold_char(_half_width(chr(code).translate(_ONE_TO_ONE)))
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_HAN = re.compile("[\u4e00-\u9fff]")


def normalise(text: str) -> str:
    """The matching form of `text`: same length, comparable across widths, scripts and cases."""
    text = text.translate(_FOLD)
    if _HAN.search(text):
        text = to_simplified(text)
    return text


def is_traditional(text: str) -> bool:
    """True when converting to Simplified changes a noticeable share of the Chinese characters."""
    han = [ch for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han)
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample), strict=True))
    return changed / len(han) > 0.03


def detect_language(text: str) -> str:
    """'zh' when Han characters make up a meaningful share of the letters, else 'en'."""
    sample = text[:20000]
    han = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return "zh" if han * 3 >= latin * 0.5 and han > 0 else "en"


def nfkc(text: str) -> str:
    """NFKC for short values (names, amounts) where a length change does not matter."""
    return unicodedata.normalize("NFKC", text)
