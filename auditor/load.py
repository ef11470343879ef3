"""Loading stage: read a contract file into a `RawDocument` of blocks in reading order.

Formats are recognised by their content (magic bytes) before their name, so a PDF saved as ``.docx``
still loads. Every failure the user can cause (missing, empty, damaged, encrypted, too big, unsupported,
scanned without OCR installed) surfaces as one `LoadError` whose message is a single readable line;
nothing else escapes `load`. Scanned PDF pages and photos (PNG/JPEG) are read by OCR (auditor/ocr.py),
and their lines go through the same paragraph rules as PDF text. Uploaded bytes are parsed in memory;
only a legacy ``.doc``/``.wps`` conversion touches disk, in a temporary directory that is always removed.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import itertools
import math
import operator
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import charset_normalizer
import docx
import pdfplumber
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from PIL import Image, ImageOps

from auditor import ocr
from auditor.model import Block, BlockKind, RawDocument
from auditor.numbering import match_number, starts_new_clause

__all__ = ["MAX_BYTES", "SUPPORTED_SUFFIXES", "LoadError", "Progress", "load", "load_text"]

Progress = Callable[[int, int], None]  # (pages done, pages to do), called as OCR reads each page

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".md", ".png", ".jpg", ".jpeg")
LEGACY_SUFFIXES: tuple[str, ...] = (".doc", ".wps", ".rtf")  # read only through LibreOffice
MAX_BYTES = 50 * 1024 * 1024  # larger files are refused before they are read
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total size a .docx may expand to
MAX_RATIO = 100  # compression ratio above which a large .docx member is treated as a zip bomb
LARGE_MEMBER = 10 * 1024 * 1024  # members below this size are never refused for their ratio
MAX_XML_PART = 32 * 1024 * 1024  # one XML part of a .docx; a 300-page contract needs a few MB
MAX_CHARS = 3_000_000  # text audited at most, about 3,000 pages: keeps an audit's time bounded
MAX_BLOCK = 2_000  # longer blocks are cut (at punctuation), so no sentence is longer than this
CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert a legacy file

_PDF_MAGIC = re.compile(rb"%PDF-\d")  # may follow some junk bytes, as readers allow
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .doc and .wps
_RTF_MAGIC = b"{\\rtf"  # Word's other old format, also converted by LibreOffice
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_ENCRYPTED_OFFICE = "EncryptedPackage".encode("utf-16-le")  # stream of a password-protected .docx


class LoadError(Exception):
    """A file cannot be loaded; `str(err)` is one line meant for the user, e.g. "x.pdf: the file is empty"."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


@dataclass(frozen=True, slots=True)
class _Source:
    """The raw bytes of one input and what the readers need to know about it."""

    data: bytes
    name: str
    password: str | None = None
    progress: Progress | None = None


def load(
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    *,
    password: str | None = None,
    progress: Progress | None = None,
) -> RawDocument:
    """Read a contract from a path or from raw bytes (an upload) into a `RawDocument`.

    Args:
        source: a file path, or the file's bytes (never written to disk).
        filename: the name to report and whose suffix hints the format; needed for bytes.
        password: the password of an encrypted PDF.
        progress: called with (pages done, pages to read) before and after each page read by OCR,
            which takes a second or two a page; never called for files with a text layer.

    Raises:
        LoadError: the file is missing, empty, too large, damaged, encrypted, scanned or unsupported.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        data = _read_path(path, name)
    if not data:
        raise LoadError(f"{name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise LoadError(f"{name}: the file is larger than the {MAX_BYTES // 2**20} MB limit")
    fmt = _detect_format(data, name)
    try:
        document = _READERS[fmt](_Source(data, name, password, progress))
    except LoadError:
        raise
    except Exception as exc:  # a damaged file can make any parser fail in its own way
        label = {"pdf": "PDF", "docx": ".docx", "legacy": "Word", "image": "image"}.get(fmt, "text")
        raise LoadError(f"{name}: the {label} file is damaged or truncated ({_reason(exc)})") from exc
    return _within_size(document)


def load_text(text: str, name: str = "pasted.txt") -> RawDocument:
    """Wrap pasted text as a document, one block per non-empty line.

    Raises:
        LoadError: the text has no visible characters.
    """
    blocks = _blocks_or_fail(_text_blocks(text, markdown=False), name)
    return _within_size(RawDocument(name=name, format="text", blocks=blocks))


def _within_size(document: RawDocument) -> RawDocument:
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
    falls in its last quarter."""
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


