"""PDF: characters and their geometry read through pypdfium2, scanned pages sent to OCR, then the layout rules.

PDFium parses the page in C; only the characters come into Python, and of each only what the layout
rules use (text, left and right edge, baseline, size, whether it is turned). They are grouped into lines
the way pdfplumber's `extract_text_lines` did when this loader used it (same tolerances, same word
breaks), so every PDF loads to the same document (tests/test_pdf_documents.py) in a fraction of the time.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, TypeVar

from auditor.load import ocr
from auditor.load.limits import check_pdf_chars, check_pdf_pages, render_scale
from auditor.load.pdf_layout import (
    BOTTOM,
    FONT,
    HORIZONTAL,
    SIZE,
    TEXT,
    TOP,
    UPRIGHT,
    X0,
    X1,
    Char,
    Line,
    drop_furniture,
    first_word_width,
    line_cells,
    median,
    ocr_line,
    pdf_blocks,
)
from auditor.load.source import LoadError, Source
from auditor.load.text import blocks_or_fail
from auditor.model import RawDocument

T = TypeVar("T")


def read_pdf(src: Source) -> RawDocument:
    """Page text with page numbers, headers/footers removed and layout-wrapped lines re-joined."""
    pdf = _open(src)
    pages: list[list[Line]] = []
    scanned: dict[int, float] = {}  # page number → pixels per point to render it at for OCR
    chars = 0
    try:
        check_pdf_pages(src, len(pdf))
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            textpage = page.get_textpage()
            try:
                on_page = textpage.count_chars()
                check_pdf_chars(src, number, on_page, chars)
                chars += on_page
                pages.append(_page_lines(page, textpage, number))
                if _needs_ocr(page, pages[-1]):
                    scanned[number] = render_scale(src, number, page.get_width(), page.get_height(), ocr.DPI)
            finally:
                textpage.close()
                page.close()  # one page in memory at a time, however long the PDF
    finally:
        pdf.close()
    warnings = [
        f"Page {number} was read by OCR at {scale * 72:.0f} dpi, not {ocr.DPI}: it is too large for more."
        for number, scale in scanned.items()
        if scale < ocr.DPI / 72
    ]
    unread: list[int] = []
    unavailable = ocr.missing() if scanned else None
    if unavailable and not any(pages):
        raise LoadError(f"{src.name}: the PDF has no text layer (it looks scanned); {unavailable}")
    if unavailable:
        missing = "no text layer (scanned images?); OCR could not run, so that text is missing."
        warnings = [f"{_pages_phrase(list(scanned))} {missing} {unavailable}"]
        unread, scanned = list(scanned), {}
    for number, lines in _ocr_pdf_pages(src, scanned):
        pages[number - 1] = lines
    if scanned:
        warnings.append(f"{_pages_phrase(list(scanned), 'were')} read by OCR. {OCR_CAVEAT}")
    blank = [n for n, lines in enumerate(pages, start=1) if not lines and n not in scanned and n not in unread]
    if blank:
        warnings.append(f"{_pages_phrase(blank, 'are')} blank.")
    blocks = blocks_or_fail(pdf_blocks(drop_furniture(pages)), src.name)
    return RawDocument(
        name=src.name,
        format="pdf",
        blocks=blocks,
        pages=len(pages),
        warnings=tuple(warnings),
        ocr_pages=tuple(scanned),
    )


def _pdfium() -> Any:
    import pypdfium2

    return pypdfium2


def _open(src: Source) -> Any:
    """The PDF opened by PDFium from memory; a missing or wrong password is one clear line."""
    pdfium = _pdfium()
    try:
        return pdfium.PdfDocument(src.data, password=src.password or None)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) != pdfium.raw.FPDF_ERR_PASSWORD:
            raise
        if src.password:
            raise LoadError(f"{src.name}: wrong password for this encrypted PDF") from exc
        raise LoadError(f"{src.name}: the PDF is password-protected; pass its password with --password") from exc


OCR_CAVEAT = "OCR text may contain errors: check quoted evidence against the original."
_SCAN_COVER = 0.5  # share of a page an image must cover for the page to count as a scan
_FEW_CHARS = 30  # a text layer this short on a scanned page is a stamp or a page number, not the text


def _needs_ocr(page: Any, lines: Sequence[Line]) -> bool:
    """True when only OCR can read the page: it draws something but has no text layer, or its text
    layer is a few characters (a page number, a stamp) on top of a page-sized image.

    The page's objects (Form XObjects opened) are only walked for a page with little or no text.
    """
    if lines and sum(len(line.text) for line in lines) >= _FEW_CHARS:
        return False
    raw = _pdfium().raw
    drawn = [obj for obj in page.get_objects() if obj.type in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH)]
    if not lines:
        return bool(drawn)
    area = float(page.get_width()) * float(page.get_height())
    covered = 0.0
    for obj in drawn:
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_pos()
            covered += (right - left) * (top - bottom)
    return area > 0 and covered >= _SCAN_COVER * area


def _pages_phrase(numbers: Sequence[int], verb: str = "have") -> str:
    """The start of a warning about some pages: "Page 3 has" / "Pages 2, 4 have"."""
    if len(numbers) == 1:
        singular = {"have": "has", "were": "was", "are": "is"}[verb]
        return f"Page {numbers[0]} {singular}"
    return f"Pages {', '.join(map(str, numbers))} {verb}"


def _ocr_pdf_pages(src: Source, scales: dict[int, float]) -> Iterator[tuple[int, list[Line]]]:
    """Read scanned pages by OCR, one at a time, each at its scale, reporting progress: (page number,
    its lines).
    """
    if not scales:
        return
    report_progress(src, 0, len(scales))
    rendered = ocr.render_pdf_pages(src.data, scales, src.password)
    for done, (number, image, width, height) in enumerate(rendered, start=1):
        rows = ocr.read_image(image, scale=scales[number])
        yield number, [ocr_line(row, number, width, height) for row in rows]
        report_progress(src, done, len(scales))


def report_progress(src: Source, done: int, total: int) -> None:
    """Tell the caller how many OCR pages are done, if it asked to know."""
    if src.progress is not None:
        src.progress(done, total)


# --- characters and lines -------------------------------------------------------------------------

_TOLERANCE = 3  # pdfplumber's x_tolerance and y_tolerance: a wider gap starts a new word, a line
_DUPLICATE = 1  # a character drawn again within this distance (fake bold) counts once
_PDFIUM_HYPHEN = 0x02
_SPACE = 0x20
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"})


def _page_lines(page: Any, textpage: Any, number: int) -> list[Line]:
    """The page's text lines, top to bottom, with their geometry.

    Characters drawn twice (fake bold) count once, and rotated ones (watermarks, side notes) not at all,
    unless most of the page is rotated: then it is the page's own text, turned for a landscape layout.
    """
    width, height = float(page.get_width()), float(page.get_height())
    chars = _deduplicated(_chars(page, textpage))
    rotated = sum(1 for char in chars if not char[HORIZONTAL])
    if 0 < rotated * 2 < len(chars):
        chars = [char for char in chars if char[HORIZONTAL]]
    lines = []
    for words in _text_lines(chars):
        line_chars = [char for word in words for char in word]  # words hold no spaces
        text = " ".join(" ".join("".join(map(_text, word)) for word in words).translate(_LIGATURES).split())
        size = median(list(map(_size, line_chars)))
        lines.append(
            Line(
                text=text,
                page=number,
                x0=min(map(_x0, line_chars)),
                x1=max(map(_x1, line_chars)),
                top=min(map(_top, line_chars)),
                bottom=max(map(_bottom, line_chars)),
                page_width=width,
                page_height=height,
                size=size,
                first_width=first_word_width(line_chars),
                cells=line_cells(line_chars, size),
            )
        )
    return lines


_text, _x0, _x1, _size, _top, _bottom = (itemgetter(i) for i in (TEXT, X0, X1, SIZE, TOP, BOTTOM))
_upright = itemgetter(UPRIGHT)
_x0_top, _top_x0 = itemgetter(X0, TOP), itemgetter(TOP, X0)


def _chars(page: Any, textpage: Any) -> list[Char]:
    """The page's characters in content order, as PDFium reads them, without the line ends PDFium adds;
    a space it adds between words (the file moved the pen instead of drawing one) is kept, right after
    the character before it.

    A character spans from its origin by its advance width, as pdfminer measured it. What is the same
    for a whole text object (size, font, matrix) is read once per object, a width once per font and
    character: per character, PDFium is asked only for its text object, its code and its origin.
    """
    raw = _pdfium().raw
    calls = _calls()
    handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    left, _, _, top = page.get_mediabox()
    x, y, matrix, width = ctypes.c_double(), ctypes.c_double(), raw.FS_MATRIX(), ctypes.c_float()
    origin_x, origin_y = ctypes.byref(x), ctypes.byref(y)
    runs: dict[int | None, _Run] = {}
    faces: Faces = {}
    chars: list[Char] = []
    pending = 0  # the first half of a surrogate pair
    last: int | None = -1  # the text object of the character before; no object lives at -1
    run: _Run  # that object's run and what each character reads of it, set at its first character
    size: float
    descent: float
    upright: bool
    horizontal: bool
    name: bytes
    advances: dict[int, float]
    text_object, unicode, origin, append = calls.text_object, calls.unicode, calls.origin, chars.append
    for i in range(calls.count_chars(handle)):
        key = text_object(handle, i)
        code = unicode(handle, i)
        if not code:
            continue
        if key is None and calls.is_generated(handle, i):  # only generated characters have no object
            if code == _SPACE and chars:  # where the file spaces words by moving, not by a space
                chars.append((" ", chars[-1][X1], *chars[-1][X1:]))  # from the end of the one before
            continue  # PDFium's own line ends
        if code == _PDFIUM_HYPHEN and calls.is_hyphen(handle, i):
            code = ord("-")  # the file's hyphen at a line end, which PDFium marks this way
        if 0xD800 <= code < 0xE000:
            if code < 0xDC00:
                pending = code
                continue
            if not pending:
                continue
            code, pending = 0x10000 + ((pending - 0xD800) << 10) + (code - 0xDC00), 0
        if key != last:
            met = runs.get(key)
            if met is None:
                met = runs[key] = _run(raw, textpage.raw, i, ctypes.cast(key or 0, raw.FPDF_PAGEOBJECT), matrix, faces)
            run, last = met, key
            size, descent, upright, horizontal, name, advances = (
                run.size,
                run.descent,
                run.upright,
                run.horizontal,
                run.name,
                run.advances,
            )
        advance = advances.get(code)
        if advance is None:
            advance = advances[code] = _advance(raw, run, code, width)
        origin(handle, i, origin_x, origin_y)
        x0 = x.value - left
        bottom = top - y.value - descent
        append((chr(code), x0, x0 + advance, size, bottom - size, bottom, upright, horizontal, name))
    return chars


def _advance(raw: Any, run: _Run, code: int, width: Any) -> float:
    """How far character `code` moves the pen in `run`: its glyph's width, half the size without a font."""
    found = run.font and raw.FPDFFont_GetGlyphWidth(run.font, code, ctypes.c_float(run.font_size), width)
    return float((width.value if found else run.font_size / 2) * run.x_scale)


