"""The loader's limits, checked before work: file size, ZIP expansion, PDF pages, characters and render
size, text length, block length.

The constants are the defaults; `Limits` carries one audit's values (the CLI's --max-… flags raise
them, `LIMIT_FLAGS` names each flag), in the `Source` every reader receives.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from auditor.load.source import LoadError

if TYPE_CHECKING:
    from auditor.load.source import Source
    from auditor.model import RawDocument

MAX_BYTES = 50 * 1024 * 1024  # larger files are refused before they are read
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total size a .docx may expand to
MAX_RATIO = 100  # compression ratio above which a large .docx member is treated as a zip bomb
LARGE_MEMBER = 10 * 1024 * 1024  # members below this size are never refused for their ratio
MAX_XML_PART = 32 * 1024 * 1024  # one XML part of a .docx; a 300-page contract needs a few MB
MAX_CHARS = 3_000_000  # text audited at most, about 3,000 pages: keeps an audit's time bounded
MAX_BLOCK = 2_000  # longer blocks are cut (at punctuation), so no sentence is longer than this
CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert a legacy file
MAX_PAGES = 3_000  # PDF pages read at most; MAX_CHARS is about as many pages of text
MAX_PAGE_CHARS = 100_000  # characters on one PDF page; a dense A4 page holds 6,000
MAX_RENDER_PIXELS = 25_000_000  # pixels of one page rendered for OCR: A1 at 150 dpi, 25 MB in grey
MIN_OCR_DPI = 72  # a page that fits the pixel limit only below this resolution is too large to read
MAX_PHOTO_PIXELS = 40_000_000  # a larger photo is refused from its header (decompression bomb): 7,300 × 5,500
INFLATE_STEP = 64 * 1024  # a ZIP member is inflated this much at a time, so no header sizes a buffer


@dataclass(frozen=True, slots=True)
class Limits:
    """One audit's limits, in bytes, pages, characters and pixels; the defaults are the constants above."""

    file_bytes: int = MAX_BYTES
    docx_bytes: int = MAX_UNCOMPRESSED
    xml_part_bytes: int = MAX_XML_PART
    pages: int = MAX_PAGES
    page_chars: int = MAX_PAGE_CHARS
    chars: int = MAX_CHARS
    render_pixels: int = MAX_RENDER_PIXELS
    photo_pixels: int = MAX_PHOTO_PIXELS


@dataclass(frozen=True, slots=True)
class LimitFlag:
    """The command-line flag that sets one field of `Limits`, in units of `unit` (2**20: MB)."""

    field: str
    flag: str
    unit: int
    help: str

    @property
    def dest(self) -> str:
        """The flag's attribute on the parsed arguments."""
        return self.flag.removeprefix("--").replace("-", "_")

    @property
    def metavar(self) -> str:
        """What the flag's value counts, for --help and the messages."""
        return {2**20: "MB", 10**6: "MILLIONS"}.get(self.unit, "N")

    @property
    def hint(self) -> str:
        """The end of a refusal: how to raise this limit."""
        return f"raise it with {self.flag} {self.metavar}"


LIMIT_FLAGS = (
    LimitFlag("file_bytes", "--max-file-mb", 2**20, "the largest contract file"),
    LimitFlag("docx_bytes", "--max-docx-mb", 2**20, "the largest .docx package, as inflated"),
    LimitFlag("xml_part_bytes", "--max-xml-mb", 2**20, "the largest XML part of a .docx, as inflated"),
    LimitFlag("pages", "--max-pages", 1, "the most pages a PDF may have"),
    LimitFlag("page_chars", "--max-page-chars", 1, "the most characters one PDF page may hold"),
    LimitFlag("chars", "--max-chars", 1, "the most characters of text a contract may have"),
    LimitFlag("render_pixels", "--max-render-megapixels", 10**6, "the most pixels a scanned page is rendered at"),
    LimitFlag("photo_pixels", "--max-photo-megapixels", 10**6, "the most pixels a photo of a page may have"),
)
_HINT = {f.field: f.hint for f in LIMIT_FLAGS}