def _read_path(path: Path, name: str) -> bytes:
    """The file's bytes, refusing oversize files before reading them."""
    try:
        if path.is_dir():
            raise LoadError(f"{name}: is a folder, not a file")
        if path.stat().st_size > MAX_BYTES:
            raise LoadError(f"{name}: the file is larger than the {MAX_BYTES // 2**20} MB limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise LoadError(f"{name}: file not found") from exc
    except PermissionError as exc:
        raise LoadError(f"{name}: permission denied") from exc
    except OSError as exc:
        raise LoadError(f"{name}: cannot be read ({_reason(exc)})") from exc


def _detect_format(data: bytes, name: str) -> str:
    """Which reader to use: magic bytes first, the file name's suffix only when the content says nothing."""
    suffix = Path(name).suffix.lower()
    if _PDF_MAGIC.search(data[:1024]):
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith((_OLE2_MAGIC, _RTF_MAGIC)):
        return "legacy"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise LoadError(f"{name}: the .docx (ZIP) file is damaged or truncated") from exc
        if "word/document.xml" in names or suffix == ".docx":
            return "docx"
        raise LoadError(f"{name}: a ZIP archive but not a Word .docx document; supported: {_supported()}")
    if suffix == ".pdf":
        raise LoadError(f"{name}: not a valid PDF (no PDF header); the file is damaged or mis-named")
    if suffix == ".docx":
        raise LoadError(f"{name}: not a valid .docx (not a ZIP package); the file is damaged or truncated")
    if suffix in _IMAGE_SUFFIXES:
        raise LoadError(f"{name}: not a valid PNG or JPEG image; the file is damaged or mis-named")
    if suffix in LEGACY_SUFFIXES:
        raise LoadError(f"{name}: not a valid {suffix} file; save it as .docx and try again")
    if suffix == ".md":
        return "md"
    if suffix == ".txt" or _decode_text(data) is not None:
        return "txt"
    raise LoadError(
        f"{name}: unsupported file type (not PDF, DOCX, text or image); supported: {_supported()}"
    )


def _supported() -> str:
    return ", ".join(SUPPORTED_SUFFIXES)


def _reason(exc: BaseException) -> str:
    """A short, single-line description of a library error, for the end of a LoadError message."""
    detail = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# --- TXT / MD ----------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"})
_SAMPLE = 100_000  # characters inspected when judging whether a decoding is plausible


def _read_text(src: _Source, *, markdown: bool = False) -> RawDocument:
    """A .txt or .md file in whatever encoding Chinese and English editors save."""
    decoded = _decode_text(src.data)
    if decoded is None:
        raise LoadError(f"{src.name}: does not look like a text file (binary content or unknown encoding)")
    text, encoding = decoded
    warnings: tuple[str, ...] = ()
    if encoding not in _SURE_ENCODINGS:
        warnings = (f"Text encoding guessed as {encoding}; check that the characters look right.",)
    return RawDocument(
        name=src.name,
        format="md" if markdown else "txt",
        blocks=_blocks_or_fail(_text_blocks(text, markdown=markdown), src.name),
        warnings=warnings,
    )


def _decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for bytes that are text, else None.

    Order: a BOM; BOM-less UTF-16 recognised by its NUL pattern; strict UTF-8; GB18030 if the result
    reads like Simplified Chinese (Big5 bytes also decode as GB18030, into nonsense); charset-normalizer.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return (text, encoding) if _plausible(text) else None
    candidates = [enc for enc in (_bomless_utf16(data), "utf-8", "gb18030") if enc]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue
        if encoding != "gb18030" or _reads_as_simplified(text):
            return text, encoding
        break
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and _plausible(str(best)):
        return str(best), best.encoding
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs fall on one byte parity only, as ASCII in UTF-16 does."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd > pairs * 0.05 and even * 4 < odd:
        return "utf-16-le"
    if even > pairs * 0.05 and odd * 4 < even:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """True when at most 1% of the characters are controls, unassigned, private-use or replacement marks."""
    sample = text[:_SAMPLE]
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch) in {"Cc", "Cn", "Co", "Cs"} and ch not in "\t\n\r\f\v")
    )
    return bad <= len(sample) * 0.01


