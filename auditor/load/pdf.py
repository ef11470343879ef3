"""PDF: page text with geometry (pdfplumber), scanned pages sent to OCR, then the layout rules."""

from __future__ import annotations

import io
import itertools
import operator
import statistics
from collections.abc import Iterator, Sequence
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from auditor.load import ocr
from auditor.load.pdf_layout import Line, drop_furniture, first_word_width, line_cells, ocr_line, pdf_blocks
from auditor.load.source import LoadError, Source
from auditor.load.text import blocks_or_fail
from auditor.model import RawDocument


def read_pdf(src: Source) -> RawDocument:
    """Page text with page numbers, headers/footers removed and layout-wrapped lines re-joined."""
    try:
        pdf = pdfplumber.open(io.BytesIO(src.data), password=src.password or "")
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            if src.password:
                raise LoadError(f"{src.name}: wrong password for this encrypted PDF") from exc
            raise LoadError(f"{src.name}: the PDF is password-protected; pass its password with --password") from exc
        raise
    pages: list[list[Line]] = []
    scanned: list[int] = []
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_page_lines(page, number))
            if _needs_ocr(page, pages[-1]):
                scanned.append(number)
            page.close()  # drop the page's parsed layout: memory stays flat however long the PDF
    warnings: list[str] = []
    unread: list[int] = []
    unavailable = ocr.missing() if scanned else None
    if unavailable and not any(pages):
        raise LoadError(f"{src.name}: the PDF has no text layer (it looks scanned); {unavailable}")
    if unavailable:
        missing = "no text layer (scanned images?); OCR could not run, so that text is missing."
        warnings.append(f"{_pages_phrase(scanned)} {missing} {unavailable}")
        unread, scanned = scanned, []
    for number, lines in _ocr_pdf_pages(src, scanned):
        pages[number - 1] = lines
    if scanned:
        warnings.append(f"{_pages_phrase(scanned, 'were')} read by OCR. {OCR_CAVEAT}")
    blank = [n for n, lines in enumerate(pages, start=1) if not lines and n not in scanned + unread]
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


OCR_CAVEAT = "OCR text may contain errors: check quoted evidence against the original."
_SCAN_COVER = 0.5  # share of a page an image must cover for the page to count as a scan
_FEW_CHARS = 30  # a text layer this short on a scanned page is a stamp or a page number, not the text


def _needs_ocr(page: Any, lines: Sequence[Line]) -> bool:
    """True when only OCR can read the page: it draws something but has no text layer, or its text
    layer is a few characters (a page number, a stamp) on top of a page-sized image.
    """
    if not lines:
        return bool(page.images or page.curves or page.rects or page.lines)
    if sum(len(line.text) for line in lines) >= _FEW_CHARS:
        return False
    area = float(page.width) * float(page.height)
    covered = sum(float(i["width"]) * float(i["height"]) for i in page.images)
    return area > 0 and covered >= _SCAN_COVER * area


def _pages_phrase(numbers: Sequence[int], verb: str = "have") -> str:
    """The start of a warning about some pages: "Page 3 has" / "Pages 2, 4 have"."""
    if len(numbers) == 1:
        singular = {"have": "has", "were": "was", "are": "is"}[verb]
        return f"Page {numbers[0]} {singular}"
    return f"Pages {', '.join(map(str, numbers))} {verb}"


def _ocr_pdf_pages(src: Source, numbers: Sequence[int]) -> Iterator[tuple[int, list[Line]]]:
    """Read scanned pages by OCR, one at a time, reporting progress: (page number, its lines)."""
    if not numbers:
        return
    report_progress(src, 0, len(numbers))
    rendered = ocr.render_pdf_pages(src.data, list(numbers), src.password)
    for done, (number, image, width, height) in enumerate(rendered, start=1):
        rows = ocr.read_image(image, scale=ocr.DPI / 72)
        yield number, [ocr_line(row, number, width, height) for row in rows]
        report_progress(src, done, len(numbers))


def report_progress(src: Source, done: int, total: int) -> None:
    """Tell the caller how many OCR pages are done, if it asked to know."""
    if src.progress is not None:
        src.progress(done, total)


def _dedupe_chars(page: Any) -> Any:
    """Pdfplumber's `Page.dedupe_chars`, in linear time.

    pdfplumber restores document order with `sorted(kept, key=chars.index)`, a linear search per character:
    quadratic per page, and the largest single cost of auditing a long PDF (benchmarks/run.py measured the
    whole audit at 2.4× plain text extraction with it, 1.7× without). Same clusters, same survivors, same
    order; only the ordering step uses a dict of positions.
    """
    from pdfplumber.page import FilteredPage
    from pdfplumber.utils.clustering import cluster_objects

    chars = page.chars
    key = operator.itemgetter("upright", "text", "fontname", "size")
    position = {id(c): i for i, c in enumerate(chars)}
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        for y_cluster in cluster_objects(list(group), operator.itemgetter("doctop"), 1):
            for x_cluster in cluster_objects(y_cluster, operator.itemgetter("x0"), 1):
                kept.append(min(x_cluster, key=operator.itemgetter("doctop", "x0")))
    filtered = FilteredPage(page, lambda _: True)
    filtered._objects = {kind: objs for kind, objs in page.objects.items()}
    filtered._objects["char"] = sorted(kept, key=lambda c: position[id(c)])
    return filtered


def _page_lines(page: Any, number: int) -> list[Line]:
    """The page's text lines, top to bottom, with their geometry.

    Characters drawn twice (fake bold) count once, and rotated ones (watermarks, side notes) not at all,
    unless most of the page is rotated: then it is the page's own text, turned for a landscape layout.
    """
    page = _dedupe_chars(page)
    rotated = sum(1 for char in page.chars if not _horizontal(char))
    if 0 < rotated * 2 < len(page.chars):
        page = page.filter(_horizontal)
    lines = []
    for item in page.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in item["chars"] if c["text"].strip()]
        text = " ".join(item["text"].split())
        if not chars or not text:
            continue
        size = statistics.median(float(c["size"]) for c in chars)
        lines.append(
            Line(
                text=text,
                page=number,
                x0=float(item["x0"]),
                x1=float(item["x1"]),
                top=float(item["top"]),
                bottom=float(item["bottom"]),
                page_width=float(page.width),
                page_height=float(page.height),
                size=size,
                first_width=first_word_width(chars),
                cells=line_cells(chars, size),
            )
        )
    return lines


def _horizontal(obj: dict[str, Any]) -> bool:
    """False for a character whose text matrix turns it (watermarks at 45°, vertical side notes).

    Only rotation counts (the matrix's b entry); the shear of a synthetic italic (its c entry) does not.
    """
    if obj.get("object_type") != "char":
        return True
    a, b = obj["matrix"][:2]
    return bool(a > 0 and abs(b) <= 0.05 * a)
