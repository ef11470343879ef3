"""Optical character recognition for scanned pages and photos, fully offline.

RapidOCR (``rapidocr-onnxruntime`` 1.4.x) runs the PP-OCR Chinese/English models that ship inside its
wheel, so nothing is downloaded at run time. It is an optional extra (``contract-auditor[ocr]``, about
290 MB installed, see docs/robustness.md); `missing()` says how to install it when it is absent.
This module only turns an image into rows of recognised words; load.py turns rows into paragraphs with
the same rules it uses for PDF text lines.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a PDF with a text layer never needs PIL, whose import costs more than reading a page
    from PIL import Image

__all__ = ["DPI", "INSTALL_HINT", "OcrWord", "missing", "read_image", "render_pdf_pages"]

DPI = 200  # rendering resolution for scanned PDF pages: small Chinese print stays legible
MIN_SCORE = 0.5  # recognitions RapidOCR itself is less sure of are dropped
INSTALL_HINT = 'pip install "contract-auditor[ocr]" (or: pip install rapidocr-onnxruntime)'


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognised box of text, axis-aligned, in page units (points for PDF pages)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        """The box height, close to the font size of the text in it."""
        return self.bottom - self.top


def missing() -> str | None:
    """None when OCR can run; otherwise one sentence saying how to install it."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        return f"OCR is not installed; install it with: {INSTALL_HINT}"
    return None


@lru_cache(maxsize=1)
def _engine() -> Any:
    """The RapidOCR engine, built once (loading its three ONNX models takes about half a second).

    onnxruntime's telemetry is switched off first: it would otherwise keep a device id and an event
    database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime (whether or not it can send them).
    """
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read_image(image: Image.Image, scale: float = 1.0) -> list[list[OcrWord]]:
    """Rows of words on one page image, top to bottom, each row left to right.

    `scale` is pixels per page unit: coordinates are divided by it, so a PDF page rendered at `DPI`
    comes back in the points its text layer would use.
    """
    result, _ = _engine()(image.convert("RGB"))
    words = []
    for box, text, score in result or ():
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        words.append(
            OcrWord(
                " ".join(str(text).split()),
                min(xs) / scale,
                min(ys) / scale,
                max(xs) / scale,
                max(ys) / scale,
            )
        )
    return _rows(words)


def _rows(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Group boxes into text lines: sorted by their vertical middle, a box whose middle falls inside
    the current row's band joins it. RapidOCR splits a line at wide gaps (table columns, tab stops).
    """
    rows: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        middle = (word.top + word.bottom) / 2
        if rows and rows[-1][0].top <= middle <= rows[-1][0].bottom:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def render_pdf_pages(
    data: bytes, scales: dict[int, float], password: str | None = None
) -> Iterator[tuple[int, Image.Image, float, float]]:
    """(page number, image, width, height in points) for each 1-based page in `scales`, rendered at its
    scale (pixels per point: `DPI` / 72, or less for a page too large for the pixel limit, limits.py).

    Pages are rendered one at a time so only one page image is in memory.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        for number, scale in scales.items():
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=scale, grayscale=True).to_pil().copy()
            finally:
                page.close()
            yield number, image, width, height
    finally:
        pdf.close()