def _reads_as_simplified(text: str) -> bool:
    """True when most Han characters are among GB2312's 3,755 common ones, as real Chinese text is."""
    han = [ch for ch in text[:_SAMPLE] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return True
    common = 0
    for ch in han:
        with contextlib.suppress(UnicodeEncodeError):
            common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
    return common >= len(han) * 0.6


_MD_HEADING = re.compile(r"^(#{1,6})(?!#)\s*(.*?)(?:\s+#+)?\s*$")  # "#标题" without a space too
_MD_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|[\s:|-]*$")


def _text_blocks(text: str, *, markdown: bool) -> list[Block]:
    """One block per non-empty line; Markdown headings and table rows keep their kind."""
    blocks: list[Block] = []
    for raw in text.splitlines():  # splits on \r\n, \r, \n and Unicode line separators alike
        line = raw.strip()
        if not line:
            continue
        if markdown and (m := _MD_HEADING.match(line)):
            blocks.append(Block(m.group(2), kind="heading", level=len(m.group(1))))
        elif markdown and line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _MD_TABLE_RULE.match(line):
                cells = [c.strip() for c in line.strip("|").split("|")]
                blocks.append(Block(" | ".join(c for c in cells if c), kind="table_row"))
        else:
            blocks.append(Block(line))
    return [b for b in blocks if b.text]


def _blocks_or_fail(blocks: Sequence[Block], name: str) -> tuple[Block, ...]:
    """The blocks, or a LoadError when there is nothing to audit."""
    if not blocks:
        raise LoadError(f"{name}: no readable text in the file")
    return tuple(blocks)


# --- DOCX --------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_VAL = f"{_W}val"
# Subtrees whose text is not part of the visible body: deleted revisions, text boxes (also present in
# the Fallback copy), field codes and formatting properties (whose w:tab elements are tab stops).
_SKIP_TAGS = frozenset(
    f"{_W}{t}" for t in ("del", "moveFrom", "txbxContent", "instrText", "delText", "pPr", "rPr", "fldData")
) | {f"{_MC}Fallback"}
_TRANSPARENT_TAGS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})
_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题|標題)$", re.IGNORECASE)


def _read_docx(src: _Source) -> RawDocument:
    """Body paragraphs and table rows of a Word file in document order (headers and footers excluded)."""
    _check_zip_limits(src)
    try:
        document = docx.Document(io.BytesIO(src.data))
    except ValueError as exc:  # python-docx refuses .docm/.dotx and other non-document packages
        raise LoadError(f"{src.name}: not a Word .docx document ({_reason(exc)}); save it as .docx") from exc
    levels = _style_heading_levels(document)
    numbers = _ListNumbers(document)
    blocks: list[Block] = []
    for element in _children(document.element.body, {f"{_W}p", f"{_W}tbl"}):
        if element.tag == f"{_W}tbl":
            blocks.extend(Block(row, kind="table_row") for row in _table_rows(element))
            continue
        text = _paragraph_text(element)
        label = numbers.label(element)
        if label and text.strip():
            text = f"{label}{text}"
        level = _paragraph_level(element, levels)
        if level is not None:
            heading = " ".join(text.split())
            if heading:
                blocks.append(Block(heading, kind="heading", level=level))
            continue
        blocks.extend(Block(line) for line in (part.strip() for part in text.split("\n")) if line)
    if not blocks:
        raise LoadError(f"{src.name}: the document body has no text (only images or empty pages?)")
    return RawDocument(name=src.name, format="docx", blocks=tuple(blocks))


