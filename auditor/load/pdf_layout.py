"""Page layout to blocks: running headers and page numbers dropped, wrapped lines joined, tables kept.

Shared by PDF text layers and OCR lines (scans and photos), which are turned into the same `Line`s.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from auditor.load import ocr
from auditor.model import Block, BlockKind
from auditor.text.numbering import match_number, starts_new_clause

# --- PDF ---------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-–—~\s]*\d{1,4}[-–—~\s]*                                   # 3, - 3 -, — 3 —
      | (?:page|p\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?          # Page 3, Page 3 of 10
      | \d{1,4}\s*(?:/|of)\s*\d{1,4}                                # 3/10, 3 of 10
      | 第\s*[\d一二三四五六七八九十百〇零]+\s*页
        (?:\s*[,，/]?\s*共\s*[\d一二三四五六七八九十百〇零]+\s*页)?  # 第 3 页 共 10 页
      | 共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页               # 共 10 页 第 3 页
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_TERMINAL = re.compile(r"[。；！？：:;.!?…][)）」』”’\"'\]】]*$")
_CJK_STOP = re.compile(r"[。；！？：][)）」』”’\]】]*$")  # Chinese lines fill to the margin unless a paragraph ends
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers or footers

Char = tuple[str, float, float, float, float, float, bool, bool, bytes]
"""One character as the layout rules read it, a tuple because a page holds thousands of them:
(text, x0, x1, size, top, bottom, upright, horizontal, font name); the indices below name the fields.
"""
TEXT: Final = 0
X0: Final = 1
X1: Final = 2
SIZE: Final = 3
TOP: Final = 4
BOTTOM: Final = 5
UPRIGHT: Final = 6  # pdfminer's test: no mirror, no quarter turn
HORIZONTAL: Final = 7  # not rotated (a synthetic italic's shear is allowed)
FONT: Final = 8


@dataclass(frozen=True, slots=True)
class Line:
    """One text line of a PDF page with the geometry the joining rules need."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    page_width: float
    page_height: float
    size: float  # median font size of its characters
    first_width: float  # width of its first word (first character for Chinese)
    cells: tuple[tuple[float, str], ...]  # (x0, text) of each column when wide gaps split it, else ()


_OCR_BOX_HEIGHT = 1.2  # an OCR box is about this many times the font size high


def ocr_line(row: Sequence[ocr.OcrWord], page: int, width: float, height: float) -> Line:
    """An OCR row as a PDF text line, so the PDF rules join it into paragraphs and table rows.

    Each word's characters are spread over its box (a Chinese character twice as wide as a Latin one)
    to stand in for the character positions a text layer gives.
    """
    size = median([word.height for word in row]) / _OCR_BOX_HEIGHT
    chars = [char for word in row for char in _spread_chars(word, size)]
    text = row[0].text
    for prev, word in zip(row, row[1:], strict=False):
        text += (" " if word.x0 - prev.x1 > size * 0.2 else "") + word.text
    return Line(
        text=text,
        page=page,
        x0=row[0].x0,
        x1=row[-1].x1,
        top=min(word.top for word in row),
        bottom=max(word.bottom for word in row),
        page_width=width,
        page_height=height,
        size=size,
        first_width=first_word_width(chars),
        cells=line_cells(chars, size),
    )


def _spread_chars(word: ocr.OcrWord, size: float) -> list[Char]:
    """Pseudo characters for the visible characters of an OCR box, spread over its width."""
    weights = [1.0 if is_cjk(ch) else 0.3 if ch == " " else 0.55 for ch in word.text]
    unit = (word.x1 - word.x0) / sum(weights)
    chars: list[Char] = []
    x = word.x0
    for ch, weight in zip(word.text, weights, strict=True):
        if ch != " ":
            chars.append((ch, float(x), float(x + weight * unit), size, word.top, word.bottom, True, True, b""))
        x += weight * unit
    return chars


