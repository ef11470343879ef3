"""Word list numbering: the labels ("第一条", "1.1", "（三）") Word draws but does not store as text."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_VAL = f"{W}val"


def xml_val(element: Any, path: str, attr: str = "val") -> str | None:
    """A w: attribute of the element at `path` ("pPr/pStyle"), or of `element` itself when `path` is ""."""
    node = element.find("/".join(f"{W}{tag}" for tag in path.split("/"))) if path else element
    return node.get(f"{W}{attr}") if node is not None else None


def xml_int_val(element: Any, path: str, default: int, attr: str = "val") -> int:
    """An integer w: attribute, or `default` when it is absent or malformed."""
    value = xml_val(element, path, attr)
    return int(value) if value is not None and value.isdigit() else default


@dataclass(frozen=True, slots=True)
class _NumLevel:
    """One level of a Word list definition: start value, format, template ("第%1条") and suffix.

    `legal` (w:isLgl) shows every number in the template as decimal: "1.1" under "第一条".
    """

    start: int
    fmt: str
    template: str
    suffix: str
    legal: bool


def _level_format(lvl: Any) -> _NumLevel:
    """Read a w:lvl element; Word puts a tab after the number unless w:suff says otherwise."""

    def value(tag: str, default: str) -> str:
        node = lvl.find(f"{W}{tag}")
        return node.get(W_VAL, default) if node is not None else default

    start = value("start", "1")
    return _NumLevel(
        start=int(start) if start.isdigit() else 1,
        fmt=value("numFmt", "decimal"),
        template=value("lvlText", ""),
        suffix="" if value("suff", "tab") == "nothing" else " ",
        legal=lvl.find(f"{W}isLgl") is not None and value("isLgl", "1") not in {"0", "false"},
    )


_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    )
)


def chinese_count(n: int, *, legal: bool = False) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (legal: 壹拾, 贰佰…), as Word numbers Chinese lists."""
    if not 0 < n < 10_000:
        return str(n)
    digits = "零壹贰叁肆伍陆柒捌玖" if legal else "零一二三四五六七八九"
    units = ("", "拾", "佰", "仟") if legal else ("", "十", "百", "千")
    out, pending_zero = "", False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        out += (digits[0] if pending_zero else "") + digits[digit] + units[power]
        pending_zero = False
    return out[1:] if not legal and out.startswith("一十") else out


def _roman(n: int) -> str:
    """Upper-case roman numeral for list numbers."""
    out = ""
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out += digits * count
    return out


_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_NUMBER_FORMATS: dict[str, Callable[[int], str]] = {  # Word's w:numFmt values; others print as decimal
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "chineseCounting": chinese_count,
    "chineseCountingThousand": chinese_count,
    "taiwaneseCounting": chinese_count,
    "taiwaneseCountingThousand": chinese_count,
    "chineseLegalSimplified": functools.partial(chinese_count, legal=True),
    "ideographTraditional": lambda n: _HEAVENLY_STEMS[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "ideographEnclosedCircle": lambda n: chr(0x3220 + n - 1) if 1 <= n <= 10 else str(n),
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else str(n),
}


class ListNumbers:
    """Word's automatic paragraph numbering ("第一条", "1.2", "（三）"), which is not in the text runs.

    Without it a contract numbered by Word loses the clause numbers the segmenter relies on. Covers the
    formats contracts use; bullets are dropped, counters are kept per list instance (w:num), and lists
    defined through numbering styles (w:numStyleLink) are not followed.
    """

    def __init__(self, document: DocxDocument) -> None:
        self._lists: dict[str, dict[int, _NumLevel]] = {}
        self._counters: dict[str, dict[int, int]] = defaultdict(dict)
        self._by_style: dict[str, tuple[str, int]] = {}
        for style in document.styles:
            num_id = xml_val(style.element, "pPr/numPr/numId")
            if num_id:
                ilvl = xml_int_val(style.element, "pPr/numPr/ilvl", 0)
                self._by_style[style.style_id] = (num_id, ilvl)
        try:
            part = document.part.part_related_by(RT.NUMBERING)
        except KeyError:
            return
        if not isinstance(part, XmlPart):
            return
        root = part.element
        abstract = {
            node.get(f"{W}abstractNumId", ""): {
                xml_int_val(lvl, "", 0, attr="ilvl"): _level_format(lvl) for lvl in node.iter(f"{W}lvl")
            }
            for node in root.iter(f"{W}abstractNum")
        }
        for num in root.iter(f"{W}num"):
            levels = dict(abstract.get(xml_val(num, "abstractNumId") or "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = xml_int_val(override, "", 0, attr="ilvl")
                for lvl in override.iter(f"{W}lvl"):
                    levels[ilvl] = _level_format(lvl)
                start = xml_int_val(override, "startOverride", 0)
                if start and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=start)
            self._lists[num.get(f"{W}numId", "")] = levels

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph `p` ("" if none), advancing the list's counters."""
        num_id = xml_val(p, "pPr/numPr/numId")
        style = xml_val(p, "pPr/pStyle")
        style_num, style_ilvl = self._by_style.get(style or "", (None, 0))
        num_id = num_id or style_num
        levels = self._lists.get(num_id or "")
        ilvl = xml_int_val(p, "pPr/numPr/ilvl", style_ilvl)
        if not levels or ilvl not in levels or num_id is None:
            return ""
        counters = self._counters[num_id]
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if levels[ilvl].fmt in {"bullet", "none"}:
            return ""

        def number(m: re.Match[str]) -> str:
            level = levels.get(int(m.group(1)) - 1)
            if level is None:
                return ""
            value = counters.get(int(m.group(1)) - 1, level.start)
            return str(value) if levels[ilvl].legal else _NUMBER_FORMATS.get(level.fmt, str)(value)

        text = re.sub(r"%([1-9])", number, levels[ilvl].template)
        return f"{text}{levels[ilvl].suffix}" if text else ""