def _check_zip_limits(src: _Source) -> None:
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


def _children(parent: Any, tags: set[str]) -> Iterator[Any]:
    """Child elements with one of `tags`, looking through content controls (w:sdt) and custom XML."""
    for child in parent:
        if child.tag in _TRANSPARENT_TAGS:
            yield from _children(child, tags)
        elif child.tag in tags:
            yield child


def _paragraph_text(p: Any) -> str:
    """The visible text of a w:p, including tracked insertions and hyperlinks, without deleted text."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP_TAGS:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in {f"{_W}tab", f"{_W}ptab"}:
                parts.append(" ")
            elif tag in {f"{_W}br", f"{_W}cr"}:
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _table_rows(tbl: Any) -> Iterator[str]:
    """Each row's cell texts joined by " | "; a merged cell counts once per row it spans vertically."""
    above: dict[int, str] = {}  # grid column -> text of the cell that starts a vertical merge there
    for tr in _children(tbl, {f"{_W}tr"}):
        column = _int_val(tr, "trPr/gridBefore", 0)
        cells: list[str] = []
        for tc in _children(tr, {f"{_W}tc"}):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W_VAL, "continue") == "continue":
                text = above.get(column, "")
            else:
                paragraphs = (_paragraph_text(p) for p in tc.iter(f"{_W}p") if not _in_text_box(p, tc))
                text = " ".join(" ".join(t.split()) for t in paragraphs if t.strip())
                above[column] = text
            if text:
                cells.append(text)
            column += _int_val(tc, "tcPr/gridSpan", 1)
        if cells:
            yield " | ".join(cells)


def _in_text_box(p: Any, stop: Any) -> bool:
    """True when `p` sits inside a text box (or its Fallback copy) below `stop`."""
    node = p.getparent()
    while node is not None and node is not stop:
        if node.tag in _SKIP_TAGS:
            return True
        node = node.getparent()
    return False


def _val(element: Any, path: str, attr: str = "val") -> str | None:
    """A w: attribute of the element at `path` ("pPr/pStyle"), or of `element` itself when `path` is ""."""
    node = element.find("/".join(f"{_W}{tag}" for tag in path.split("/"))) if path else element
    return node.get(f"{_W}{attr}") if node is not None else None


def _int_val(element: Any, path: str, default: int, attr: str = "val") -> int:
    """An integer w: attribute, or `default` when it is absent or malformed."""
    value = _val(element, path, attr)
    return int(value) if value is not None and value.isdigit() else default


def _style_heading_levels(document: DocxDocument) -> dict[str, int]:
    """Heading level by paragraph style id: Title is 0, "Heading N"/"标题 N" or outline level N-1 is N."""
    by_id = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    levels: dict[str, int] = {}

    def level_of(style: Any, depth: int = 0) -> int | None:
        name = (style.name or "").strip()
        if m := _HEADING_STYLE.match(name):
            return int(m.group(1))
        if _TITLE_STYLE.match(name):
            return 0
        outline = _int_val(style.element, "pPr/outlineLvl", 9)
        if outline < 9:
            return outline + 1
        base = style.base_style
        return level_of(base, depth + 1) if base is not None and depth < 10 else None

    for style_id, style in by_id.items():
        level = level_of(style)
        if level is not None:
            levels[style_id] = level
    return levels


def _paragraph_level(p: Any, levels: dict[str, int]) -> int | None:
    """The heading level of a paragraph: its own outline level, else its style's."""
    outline = _int_val(p, "pPr/outlineLvl", 9)
    if outline < 9:
        return outline + 1
    style_id = _val(p, "pPr/pStyle")
    return levels.get(style_id) if style_id else None


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
        node = lvl.find(f"{_W}{tag}")
        return node.get(_W_VAL, default) if node is not None else default

    start = value("start", "1")
    return _NumLevel(
        start=int(start) if start.isdigit() else 1,
        fmt=value("numFmt", "decimal"),
        template=value("lvlText", ""),
        suffix="" if value("suff", "tab") == "nothing" else " ",
        legal=lvl.find(f"{_W}isLgl") is not None and value("isLgl", "1") not in {"0", "false"},
    )