def within_size(document: RawDocument, limits: Limits) -> RawDocument:
    """The document with over-long blocks cut, unless its text is too long to audit in reasonable time.

    A block is cut because a newline ends a sentence: the checks quote and search the sentence around
    every hit, which grows with the square of the sentence length (a 500,000-character line without a
    full stop would take minutes and gigabytes).
    """
    chars = sum(len(block.text) + 1 for block in document.blocks)
    if chars > limits.chars:
        raise LoadError(
            f"{document.name}: the text is {chars:,} characters long, more than the {limits.chars:,} "
            f"an audit reads; split the file, or {_HINT['chars']}"
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

    The declared sizes may lie; `inflated_members` then holds every member to the same limits as it
    inflates.
    """
    limits = src.limits
    with zipfile.ZipFile(io.BytesIO(src.data)) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > limits.docx_bytes:
        raise LoadError(
            f"{src.name}: refused: the .docx would expand to {total // 2**20} MB "
            f"(limit {limits.docx_bytes // 2**20} MB); it may be a zip bomb ({_HINT['docx_bytes']})"
        )
    for member in members:
        if member.file_size > LARGE_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise LoadError(
                f"{src.name}: refused: part {member.filename} is compressed more than {MAX_RATIO}:1; "
                "it may be a zip bomb"
            )
        if member.filename.endswith((".xml", ".rels")) and member.file_size > limits.xml_part_bytes:
            raise LoadError(
                f"{src.name}: refused: part {member.filename} holds {member.file_size // 2**20} MB of XML "
                f"(limit {limits.xml_part_bytes // 2**20} MB; {_HINT['xml_part_bytes']})"
            )


def inflated_members(src: Source) -> dict[str, bytes]:
    """Every member of a ZIP package, inflated by this module a step at a time, never trusting a header.

    The central directory is checked first (`check_zip_limits`), but its sizes only name the limits: a
    member's deflate stream is inflated from its local header until the stream itself ends, at most
    `INFLATE_STEP` bytes a step, and the limits apply to what actually comes out. A member that inflates
    to another size or CRC than its headers state is damaged (`zipfile.read()` instead asks zlib for
    the claimed size at once and stops there: 2 GB in one call for a lying header, or a quiet cut).
    """
    check_zip_limits(src)
    members: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(io.BytesIO(src.data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
    for info in infos:
        part = "xml_part_bytes" if info.filename.endswith((".xml", ".rels")) else "docx_bytes"
        limit = min(getattr(src.limits, part), src.limits.docx_bytes - total)
        data = _inflate(src, info, limit, _HINT["docx_bytes" if limit < getattr(src.limits, part) else part])
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise LoadError(
                f"{src.name}: the .docx file is damaged: part {info.filename} is not what its header states"
            )
        total += len(data)
        members[info.filename] = data
    return members


def _inflate(src: Source, info: zipfile.ZipInfo, limit: int, hint: str) -> bytes:
    """One member's bytes, read from its local header on; refused once more than `limit` come out (`hint`
    says how to raise the limit that bound).
    """
    if info.flag_bits & 0x1:
        raise LoadError(f"{src.name}: the .docx file is damaged: part {info.filename} is encrypted")
    header = src.data[info.header_offset : info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise LoadError(f"{src.name}: the .docx file is damaged: part {info.filename} has no local header")
    name_length, extra_length = struct.unpack("<2H", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    too_big = LoadError(
        f"{src.name}: refused: part {info.filename} inflates past the {max(1, limit // 2**20)} MB limit; "
        f"it may be a zip bomb ({hint})"
    )
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size > limit:
            raise too_big
        return src.data[start : start + info.compress_size]
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise LoadError(f"{src.name}: the .docx file is damaged: part {info.filename} uses an unknown compression")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pieces: list[bytes] = []
    size, position, pending = 0, start, b""
    while not inflater.eof:
        if not pending:
            if position >= len(src.data):
                raise LoadError(f"{src.name}: the .docx file is damaged or truncated (part {info.filename})")
            pending, position = src.data[position : position + INFLATE_STEP], position + INFLATE_STEP
        piece = inflater.decompress(pending, INFLATE_STEP)
        pending = inflater.unconsumed_tail
        size += len(piece)
        if size > limit:
            raise too_big
        pieces.append(piece)
    return b"".join(pieces)


def safe_package(src: Source) -> bytes:
    """The package rebuilt from `inflated_members`, stored uncompressed: a library that reads a member
    in one call (python-docx) then gets exactly the bytes that were counted, nothing more to inflate.
    """
    members = inflated_members(src)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def check_pdf_pages(src: Source, pages: int) -> None:
    """Refuse a PDF with more pages than an audit reads, before any page is opened."""
    limit = src.limits.pages
    if pages > limit:
        raise LoadError(
            f"{src.name}: refused: the PDF has {pages:,} pages, more than the {limit:,} an audit reads "
            f"({_HINT['pages']})"
        )


def check_pdf_chars(src: Source, page: int, on_page: int, before: int) -> None:
    """Refuse a page, from PDFium's count of its characters, before any of them is read."""
    limits = src.limits
    if on_page > limits.page_chars:
        raise LoadError(
            f"{src.name}: refused: page {page} holds {on_page:,} characters, more than the "
            f"{limits.page_chars:,} a page may hold ({_HINT['page_chars']})"
        )
    if before + on_page > limits.chars:
        raise LoadError(
            f"{src.name}: the text is more than the {limits.chars:,} characters an audit reads "
            f"(reached on page {page}); split the file, or {_HINT['chars']}"
        )


def render_scale(src: Source, page: int, width: float, height: float, dpi: float) -> float:
    """Pixels per point to render a page at for OCR: `dpi`, or less to stay within the render pixel limit;
    a page so large that it would fall below MIN_OCR_DPI is refused (nothing is rendered).
    """
    pixels = src.limits.render_pixels
    scale = dpi / 72
    area = max(width, 1.0) * max(height, 1.0)
    if area * scale * scale <= pixels:
        return scale
    fitted = math.sqrt(pixels / area)
    if fitted * 72 < MIN_OCR_DPI:
        raise LoadError(
            f"{src.name}: refused: page {page} is {width:,.0f} × {height:,.0f} pt, too large to read by OCR "
            f"within {pixels:,} pixels at {MIN_OCR_DPI} dpi or more ({_HINT['render_pixels']})"
        )
    return fitted


def check_photo_pixels(src: Source, width: int, height: int) -> None:
    """Refuse a photo from the size in its header, before it is decoded."""
    if width * height > src.limits.photo_pixels:
        raise LoadError(
            f"{src.name}: the image is {width} × {height} pixels, too large to read; scale it down, "
            f"or {_HINT['photo_pixels']}"
        )
