"""The loader's limits, checked before work: file size, ZIP expansion, text length, block length."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

from auditor.load.source import LoadError, Source
from auditor.model import RawDocument

MAX_BYTES = 50 * 1024 * 1024  # larger files are refused before they are read
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total size a .docx may expand to
MAX_RATIO = 100  # compression ratio above which a large .docx member is treated as a zip bomb
LARGE_MEMBER = 10 * 1024 * 1024  # members below this size are never refused for their ratio
MAX_XML_PART = 32 * 1024 * 1024  # one XML part of a .docx; a 300-page contract needs a few MB
MAX_CHARS = 3_000_000  # text audited at most, about 3,000 pages: keeps an audit's time bounded
MAX_BLOCK = 2_000  # longer blocks are cut (at punctuation), so no sentence is longer than this
CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert a legacy file


def within_size(document: RawDocument) -> RawDocument:
    """The document with over-long blocks cut, unless its text is too long to audit in reasonable time.

    A block is cut because a newline ends a sentence: the checks quote and search the sentence around
    every hit, which grows with the square of the sentence length (a 500,000-character line without a
    full stop would take minutes and gigabytes).
    """
    chars = sum(len(block.text) + 1 for block in document.blocks)
    if chars > MAX_CHARS:
        raise LoadError(
            f"{document.name}: the text is {chars:,} characters long, more than the {MAX_CHARS:,} "
            "an audit reads; split the file"
        )
    if all(len(block.text) <= MAX_BLOCK for block in document.blocks):
        return document
    blocks = tuple(replace(block, text=piece) for block in document.blocks for piece in _cut(block.text))
    return replace(document, blocks=blocks)


_CUT_AFTER = re.compile(r"[。；;！!？?.，,、:：\s]")


def _cut(text: str) -> list[str]:
    """`text` in pieces of at most MAX_BLOCK characters, each ending at punctuation or a space if one
    falls in its last quarter.
    """
    pieces = []
    while len(text) > MAX_BLOCK:
        window = text[MAX_BLOCK * 3 // 4 : MAX_BLOCK]
        breaks = [m.end() for m in _CUT_AFTER.finditer(window)]
        end = MAX_BLOCK * 3 // 4 + breaks[-1] if breaks else MAX_BLOCK
        piece, text = text[:end].strip(), text[end:].lstrip()
        if piece:
            pieces.append(piece)
    return [*pieces, text] if text else pieces


# --- input and format detection ----------------------------------------------------------------


def check_zip_limits(src: Source) -> None:
    """Refuse a zip bomb from its central directory alone, before any member is decompressed.

    The declared sizes are a real bound: zipfile never inflates a member past its declared size.
    """
    with zipfile.ZipFile(io.BytesIO(src.data)) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise LoadError(
            f"{src.name}: refused: the .docx would expand to {total // 2**20} MB "
            f"(limit {MAX_UNCOMPRESSED // 2**20} MB); it may be a zip bomb"
        )
    for member in members:
        if member.file_size > LARGE_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise LoadError(
                f"{src.name}: refused: part {member.filename} is compressed more than {MAX_RATIO}:1; "
                "it may be a zip bomb"
            )
        if member.filename.endswith((".xml", ".rels")) and member.file_size > MAX_XML_PART:
            raise LoadError(
                f"{src.name}: refused: part {member.filename} holds {member.file_size // 2**20} MB of XML "
                f"(limit {MAX_XML_PART // 2**20} MB)"
            )