_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    )
)


def _chinese_count(n: int, *, legal: bool = False) -> str:
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
    "chineseCounting": _chinese_count,
    "chineseCountingThousand": _chinese_count,
    "taiwaneseCounting": _chinese_count,
    "taiwaneseCountingThousand": _chinese_count,
    "chineseLegalSimplified": functools.partial(_chinese_count, legal=True),
    "ideographTraditional": lambda n: _HEAVENLY_STEMS[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "ideographEnclosedCircle": lambda n: chr(0x3220 + n - 1) if 1 <= n <= 10 else str(n),
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else str(n),
}


class _ListNumbers:
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
            num_id = _val(style.element, "pPr/numPr/numId")
            if num_id:
                ilvl = _int_val(style.element, "pPr/numPr/ilvl", 0)
                self._by_style[style.style_id] = (num_id, ilvl)
        try:
            part = document.part.part_related_by(RT.NUMBERING)
        except KeyError:
            return
        if not isinstance(part, XmlPart):
            return
        root = part.element
        abstract = {
            node.get(f"{_W}abstractNumId", ""): {
                _int_val(lvl, "", 0, attr="ilvl"): _level_format(lvl) for lvl in node.iter(f"{_W}lvl")
            }
            for node in root.iter(f"{_W}abstractNum")
        }
        for num in root.iter(f"{_W}num"):
            levels = dict(abstract.get(_val(num, "abstractNumId") or "", {}))
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = _int_val(override, "", 0, attr="ilvl")
                for lvl in override.iter(f"{_W}lvl"):
                    levels[ilvl] = _level_format(lvl)
                start = _int_val(override, "startOverride", 0)
                if start and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=start)
            self._lists[num.get(f"{_W}numId", "")] = levels

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph `p` ("" if none), advancing the list's counters."""
        num_id = _val(p, "pPr/numPr/numId")
        style = _val(p, "pPr/pStyle")
        style_num, style_ilvl = self._by_style.get(style or "", (None, 0))
        num_id = num_id or style_num
        levels = self._lists.get(num_id or "")
        ilvl = _int_val(p, "pPr/numPr/ilvl", style_ilvl)
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
_CJK_STOP = re.compile(
    r"[。；！？：][)）」』”’\]】]*$"
)  # Chinese lines fill to the margin unless a paragraph ends
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers or footers


@dataclass(frozen=True, slots=True)
class _Line:
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


def _read_pdf(src: _Source) -> RawDocument:
    """Page text with page numbers, headers/footers removed and layout-wrapped lines re-joined."""
    try:
        pdf = pdfplumber.open(io.BytesIO(src.data), password=src.password or "")
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            if src.password:
                raise LoadError(f"{src.name}: wrong password for this encrypted PDF") from exc
            raise LoadError(
                f"{src.name}: the PDF is password-protected; pass its password with --password"
            ) from exc
        raise
    pages: list[list[_Line]] = []
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
        warnings.append(f"{_pages_phrase(scanned, 'were')} read by OCR. {_OCR_CAVEAT}")
    blank = [n for n, lines in enumerate(pages, start=1) if not lines and n not in scanned + unread]
    if blank:
        warnings.append(f"{_pages_phrase(blank, 'are')} blank.")
    blocks = _blocks_or_fail(_pdf_blocks(_drop_furniture(pages)), src.name)
    return RawDocument(
        name=src.name,
        format="pdf",
        blocks=blocks,
        pages=len(pages),
        warnings=tuple(warnings),
        ocr_pages=tuple(scanned),
    )


_OCR_CAVEAT = "OCR text may contain errors: check quoted evidence against the original."
_SCAN_COVER = 0.5  # share of a page an image must cover for the page to count as a scan
_FEW_CHARS = 30  # a text layer this short on a scanned page is a stamp or a page number, not the text


