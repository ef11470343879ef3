"""Segmentation: a loaded document → a flat tuple of clauses, each knowing the headings above it.

One clause per numbered item (第X条, 一、, （一）, 1., 1.1, (a), Article N…) or Word heading; an unnumbered
paragraph becomes its own clause under the nearest numbered one, so evidence still names "第五条".
Nesting is decided by the order in which numbering styles first appear (as a reader would): the first
style seen is the top level, a style first seen inside it nests one deeper. Lines that a plain-text file
hard-wrapped are joined back into the clause they continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import Block, Clause, RawDocument
from auditor.text.normalise import normalise
from auditor.text.numbering import Numbering, match_number

_TERMINAL = tuple("。；;！!？?：:") + (".", "」", "”")
_TITLE_SPLIT = re.compile(r"^(?P<title>[^。；;,，:：.]{1,24}?)\s*[:：.．]\s*(?=\S)")
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fffA-Za-z ()（）]{1,14}[:：]")
_BARE_HEADING = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z &/、]{1,14}$")


@dataclass(slots=True)
class _Open:
    level: int
    number: str | None
    title: str | None


@dataclass(slots=True)
class _Unit:
    """A clause being built: one or more consecutive blocks."""

    start: int
    end: int
    page: int | None
    kind: str
    numbering: Numbering | None
    heading_level: int | None


def _title_of(rest: str, lang_is_zh: bool) -> str | None:
    """Heading words after the number: the whole rest when short, else the words before a colon or period."""
    rest = rest.strip().lstrip(":：-—.．、 ").strip("【】[]")
    if not rest:
        return None
    limit = 20 if lang_is_zh else 60
    if len(rest) <= limit and not rest.endswith(("。", "；", ";")) and (lang_is_zh or len(rest.split()) <= 8):
        return rest.rstrip(":：.").strip() or None
    m = _TITLE_SPLIT.match(rest)
    if m and (lang_is_zh or len(m.group("title").split()) <= 6):
        return m.group("title").strip()
    return None


_WRAPPED_FORMATS = {"txt", "md", "text"}  # PDFs are re-joined by the loader; Word paragraphs are real


def _wrap_width(doc: RawDocument) -> int | None:
    """The width a plain-text file was hard-wrapped at, or None when its lines are whole paragraphs.

    Wrapped files have many lines of nearly the same, modest length; a file with one paragraph per line
    has no such ceiling, and joining its lines would merge headings and party lines into paragraphs.
    """
    if doc.format not in _WRAPPED_FORMATS:
        return None
    lengths = sorted(len(b.text.strip()) for b in doc.blocks if b.text.strip())
    if len(lengths) < 5:
        return 0  # too few lines to tell: fall back to punctuation alone
    width = lengths[int(len(lengths) * 0.9) - 1]
    near = sum(1 for n in lengths if n >= 0.8 * width)
    return width if width <= 120 and near >= len(lengths) * 0.3 else None


_CUT_MID_SENTENCE = re.compile(r"(?:[，,、的和及与或]|\b(?:the|a|an|of|and|or|to|in|on|for|with))$")


def _is_continuation(prev_text: str, block: Block, numbering: Numbering | None, width: int | None) -> bool:
    """A block continues the previous one when the previous was cut by hard wrapping mid-sentence: it ends on
    a comma or a joining word, or (in a wrapped file) it reaches the wrap width without an end mark.
    """
    if numbering is not None or block.kind in {"heading", "table_row"} or not prev_text:
        return False
    if _LABEL_LINE.match(block.text.strip()) or _LABEL_LINE.match(prev_text):
        return False
    if "|" in block.text or "\t" in block.text.strip():
        return False
    prev = prev_text.rstrip()
    if prev.endswith(_TERMINAL):
        return False
    if _CUT_MID_SENTENCE.search(prev) or (block.text[:1].islower() and prev[-1:].isalpha()):
        return True
    if width is None:
        return False
    return len(prev) >= max(20, 0.8 * width)


def _is_title_line(text: str, numbering: Numbering | None) -> bool:
    """A numbered line that is only a heading ("ARTICLE 7 TERMINATION", "第五条 违约责任") is not continued."""
    if numbering is None:
        return False
    rest = text[numbering.end :].strip()
    return len(rest) <= 40 and len(rest.split()) <= 8 and not rest.endswith(_TERMINAL[:-3])


def _units(doc: RawDocument) -> list[_Unit]:
    units: list[_Unit] = []
    prev_text = ""
    width = _wrap_width(doc)
    for block, start in zip(doc.blocks, doc.block_starts(), strict=True):
        stripped = block.text.strip()
        if not stripped:
            continue
        numbering = match_number(stripped)
        end = start + len(block.text)
        prev_is_title = bool(units) and _is_title_line(prev_text, units[-1].numbering)
        if (
            units
            and units[-1].kind != "table_row"
            and not prev_is_title
            and _is_continuation(prev_text, block, numbering, width)
        ):
            units[-1].end = end
        else:
            units.append(_Unit(start, end, block.page, block.kind, numbering, block.level))
        prev_text = stripped
    return units


def segment(doc: RawDocument) -> tuple[Clause, ...]:
    """Split a document into clauses with their numbers, titles and enclosing headings."""
    text = doc.text
    norm = normalise(text)
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in text[:5000])
    style_levels: dict[str, int] = {}
    stack: list[_Open] = []
    clauses: list[Clause] = []
    for unit in _units(doc):
        raw = text[unit.start : unit.end]
        lead = len(raw) - len(raw.lstrip())
        start = unit.start + lead
        raw = raw.strip()
        style, number, rest = _style_of(unit, raw)
        level = len(stack)
        if style is not None:
            if style not in style_levels:
                style_levels[style] = _new_level(stack, style_levels, unit)
            level = style_levels[style]
            while stack and stack[-1].level >= level:
                stack.pop()
        title = _title_of(rest, zh) if style is not None else None
        section = tuple(o.title or o.number or "" for o in stack)
        inherited = next((o.number for o in reversed(stack) if o.number), None)
        ref = _reference(stack, number) if number is not None else inherited
        end = start + len(raw)
        clauses.append(
            Clause(
                index=len(clauses),
                number=number if number is not None else inherited,
                title=title,
                level=level,
                start=start,
                end=end,
                text=raw,
                norm=norm[start:end],
                page=unit.page,
                section=section,
                kind=unit.kind,  # type: ignore[arg-type]
                ref=ref,
            )
        )
        if style is not None:
            stack.append(_Open(level, ref if number is not None else None, title))
    return tuple(clauses)


def _reference(stack: list[_Open], number: str) -> str:
    """A clause's full reference ("第五条 2" for item 2 under 第五条).

    Dotted numbers ("5.2") and articles already say where they are.
    """
    parent = next((o.number for o in reversed(stack) if o.number), None)
    if parent is None or "." in number or number.startswith(("第", "Article", "Section", "article", "section")):
        return number
    return f"{parent} {number}"


def _style_of(unit: _Unit, raw: str) -> tuple[str | None, str | None, str]:
    """(numbering style, printed number, text after the number) for a unit; style None for plain text."""
    first_line = raw.split("\n", 1)[0]
    if unit.numbering is not None:
        n = unit.numbering
        return n.style, n.number, raw[n.end :] if len(first_line) >= n.end else ""
    if unit.kind == "heading":
        return f"heading{unit.heading_level or 1}", None, raw
    if _BARE_HEADING.match(first_line) and "\n" not in raw:
        return "bare_heading", None, raw
    return None, None, raw


def _new_level(stack: list[_Open], style_levels: dict[str, int], unit: _Unit) -> int:
    """Level for a style seen for the first time: chapters and articles sit above list styles."""
    n = unit.numbering
    if n is not None and n.rank <= 1:
        above = [lvl for s, lvl in style_levels.items() if s.startswith(("chapter", "heading"))]
        below = [lvl for s, lvl in style_levels.items() if not s.startswith(("chapter", "heading"))]
        if n.rank == 0:
            return 0
        if below and not above:
            return min(below)
    return len(stack)