@dataclass(frozen=True, slots=True)
class _Calls:
    """The PDFium functions called for every character, declared without argument types.

    ctypes then converts the arguments as given (the text page as a `c_void_p`, the index as an int,
    the origin as two `byref`s) instead of checking each against a declared type, which takes half the
    time of the four calls a character costs.
    """

    count_chars: Callable[..., int]
    text_object: Callable[..., int | None]  # the object's address, the key of its run; None if generated
    unicode: Callable[..., int]
    is_generated: Callable[..., int]
    is_hyphen: Callable[..., int]
    origin: Callable[..., int]


@lru_cache(maxsize=1)
def _calls() -> _Calls:
    raw = _pdfium().raw

    def declare(function: Any, restype: Any) -> Callable[..., Any]:
        address = ctypes.cast(function, ctypes.c_void_p).value or 0
        declared: Callable[..., Any] = ctypes.CFUNCTYPE(restype)(address)
        return declared

    return _Calls(
        count_chars=declare(raw.FPDFText_CountChars, ctypes.c_int),
        text_object=declare(raw.FPDFText_GetTextObject, ctypes.c_void_p),
        unicode=declare(raw.FPDFText_GetUnicode, ctypes.c_uint),
        is_generated=declare(raw.FPDFText_IsGenerated, ctypes.c_int),
        is_hyphen=declare(raw.FPDFText_IsHyphen, ctypes.c_int),
        origin=declare(raw.FPDFText_GetCharOrigin, ctypes.c_int),
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """What the characters of one text object share."""

    font: Any  # PDFium's font handle (None when the object has none)
    font_size: float  # as set in the content stream (Tf)
    x_scale: float  # the text matrix's horizontal scale: widths are in text space
    size: float  # the font size as drawn (scaled by the matrix), as pdfminer measured it
    descent: float  # below the baseline (negative), for the drawn size
    upright: bool  # pdfminer's test: no mirror, no quarter turn
    horizontal: bool  # no rotation (matrix entry b); the shear of a synthetic italic is allowed
    name: bytes  # the base font name, part of what makes a character a duplicate
    advances: dict[int, float]  # character code → advance, as met, shared by the runs of one face


Faces = dict[tuple[int, float, float, float], tuple[float, bytes, dict[int, float]]]
"""A page's fonts as drawn: (font address, font size, horizontal scale, drawn size) → descent, base font
name and the advances met, shared by the text objects (usually one a line) that draw with them."""


def _run(raw: Any, handle: Any, index: int, obj: Any, matrix: Any, faces: Faces) -> _Run:
    """The shared properties of the text object holding character `index`.

    The descent places the character box as pdfminer did: from the baseline down by the font's
    descent, up by the font size.
    """
    raw.FPDFText_GetMatrix(handle, index, matrix)
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
    font_size = float(raw.FPDFText_GetFontSize(handle, index))
    size = font_size * (abs(d) if b == 0 else math.hypot(b, d))
    x_scale = abs(a) if b == 0 else math.hypot(a, b)
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    face = (ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0, font_size, x_scale, size)
    if face not in faces:
        descent, name = ctypes.c_float(), ctypes.create_string_buffer(128)
        if font:
            raw.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
            raw.FPDFFont_GetBaseFontName(font, name, len(name))
        faces[face] = float(descent.value), name.value, {}
    descent_value, name_value, advances = faces[face]
    return _Run(
        font,
        font_size,
        x_scale,
        size,
        descent_value,
        a * d > 0 and b * c <= 0,
        a > 0 and abs(b) <= 0.05 * a,
        name_value,
        advances,
    )


def _clusters(items: Sequence[T], key: Callable[[T], float], tolerance: float) -> list[list[T]]:
    """As pdfplumber's `cluster_objects`: sorted by `key`, an item no further than `tolerance` from the
    one before joins its cluster; within a cluster the order is by `key`, then as given.

    The breaks are found among the distinct values (a page's characters share a few dozen tops), each
    where it starts in the sorted items.
    """
    ordered = sorted(items, key=key)
    values = list(map(key, ordered))
    distinct = sorted(set(values))
    starts = [
        bisect_left(values, high) for low, high in zip(distinct, distinct[1:], strict=False) if high > low + tolerance
    ]
    return (
        [ordered[start:end] for start, end in zip([0, *starts], [*starts, len(ordered)], strict=True)]
        if ordered
        else []
    )


def _deduplicated(chars: list[Char]) -> list[Char]:
    """As pdfplumber's `dedupe_chars`: of the same character in the same font and size drawn within a
    point of itself (rows of tops, then columns of left edges), the top-left one is kept; order is kept.

    Most pages have none, and `_may_repeat` says so for a fraction of the cost.
    """
    return _without_duplicates(chars) if _may_repeat(chars) else chars


def _without_duplicates(chars: list[Char]) -> list[Char]:
    """`_deduplicated`'s search itself, over every group of look-alike characters."""
    groups: dict[tuple[Hashable, ...], list[Char]] = defaultdict(list)
    for char in chars:
        groups[char[UPRIGHT], char[TEXT], char[FONT], char[SIZE]].append(char)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        for same_row in _clusters(group, _top, _DUPLICATE):
            if len(same_row) < 2:
                continue
            for same_place in _clusters(same_row, _x0, _DUPLICATE):
                kept = min(same_place, key=_top_x0)
                dropped.update(id(char) for char in same_place if char is not kept)
    return [char for char in chars if id(char) not in dropped] if dropped else chars


def _may_repeat(chars: list[Char]) -> bool:
    """Whether two characters of the same text lie within `_DUPLICATE` of each other across, on one row
    of all the page's characters (tops chained `_DUPLICATE` apart): only such a pair can be a duplicate,
    as a row of look-alike characters lies within a row of them all.
    """
    for row in _clusters(chars, _top, _DUPLICATE):
        ordered = sorted(row, key=_x0)
        for i, char in enumerate(ordered):
            reach, j = char[X0] + _DUPLICATE, i + 1
            while j < len(ordered) and ordered[j][X0] <= reach:
                if ordered[j][TEXT] == char[TEXT]:
                    return True
                j += 1
    return False


def _text_lines(chars: list[Char]) -> list[list[list[Char]]]:
    """The page's lines, each a list of words, each a list of characters: pdfplumber's `extract_text_lines`.

    Characters are clustered into lines by their top (across a line, left to right; rotated text by its
    left edge, top to bottom); a space, a step back or a gap wider than the tolerance starts a new word;
    words whose tops are within the tolerance are then one line.
    """
    words: list[list[Char]] = []
    for upright, group in itertools.groupby(chars, key=_upright):
        line_key, char_key = (_top, _x0_top) if upright else (_x0, _top_x0)
        for line in _clusters(list(group), line_key, _TOLERANCE):
            words.extend(_words(sorted(line, key=char_key), upright))
    tops = [min(map(_top, word)) for word in words]
    line_of = [0] * len(words)
    for n, cluster in enumerate(_clusters(range(len(words)), tops.__getitem__, _TOLERANCE)):
        for index in cluster:
            line_of[index] = n
    return [[words[i] for i in run] for _, run in itertools.groupby(range(len(words)), key=line_of.__getitem__)]


def _words(ordered: list[Char], upright: bool) -> list[list[Char]]:
    """Word breaks along one line, as pdfplumber makes them: at a space, a step back, or a gap over the tolerance."""
    start, end, across = (_x0, _x1, _top) if upright else (_top, _bottom, _x0)
    words: list[list[Char]] = []
    current: list[Char] = []
    last_start = last_end = last_across = 0.0  # of the character before, once `current` holds it
    for char, low, high, side in zip(
        ordered, map(start, ordered), map(end, ordered), map(across, ordered), strict=True
    ):
        if char[TEXT].isspace():
            if current:
                words.append(current)
            current = []
            continue
        if current and (low < last_start or low > last_end + _TOLERANCE or abs(side - last_across) > _TOLERANCE):
            words.append(current)
            current = []
        current.append(char)
        last_start, last_end, last_across = low, high, side
    if current:
        words.append(current)
    return words