def _needs_ocr(page: Any, lines: Sequence[_Line]) -> bool:
    """True when only OCR can read the page: it draws something but has no text layer, or its text
    layer is a few characters (a page number, a stamp) on top of a page-sized image."""
    if not lines:
        return bool(page.images or page.curves or page.rects or page.lines)
    if sum(len(line.text) for line in lines) >= _FEW_CHARS:
        return False
    area = float(page.width) * float(page.height)
    covered = sum(float(i["width"]) * float(i["height"]) for i in page.images)
    return area > 0 and covered >= _SCAN_COVER * area


def _pages_phrase(numbers: Sequence[int], verb: str = "have") -> str:
    """ "Page 3 has" / "Pages 2, 4 have": the start of a warning about some pages."""
    if len(numbers) == 1:
        singular = {"have": "has", "were": "was", "are": "is"}[verb]
        return f"Page {numbers[0]} {singular}"
    return f"Pages {', '.join(map(str, numbers))} {verb}"


def _ocr_pdf_pages(src: _Source, numbers: Sequence[int]) -> Iterator[tuple[int, list[_Line]]]:
    """Read scanned pages by OCR, one at a time, reporting progress: (page number, its lines)."""
    if not numbers:
        return
    _report(src, 0, len(numbers))
    rendered = ocr.render_pdf_pages(src.data, list(numbers), src.password)
    for done, (number, image, width, height) in enumerate(rendered, start=1):
        rows = ocr.read_image(image, scale=ocr.DPI / 72)
        yield number, [_ocr_line(row, number, width, height) for row in rows]
        _report(src, done, len(numbers))


def _report(src: _Source, done: int, total: int) -> None:
    if src.progress is not None:
        src.progress(done, total)


_OCR_BOX_HEIGHT = 1.2  # an OCR box is about this many times the font size high


def _ocr_line(row: Sequence[ocr.OcrWord], page: int, width: float, height: float) -> _Line:
    """An OCR row as a PDF text line, so the PDF rules join it into paragraphs and table rows.

    Each word's characters are spread over its box (a Chinese character twice as wide as a Latin one)
    to stand in for the character positions a text layer gives.
    """
    size = statistics.median(word.height for word in row) / _OCR_BOX_HEIGHT
    chars = [char for word in row for char in _spread_chars(word, size)]
    text = row[0].text
    for prev, word in zip(row, row[1:], strict=False):
        text += (" " if word.x0 - prev.x1 > size * 0.2 else "") + word.text
    return _Line(
        text=text,
        page=page,
        x0=row[0].x0,
        x1=row[-1].x1,
        top=min(word.top for word in row),
        bottom=max(word.bottom for word in row),
        page_width=width,
        page_height=height,
        size=size,
        first_width=_first_word_width(chars),
        cells=_cells(chars, size),
    )


def _spread_chars(word: ocr.OcrWord, size: float) -> list[dict[str, Any]]:
    """Pseudo characters (text, x0, x1, size) for the visible characters of an OCR box."""
    weights = [1.0 if _is_cjk(ch) else 0.3 if ch == " " else 0.55 for ch in word.text]
    unit = (word.x1 - word.x0) / sum(weights)
    chars, x = [], word.x0
    for ch, weight in zip(word.text, weights, strict=True):
        if ch != " ":
            chars.append({"text": ch, "x0": x, "x1": x + weight * unit, "size": size})
        x += weight * unit
    return chars


