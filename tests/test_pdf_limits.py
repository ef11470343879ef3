"""PDF limits hold before the work (issue #14): pages, characters per page and per document, and the
size a page is rendered at for OCR, each refused with one line, in bounded time and memory, by the
command a user runs. The hostile files are a few KB, built at test time (tests/hostile_pdf.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from auditor.load import LoadError, limits, load
from auditor.load.ocr import DPI
from auditor.load.source import Source
from tests.hostile_content import run_measured
from tests.hostile_pdf import RECTANGLE, pdf_bytes, text_page

AUDIT = ("--format", "json", "--no-db", "--workers", "1")


def _refused(path: Path, data: bytes) -> tuple[list[str], float, float]:
    """Audit `data` as `path` from the command line: (stderr lines, seconds, peak MB); exit code 2."""
    path.write_bytes(data)
    start = time.monotonic()
    code, _, err, peak_mb = run_measured("audit", str(path), *AUDIT)
    assert code == 2, err
    return err.splitlines(), time.monotonic() - start, peak_mb


def test_pdf_with_too_many_pages_refused_before_any_page_is_read(tmp_path: Path) -> None:
    data = pdf_bytes([b"BT /F1 12 Tf 72 720 Td (Article 1 Payment) Tj ET"] * (limits.MAX_PAGES + 1))
    assert len(data) < 600_000  # 160 bytes a page
    lines, seconds, peak_mb = _refused(tmp_path / "pages.pdf", data)
    assert lines == [
        f"contract-audit: {tmp_path / 'pages.pdf'}: refused: the PDF has 3,001 pages, "
        "more than the 3,000 an audit reads (raise it with --max-pages N)"
    ]
    assert seconds < 60 and peak_mb < 400, (seconds, peak_mb)


def test_pdf_page_of_two_million_characters_refused_before_they_are_read(tmp_path: Path) -> None:
    """91 s and 4.6 GB when the cap was checked after extraction; PDFium counts them in a few seconds."""
    data = pdf_bytes([text_page(2_000_000)])
    assert len(data) < 10_000
    lines, seconds, peak_mb = _refused(tmp_path / "dense.pdf", data)
    assert lines == [
        f"contract-audit: {tmp_path / 'dense.pdf'}: refused: page 1 holds 2,000,000 characters, "
        "more than the 100,000 a page may hold (raise it with --max-page-chars N)"
    ]
    assert seconds < 90 and peak_mb < 1_200, (seconds, peak_mb)


def test_pdf_with_too_many_characters_in_all_refused_at_the_page_that_passes_the_limit(tmp_path: Path) -> None:
    pages = limits.MAX_CHARS // 90_000 + 1  # each page under the per-page limit
    data = pdf_bytes([text_page(90_000)] * pages)
    assert len(data) < 50_000
    lines, seconds, peak_mb = _refused(tmp_path / "long.pdf", data)
    assert lines == [
        f"contract-audit: {tmp_path / 'long.pdf'}: the text is more than the 3,000,000 characters an audit "
        f"reads (reached on page {pages}); split the file, or raise it with --max-chars N"
    ]
    assert seconds < 120 and peak_mb < 600, (seconds, peak_mb)


def test_pdf_page_too_large_to_render_refused_before_rendering(tmp_path: Path) -> None:
    """A 14,400 pt square page at 200 dpi is 1.6 billion pixels: it drove OCR past 12 GB."""
    data = pdf_bytes([RECTANGLE], size=(14_400, 14_400))
    assert len(data) < 1_000
    lines, seconds, peak_mb = _refused(tmp_path / "billboard.pdf", data)
    assert lines == [
        f"contract-audit: {tmp_path / 'billboard.pdf'}: refused: page 1 is 14,400 × 14,400 pt, too large to "
        "read by OCR within 25,000,000 pixels at 72 dpi or more (raise it with --max-render-megapixels MILLIONS)"
    ]
    assert seconds < 60 and peak_mb < 400, (seconds, peak_mb)


def test_pdf_large_page_rendered_within_the_pixel_limit() -> None:
    """A page larger than A1 is read by OCR at a lower resolution, never past the pixel limit."""
    pytest.importorskip("pypdfium2")
    from auditor.load.ocr import render_pdf_pages

    width = height = 4_000
    scale = limits.render_scale(Source(b"", "big.pdf"), 1, width, height, DPI)
    assert scale < DPI / 72 and scale * 72 >= limits.MIN_OCR_DPI
    [(_, image, _, _)] = render_pdf_pages(pdf_bytes([RECTANGLE], size=(width, height)), {1: scale})
    assert image.width * image.height <= limits.MAX_RENDER_PIXELS


def test_pdf_a4_page_rendered_at_full_resolution() -> None:
    assert limits.render_scale(Source(b"", "a4.pdf"), 1, 595, 842, DPI) == DPI / 72


def test_pdf_limits_are_the_loaders_one_line_errors() -> None:
    with pytest.raises(LoadError, match=r"^x.pdf: refused: page 1 holds 2,000,000 characters"):
        load(pdf_bytes([text_page(2_000_000)]), "x.pdf")
