"""Clause-number recognition shared by the loader (where does a paragraph start?) and the segmenter.

Numbering styles, most to least significant: 第X章/第X部分 (chapter), 第X条 / Article N / Section N (article),
一、 (Chinese list), （一） (parenthesised Chinese), 1. / 1、 / 1.1 / 1.1.1 (arabic, depth by dots), (1) / （1）,
(a) / a) / (i). The *level* returned is a rank, not a depth in a particular contract: the segmenter turns
ranks into a tree by the order in which styles appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_NUM = "零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰"
_CN_NUM_T = "貳參陸"  # Traditional forms not covered by the Simplified set

_STYLES: tuple[tuple[str, int, str], ...] = (
    # (name, rank, pattern): the pattern must match at the start of a stripped line
    ("annex", 0, rf"(?:附件|附表|附录)\s*[{_CN_NUM}\d]+|(?i:exhibit|schedule|annex|appendix)\s+(?:[A-Z]|\d{{1,2}})\b"),
    ("chapter_zh", 0, rf"第[{_CN_NUM}{_CN_NUM_T}\d]+(?:部分|[章部篇节節])(?![a-zA-Z])"),
    ("article_zh", 1, rf"第[{_CN_NUM}{_CN_NUM_T}\d]+[条條款](?![款项])"),
    ("article_en", 1, r"(?i:article|section|clause)\s+(?:\d+(?:\.\d+)*|[IVXLC]+)\b\.?"),
    ("list_zh", 2, rf"[{_CN_NUM}{_CN_NUM_T}]+\s*[、．.](?!\d)"),
    ("paren_zh", 3, rf"[（(][{_CN_NUM}{_CN_NUM_T}]+[）)]"),
    ("dotted3", 5, r"\d{1,2}\.\d{1,2}\.\d{1,2}(?![\d%])\.?"),
    ("dotted2", 4, r"\d{1,2}\.\d{1,2}(?![\d%])\.?"),
    ("arabic", 3, r"\d{1,2}\s*(?:[、．]|\.(?!\d)|\)|）)"),
    ("paren_arabic", 5, r"[（(]\d{1,2}[）)]"),
    ("circled", 6, r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"),
    ("paren_alpha", 6, r"\((?:[a-z]|[ivx]{1,4})\)|(?:[a-z])\)"),
)

_COMPILED = tuple((name, rank, re.compile(r"^\s*(" + pat + r")")) for name, rank, pat in _STYLES)


@dataclass(frozen=True, slots=True)
class Numbering:
    """A clause number found at the start of a line."""

    style: str
    rank: int
    number: str  # as printed, trimmed ("第五条", "5.2", "（一）")
    end: int  # offset in the line just after the number


def match_number(line: str) -> Numbering | None:
    """The clause number that opens `line`, or None.

    A bare arabic number followed by a unit or a date ("2024年", "3条", "10%") is not a clause number.
    """
    for name, rank, rx in _COMPILED:
        m = rx.match(line)
        if not m:
            continue
        rest = line[m.end() :]
        if name == "arabic" and re.match(r"\s*[年月日%％万元]", rest):
            continue
        if name in {"dotted2", "dotted3"} and re.match(r"\s*(?:[%％万元倍天日年月秒]|小时|个|分钟|km|kg)", rest):
            continue
        number = m.group(1).strip().rstrip("、．.:：")
        if name == "arabic":
            number = re.sub(r"\s+", "", number).rstrip(")）")
        return Numbering(style=name, rank=rank, number=number, end=m.end())
    return None


def starts_new_clause(line: str) -> bool:
    """True when `line` opens with a clause number, so a loader must not join it to the line before."""
    return match_number(line) is not None


# Where a numbered clause starts inside a run-on line: after a sentence end or an all-caps heading, a dotted
# number, then a capital or an opening bracket ("… survive termination. 10. MISCELLANEOUS 10.1 The Parties …").
_INLINE_NUMBER = re.compile(
    r"(?:(?<=[.;:!?)\]])|(?<=[A-Z]{4}))\s+"  # after a sentence end or an all-caps heading word
    r"(?P<n>\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(?=[A-Z(\[\"“])"
)
_LEADING_NUMBER = re.compile(r"^\s*(?:(?:article|section|clause)\s+)?(?P<n>\d{1,2}(?:\.\d{1,2}){0,2})\b", re.IGNORECASE)
RUN_ON = 400  # a line this long may hold several numbered clauses (filed contracts flattened to one line)


def _parts(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split("."))


def _follows(prev: tuple[int, ...], nxt: tuple[int, ...]) -> bool:
    """True when `nxt` is a plausible next clause number after `prev`: the next sibling at some depth, or
    the first child (9.4 → 9.5, 10, 10.1; 3 → 3.1; not 9.4 → 2 or → 15).
    """
    if nxt == (*prev, 1) or (len(nxt) == len(prev) + 1 and nxt[:-1] == prev and nxt[-1] <= 2):
        return True
    for depth in range(len(prev), 0, -1):
        if nxt[: depth - 1] == prev[: depth - 1] and len(nxt) >= depth and nxt[depth - 1] == prev[depth - 1] + 1:
            return all(x <= 1 for x in nxt[depth:])
    return False


def split_run_on(line: str) -> list[str]:
    """A long line cut where numbered clauses start inside it, when the numbers run in sequence.

    Filed contracts often reach us as one line per section; cutting at "… 10.1 The Parties" and
    "… 10.2 IN NO EVENT" gives each clause its own number, so evidence, headings and forum clauses are read
    clause by clause. A number out of sequence (a cross-reference, an amount) is not a cut.
    """
    if len(line) < RUN_ON:
        return [line]
    lead = _LEADING_NUMBER.match(line)
    prev = _parts(lead.group("n")) if lead else None
    cuts = []
    for m in _INLINE_NUMBER.finditer(line):
        number = _parts(m.group("n"))
        if prev is None or _follows(prev, number):
            cuts.append(m.start("n"))
            prev = number
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [piece for a, b in zip(bounds, bounds[1:], strict=False) if (piece := line[a:b].strip())]
