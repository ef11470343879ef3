"""The one Word writer the annotated contract and the dispute brief share: a new document in the right
fonts for its language, headings that survive a user's document without heading styles, tables, bytes.

The font names sit in `lexicons/report.toml` (`values.docx_font`): SimSun (宋体) for Chinese, so Word and
WPS render CJK text without substitution, Calibri for English.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument

from auditor.lexicon import load_lexicon
from auditor.model import Lang


def new_document(lang: Lang, title: str | None = None) -> DocxDocument:
    """An empty Word document whose Normal style uses the language's font, for Latin and East Asian text."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    font = load_lexicon("report").values["docx_font"][lang]
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if title:
        document.core_properties.title = title
    return document


def heading(document: DocxDocument, text: str, level: int) -> None:
    """A heading; a bold paragraph when the document (a user's own) has no heading styles."""
    try:
        document.add_heading(text, level)
    except KeyError:
        document.add_paragraph().add_run(text).bold = True


def table(document: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A grid table: the header row, then one row per entry."""
    grid: Any = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cells, texts in ((grid.rows[0].cells, header), *((grid.add_row().cells, row) for row in rows)):
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text


def to_bytes(document: DocxDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