def _dedupe_chars(page: Any) -> Any:
    """pdfplumber's `Page.dedupe_chars`, in linear time.

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


def _page_lines(page: Any, number: int) -> list[_Line]:
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
            _Line(
                text=text,
                page=number,
                x0=float(item["x0"]),
                x1=float(item["x1"]),
                top=float(item["top"]),
                bottom=float(item["bottom"]),
                page_width=float(page.width),
                page_height=float(page.height),
                size=size,
                first_width=_first_word_width(chars),
                cells=_cells(chars, size),
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
    return a > 0 and abs(b) <= 0.05 * a


def _first_word_width(chars: Sequence[dict[str, Any]]) -> float:
    """Width of the first word: had it fitted on the line before, the layout would have put it there."""
    first = chars[0]
    end = float(first["x1"])
    if not _is_cjk(first["text"]):
        for prev, char in zip(chars, chars[1:], strict=False):
            if _is_cjk(char["text"]) or float(char["x0"]) - float(prev["x1"]) > float(prev["size"]) * 0.2:
                break
            end = float(char["x1"])
    return end - float(first["x0"])


def _cells(chars: Sequence[dict[str, Any]], size: float) -> tuple[tuple[float, str], ...]:
    """Split a line at gaps wider than 1.5 characters: such a line is a table row, not prose.

    A list number followed by a tab stop leaves such a gap too, so a leading number is not a cell.
    """
    groups: list[list[dict[str, Any]]] = [[chars[0]]]
    for prev, char in zip(chars, chars[1:], strict=False):
        gap = float(char["x0"]) - float(prev["x1"])
        if gap > size * 1.5:
            groups.append([char])
            continue
        if gap > size * 0.2:
            groups[-1].append({"text": " "})
        groups[-1].append(char)
    cells = [(float(group[0]["x0"]), "".join(c["text"] for c in group).strip()) for group in groups]
    if len(cells) > 1 and _is_marker(cells[0][1]):  # "1.1 <tab> text": a list number, not a column
        cells[:2] = [(cells[0][0], f"{cells[0][1]} {cells[1][1]}")]
    return tuple(cells) if len(cells) > 1 else ()


def _is_marker(text: str) -> bool:
    """True for a bare clause number ("1.1", "第三条", "（二）") or a bullet sign."""
    number = match_number(text)
    return (number is not None and not text[number.end :].strip()) or (len(text) == 1 and not text.isalnum())


def _drop_furniture(pages: Sequence[Sequence[_Line]]) -> list[_Line]:
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

    def is_furniture(p: int, i: int, line: _Line) -> bool:
        if (p, i) not in edges:
            return False
        if _PAGE_NUMBER.match(line.text):
            return True
        key, zone, pos = edges[p, i]
        return len({page for page, other in seen[key, zone] if abs(other - pos) <= 4}) >= threshold

    return [
        line for p, lines in enumerate(pages) for i, line in enumerate(lines) if not is_furniture(p, i, line)
    ]


def _pdf_blocks(lines: Sequence[_Line]) -> list[Block]:
    """Group lines into paragraphs and table rows; a block keeps the page it starts on, even across pages."""
    if not lines:
        return []
    body_size = statistics.median(line.size for line in lines)
    pitch = _line_pitch(lines)
    left, right = _margins(lines)
    blocks: list[Block] = []
    current: list[_Line] = []
    row: list[list[Any]] = []  # [x0, text] per cell of the table row being read
    current_kind: BlockKind = "paragraph"

    def flush() -> None:
        if current:
            text = (
                " | ".join(cell[1] for cell in row)
                if current_kind == "table_row"
                else _join([x.text for x in current])
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


def _line_pitch(lines: Sequence[_Line]) -> float:
    """The distance between the tops of lines within a paragraph; more than that separates paragraphs.

    Taken low in the distribution (the 20th percentile): the steps between short paragraphs can
    outnumber those inside them, and a few odd lines (superscripts) must not set it either.
    """
    steps = sorted(
        b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and b.top > a.top
    )
    return steps[len(steps) // 5] if steps else math.inf


def _continues_row(row: list[list[Any]], line: _Line) -> bool:
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


def _margins(lines: Sequence[_Line]) -> tuple[dict[int, float], dict[int, float]]:
    """Left and right text edges per page width, where wrapped lines start and end.

    The right edge is where lines end most often at their longest; when fewer than three lines get
    there, nothing wrapped and the longest line says nothing, so the margins are assumed symmetric.
    """
    groups: dict[int, list[_Line]] = defaultdict(list)
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


def _heading_like(line: _Line, body_size: float, left: float, right: float) -> bool:
    """A short line set in a larger font, or centred between the margins, such as a title."""
    if len(line.text) > 60:
        return False
    if line.size >= body_size * 1.15:
        return True
    indent, trail = line.x0 - left, right - line.x1
    return len(line.text) <= 40 and indent > 2 * line.size and abs(indent - trail) <= 2 * line.size


def _continues(prev: _Line, line: _Line, right: dict[int, float]) -> bool:
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
        elif _is_cjk(prev[-1]) or _is_cjk(line[0]):
            pieces.append(line)
        else:
            pieces.append(f" {line}")
    return "".join(pieces)


def _is_cjk(ch: str) -> bool:
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


# --- legacy .doc / .wps ------------------------------------------------------------------------


def _read_legacy(src: _Source) -> RawDocument:
    """Convert a .doc/.wps/.rtf file to .docx with LibreOffice in a throw-away folder, then read that."""
    if src.data.startswith(_OLE2_MAGIC) and _ENCRYPTED_OFFICE in src.data:
        raise LoadError(
            f"{src.name}: the Word file is password-protected; open it in Word, remove the password "
            "(File > Info > Protect Document) and save it again"
        )
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise LoadError(
            f"{src.name}: a legacy Word (.doc/.wps/.rtf) file; save it as .docx, "
            "or install LibreOffice to convert it"
        )
    suffix = ".rtf" if src.data.startswith(_RTF_MAGIC) else Path(src.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="auditor-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"input{suffix if suffix in LEGACY_SUFFIXES else '.doc'}"
        source.write_bytes(src.data)
        command = [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
            data = source.with_suffix(".docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            raise LoadError(
                f"{src.name}: LibreOffice could not convert this legacy Word file ({_reason(exc)})"
            ) from exc
    document = _read_docx(_Source(data, src.name))
    note = "Converted from a legacy Word file with LibreOffice; check numbering and tables."
    return replace(document, warnings=(*document.warnings, note))


_PHOTO_WIDTH = 595.0  # a photo is measured as if it were an A4 page this many points wide


def _read_image(src: _Source) -> RawDocument:
    """A photo or scan of one contract page (PNG/JPEG), read by OCR."""
    unavailable = ocr.missing()
    if unavailable:
        raise LoadError(f"{src.name}: an image needs OCR to be read; {unavailable}")
    try:
        with Image.open(io.BytesIO(src.data)) as opened:
            if opened.width * opened.height > ocr.MAX_PIXELS:
                raise LoadError(
                    f"{src.name}: the image is {opened.width} × {opened.height} pixels, too large to read; "
                    "scale it down"
                )
            image = ImageOps.exif_transpose(opened)  # phone photos are often stored turned
    except Image.DecompressionBombError as exc:
        raise LoadError(f"{src.name}: the image is too large to read; scale it down") from exc
    scale = image.width / _PHOTO_WIDTH
    _report(src, 0, 1)
    rows = ocr.read_image(image, scale=scale)
    _report(src, 1, 1)
    lines = [_ocr_line(row, 1, _PHOTO_WIDTH, image.height / scale) for row in rows]
    blocks = _pdf_blocks(_drop_furniture([lines]))
    if not blocks:
        raise LoadError(f"{src.name}: no text could be recognised in the image")
    return RawDocument(
        name=src.name,
        format="image",
        blocks=tuple(blocks),
        pages=1,
        warnings=(f"The image was read by OCR. {_OCR_CAVEAT}",),
        ocr_pages=(1,),
    )


def _read_markdown(src: _Source) -> RawDocument:
    """A Markdown file: like text, with '#' headings and '|' table rows recognised."""
    return _read_text(src, markdown=True)


_READERS: dict[str, Callable[[_Source], RawDocument]] = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "legacy": _read_legacy,
    "txt": _read_text,
    "md": _read_markdown,
    "image": _read_image,
}
