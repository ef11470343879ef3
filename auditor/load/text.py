"""Plain text and Markdown: decoding whatever Chinese and English editors save, one block per line."""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections.abc import Sequence

from auditor.load.source import LoadError, Source
from auditor.model import Block, RawDocument
from auditor.text.numbering import split_run_on

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"})
_SAMPLE = 100_000  # characters inspected when judging whether a decoding is plausible
CUT_UTF8 = "utf-8, cut short"  # UTF-8 whose last character was cut in the middle (a truncated copy)


def read_text(src: Source, *, markdown: bool = False) -> RawDocument:
    """A .txt or .md file in whatever encoding Chinese and English editors save."""
    decoded = decode_text(src.data)
    if decoded is None:
        raise LoadError(f"{src.name}: does not look like a text file (binary content or unknown encoding)")
    text, encoding = decoded
    warnings: tuple[str, ...] = ()
    if encoding == CUT_UTF8:
        warnings = ("The file ends in the middle of a character (it was cut short); that character is shown as �.",)
    elif encoding not in _SURE_ENCODINGS:
        warnings = (f"Text encoding guessed as {encoding}; check that the characters look right.",)
    return RawDocument(
        name=src.name,
        format="md" if markdown else "txt",
        blocks=blocks_or_fail(text_blocks(text, markdown=markdown), src.name),
        warnings=warnings,
    )


def decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for bytes that are text, else None.

    Order: a BOM; BOM-less UTF-16 recognised by its NUL pattern; strict UTF-8 (also when only the last
    character is cut short: `CUT_UTF8`, with one replacement mark); GB18030 if the result reads like
    Simplified Chinese (Big5 bytes also decode as GB18030, into nonsense); charset-normalizer.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return (text, encoding) if _plausible(text) else None
    candidates = [enc for enc in (_bomless_utf16(data), "utf-8", "gb18030") if enc]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            if encoding != "utf-8" or err.end != len(data) or err.reason != "unexpected end of data":
                continue
            text, encoding = data[: err.start].decode(encoding) + "\ufffd", CUT_UTF8
        if not _plausible(text.removesuffix("\ufffd") if encoding == CUT_UTF8 else text):
            continue
        if encoding != "gb18030" or _reads_as_simplified(text):
            return text, encoding
        break
    import charset_normalizer  # the last resort, for a file no usual encoding reads: not imported before

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
# Inline HTML in Markdown (<span class="…">Provider</span>, <br>): markup around the words, not words.
_MD_INLINE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]{0,300})?/?>")


def text_blocks(text: str, *, markdown: bool) -> list[Block]:
    """One block per non-empty line; Markdown headings and table rows keep their kind, inline HTML tags
    are dropped (their text stays).
    """
    blocks: list[Block] = []
    for raw in text.splitlines():  # splits on \r\n, \r, \n and Unicode line separators alike
        line = _MD_INLINE_HTML.sub("", raw).strip() if markdown else raw.strip()
        if not line:
            continue
        if markdown and (m := _MD_HEADING.match(line)):
            blocks.append(Block(m.group(2), kind="heading", level=len(m.group(1))))
        elif markdown and line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _MD_TABLE_RULE.match(line):
                cells = [c.strip() for c in line.strip("|").split("|")]
                blocks.append(Block(" | ".join(c for c in cells if c), kind="table_row"))
        else:
            blocks.extend(Block(piece) for piece in split_run_on(line))
    return [b for b in blocks if b.text]


def blocks_or_fail(blocks: Sequence[Block], name: str) -> tuple[Block, ...]:
    """The blocks, or a LoadError when there is nothing to audit."""
    if not blocks:
        raise LoadError(f"{name}: no readable text in the file")
    return tuple(blocks)


def read_markdown(src: Source) -> RawDocument:
    """A Markdown file: like text, with '#' headings and '|' table rows recognised."""
    return read_text(src, markdown=True)