def median(values: list[float]) -> float:
    """The median, as `statistics.median` computes it (whose import costs more than a page's layout)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def first_word_width(chars: Sequence[Char]) -> float:
    """Width of the first word: had it fitted on the line before, the layout would have put it there."""
    first = chars[0]
    end = first[X1]
    if not is_cjk(first[TEXT]):
        for prev, char in zip(chars, chars[1:], strict=False):
            if is_cjk(char[TEXT]) or char[X0] - prev[X1] > prev[SIZE] * 0.2:
                break
            end = char[X1]
    return end - first[X0]


def line_cells(chars: Sequence[Char], size: float) -> tuple[tuple[float, str], ...]:
    """Split a line at gaps wider than 1.5 characters: such a line is a table row, not prose.

    A list number followed by a tab stop leaves such a gap too, so a leading number is not a cell.
    Most lines have no such gap, and are only measured.
    """
    wide = size * 1.5
    if not any(char[X0] - prev[X1] > wide for prev, char in zip(chars, chars[1:], strict=False)):
        return ()
    groups: list[list[str]] = [[chars[0][TEXT]]]
    starts = [chars[0][X0]]
    for prev, char in zip(chars, chars[1:], strict=False):
        gap = char[X0] - prev[X1]
        if gap > wide:
            groups.append([char[TEXT]])
            starts.append(char[X0])
            continue
        if gap > size * 0.2:
            groups[-1].append(" ")
        groups[-1].append(char[TEXT])
    cells = [(start, "".join(group).strip()) for start, group in zip(starts, groups, strict=True)]
    if len(cells) > 1 and _is_marker(cells[0][1]):  # "1.1 <tab> text": a list number, not a column
        cells[:2] = [(cells[0][0], f"{cells[0][1]} {cells[1][1]}")]
    return tuple(cells) if len(cells) > 1 else ()


def _is_marker(text: str) -> bool:
    """True for a bare clause number ("1.1", "第三条", "（二）") or a bullet sign."""
    number = match_number(text)
    return (number is not None and not text[number.end :].strip()) or (len(text) == 1 and not text.isalnum())


def drop_furniture(pages: Sequence[Sequence[Line]]) -> list[Line]:
    """Body lines of all pages in order, without page numbers and running headers/footers.

    A header or footer is a line near the top or bottom of a page whose text (digits ignored, so a
    page number inside it may vary) appears at about the same height on at least half the pages.
    """
    threshold = max(2, math.ceil(sum(1 for lines in pages if lines) / 2))
    seen: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    edges: dict[tuple[int, int], tuple[str, str, float]] = {}
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if i < _EDGE_LINES:
                zone, pos = "top", line.top
            elif i >= len(lines) - _EDGE_LINES:
                zone, pos = "bottom", line.page_height - line.bottom
            else:
                continue
            key = re.sub(r"\d+", "#", "".join(line.text.split())).lower()
            seen[key, zone].append((p, pos))
            edges[p, i] = (key, zone, pos)

    def is_furniture(p: int, i: int, line: Line) -> bool:
        if (p, i) not in edges:
            return False
        if _PAGE_NUMBER.match(line.text):
            return True
        key, zone, pos = edges[p, i]
        return len({page for page, other in seen[key, zone] if abs(other - pos) <= 4}) >= threshold

    return [line for p, lines in enumerate(pages) for i, line in enumerate(lines) if not is_furniture(p, i, line)]


def pdf_blocks(lines: Sequence[Line]) -> list[Block]:
    """Group lines into paragraphs and table rows; a block keeps the page it starts on, even across pages."""
    if not lines:
        return []
    body_size = median([line.size for line in lines])
    pitch = _line_pitch(lines)
    left, right = _margins(lines)
    blocks: list[Block] = []
    current: list[Line] = []
    row: list[list[Any]] = []  # [x0, text] per cell of the table row being read
    current_kind: BlockKind = "paragraph"

    def flush() -> None:
        if current:
            text = (
                " | ".join(cell[1] for cell in row) if current_kind == "table_row" else _join([x.text for x in current])
            )
            blocks.append(Block(text, kind=current_kind, page=current[0].page))

    for line in lines:
        width = round(line.page_width)
        # a wider gap than usual between two lines (paragraph spacing) always ends a block
        close = bool(current) and (current[-1].page != line.page or line.top - current[-1].top <= pitch * 1.3)
        if current_kind == "table_row" and close and _continues_row(row, line):
            current.append(line)
            continue
        kind: BlockKind = "paragraph"
        if line.cells:
            kind = "table_row"
        elif _heading_like(line, body_size, left[width], right[width]):
            kind = "heading"
        if kind == current_kind == "paragraph" and close and _continues(current[-1], line, right):
            current.append(line)
            continue
        flush()
        current, current_kind = [line], kind
        row = [[x0, text] for x0, text in line.cells]
    flush()
    return blocks


def _line_pitch(lines: Sequence[Line]) -> float:
    """The distance between the tops of lines within a paragraph; more than that separates paragraphs.

    Taken low in the distribution (the 20th percentile): the steps between short paragraphs can
    outnumber those inside them, and a few odd lines (superscripts) must not set it either.
    """
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and b.top > a.top)
    return steps[len(steps) // 5] if steps else math.inf


def _continues_row(row: list[list[Any]], line: Line) -> bool:
    """Add `line` to the table row above when its text starts in a later column: a cell that wrapped.

    Each piece of the line is appended to the cell whose left edge it shares.
    """
    pieces = line.cells or ((line.x0, line.text),)
    if pieces[0][0] <= row[0][0] + line.size:
        return False  # text in the first column starts a new row (or leaves the table)
    targets = []
    for x0, _ in pieces:
        cell = min(row, key=lambda c: abs(c[0] - x0))
        if abs(cell[0] - x0) > line.size:
            return False
        targets.append(cell)
    for cell, (_, text) in zip(targets, pieces, strict=True):
        cell[1] = _join([cell[1], text])
    return True


def _margins(lines: Sequence[Line]) -> tuple[dict[int, float], dict[int, float]]:
    """Left and right text edges per page width, where wrapped lines start and end.

    The right edge is where lines end most often at their longest; when fewer than three lines get
    there, nothing wrapped and the longest line says nothing, so the margins are assumed symmetric.
    """
    groups: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        groups[round(line.page_width)].append(line)
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for width, group in groups.items():
        left[width] = min(line.x0 for line in group)
        longest = max(line.x1 for line in group)
        reaching = sum(1 for line in group if line.x1 >= longest - line.size)
        right[width] = longest if reaching >= 3 else max(longest, width - left[width])
    return left, right


def _heading_like(line: Line, body_size: float, left: float, right: float) -> bool:
    """A short line set in a larger font, or centred between the margins, such as a title."""
    if len(line.text) > 60:
        return False
    if line.size >= body_size * 1.15:
        return True
    indent, trail = line.x0 - left, right - line.x1
    return len(line.text) <= 40 and indent > 2 * line.size and abs(indent - trail) <= 2 * line.size


def _continues(prev: Line, line: Line, right: dict[int, float]) -> bool:
    """Whether `line` continues the paragraph that `prev` ends.

    `prev` ended its paragraph if the first word of `line` would have fitted in the space left at its
    end (half a character is enough after a Chinese full stop, as Chinese text fills every line), or
    if `prev` ends a sentence and `line` either is indented further (a first-line indent) or opens a
    new numbered clause.
    """
    room = right[round(prev.page_width)] - prev.x1
    if room > line.first_width + prev.size or (room > 0.5 * prev.size and _CJK_STOP.search(prev.text)):
        return False
    if line.x0 > prev.x0 + 0.8 * line.size and _TERMINAL.search(prev.text) and not _opens_item(prev.text):
        return False  # a first-line indent; after a list number it is the hanging indent of the item
    return not (starts_new_clause(line.text) and _TERMINAL.search(prev.text))


def _opens_item(text: str) -> bool:
    """True for a line that starts with a clause number or a bullet, whose next lines may be indented."""
    return starts_new_clause(text) or text[0] in "•·▪●○■□◆◇➢-–*"


def _join(lines: Sequence[str]) -> str:
    """Re-join wrapped lines: no space in Chinese, a space in English, "exam-" + "ple" → "example"."""
    pieces = [lines[0]]
    for line in lines[1:]:
        prev = pieces[-1]
        if re.search(r"[a-z]-$", prev) and line[:1].islower():
            pieces[-1] = prev[:-1]
            pieces.append(line)
        elif is_cjk(prev[-1]) or is_cjk(line[0]):
            pieces.append(line)
        else:
            pieces.append(f" {line}")
    return "".join(pieces)


def is_cjk(ch: str) -> bool:
    """Chinese characters and full-width punctuation, between which a line break adds no space."""
    code = ord(ch[0]) if ch else 0
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or ch in "“”‘’"
    )
