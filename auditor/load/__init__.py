"""Loading stage: read a contract file into a `RawDocument` of blocks in reading order.

Formats are recognised by their content (magic bytes) before their name, so a PDF saved as ``.docx``
still loads. Every failure the user can cause (missing, empty, damaged, encrypted, too big, unsupported,
scanned without OCR installed) surfaces as one `LoadError` whose message is a single readable line;
nothing else escapes `load`. Scanned PDF pages and photos (PNG/JPEG) are read by OCR (auditor/ocr.py),
and their lines go through the same paragraph rules as PDF text. Uploaded bytes are parsed in memory;
only a legacy ``.doc``/``.wps`` conversion touches disk, in a temporary directory that is always removed.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from auditor.load.detect import SUPPORTED_SUFFIXES, detect_format, read_path, too_large
from auditor.load.limits import MAX_BYTES, Limits, within_size
from auditor.load.source import LoadError, Progress, Source, reason
from auditor.load.text import blocks_or_fail, text_blocks
from auditor.model import RawDocument

__all__ = ["MAX_BYTES", "SUPPORTED_SUFFIXES", "Limits", "LoadError", "Progress", "load", "load_text"]


def load(
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> RawDocument:
    """Read a contract from a path or from raw bytes (an upload) into a `RawDocument`.

    Args:
        source: a file path, or the file's bytes (never written to disk).
        filename: the name to report and whose suffix hints the format; needed for bytes.
        password: the password of an encrypted PDF.
        progress: called with (pages done, pages to read) before and after each page read by OCR,
            which takes a second or two a page; never called for files with a text layer.
        limits: sizes, pages and characters refused before they are read (default: `limits.Limits()`).

    Raises:
        LoadError: the file is missing, empty, too large, damaged, encrypted, scanned or unsupported.
    """
    limits = limits or Limits()
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        data = read_path(path, name, limits.file_bytes)
    if not data:
        raise LoadError(f"{name}: the file is empty")
    if len(data) > limits.file_bytes:
        raise LoadError(too_large(name, limits.file_bytes))
    fmt = detect_format(data, name)
    try:
        document = _reader(fmt)(Source(data, name, password, progress, limits))
    except LoadError:
        raise
    except Exception as exc:  # a damaged file can make any parser fail in its own way
        label = {"pdf": "PDF", "docx": ".docx", "legacy": "Word", "image": "image"}.get(fmt, "text")
        raise LoadError(f"{name}: the {label} file is damaged or truncated ({reason(exc)})") from exc
    return within_size(document, limits)


def load_text(text: str, name: str = "pasted.txt") -> RawDocument:
    """Wrap pasted text as a document, one block per non-empty line.

    Raises:
        LoadError: the text has no visible characters.
    """
    blocks = blocks_or_fail(text_blocks(text, markdown=False), name)
    return within_size(RawDocument(name=name, format="text", blocks=blocks), Limits())


# format → (module, function): a reader's libraries (pypdfium2, python-docx, OCR) load only when a file
# of that format is met, so auditing a .txt never imports them.
_READERS: dict[str, tuple[str, str]] = {
    "pdf": ("auditor.load.pdf", "read_pdf"),
    "docx": ("auditor.load.docx", "read_docx"),
    "legacy": ("auditor.load.legacy", "read_legacy"),
    "txt": ("auditor.load.text", "read_text"),
    "md": ("auditor.load.text", "read_markdown"),
    "image": ("auditor.load.image", "read_photo"),
}


def _reader(fmt: str) -> Callable[[Source], RawDocument]:
    module, function = _READERS[fmt]
    reader: Callable[[Source], RawDocument] = getattr(importlib.import_module(module), function)
    return reader
