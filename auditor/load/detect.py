"""Which reader a file needs: by its magic bytes first, by its name only when the content says nothing."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

from auditor.load.limits import LIMIT_FLAGS, MAX_BYTES
from auditor.load.source import LoadError, reason
from auditor.load.text import decode_text

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".md", ".png", ".jpg", ".jpeg")
LEGACY_SUFFIXES: tuple[str, ...] = (".doc", ".wps", ".rtf")  # read only through LibreOffice


_PDF_MAGIC = re.compile(rb"%PDF-\d")  # may follow some junk bytes, as readers allow
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .doc and .wps
RTF_MAGIC = b"{\\rtf"  # Word's other old format, also converted by LibreOffice
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_ENCRYPTED_OFFICE = "EncryptedPackage".encode("utf-16-le")  # stream of a password-protected .docx


def read_path(path: Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing files over `limit` bytes before reading them, and anything but a regular
    file before opening it (opening a FIFO waits for a writer forever; a device like /dev/zero never ends).
    Even a regular file is read only up to the limit: /proc files say they are empty, and files grow.
    """
    try:
        info = path.stat()
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise LoadError(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise LoadError(
                f"{name}: is {_special_kind(mode)}, not a regular file; save the contract to a file "
                "(or pipe it to `contract-audit audit -`)"
            )
        if info.st_size > limit:
            raise LoadError(too_large(name, limit))
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise LoadError(too_large(name, limit))
        return data
    except FileNotFoundError as exc:
        raise LoadError(f"{name}: file not found") from exc
    except PermissionError as exc:
        raise LoadError(f"{name}: permission denied") from exc
    except OSError as exc:
        raise LoadError(f"{name}: cannot be read ({reason(exc)})") from exc


def too_large(name: str, limit: int) -> str:
    """The refusal of a file over the size limit."""
    return f"{name}: the file is larger than the {limit // 2**20} MB limit ({_FILE_HINT})"


_FILE_HINT = next(f.hint for f in LIMIT_FLAGS if f.field == "file_bytes")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def detect_format(data: bytes, name: str) -> str:
    """Which reader to use: magic bytes first, the file name's suffix only when the content says nothing."""
    suffix = Path(name).suffix.lower()
    if _PDF_MAGIC.search(data[:1024]):
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith((OLE2_MAGIC, RTF_MAGIC)):
        return "legacy"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:  # e.g. "zip file version 18.1"
            raise LoadError(f"{name}: the .docx (ZIP) file is damaged or truncated") from exc
        if "word/document.xml" in names or suffix == ".docx":
            return "docx"
        raise LoadError(f"{name}: a ZIP archive but not a Word .docx document; supported: {supported()}")
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
    if suffix == ".txt" or decode_text(data) is not None:
        return "txt"
    raise LoadError(f"{name}: unsupported file type (not PDF, DOCX, text or image); supported: {supported()}")


def supported() -> str:
    """The supported suffixes, for messages."""
    return ", ".join(SUPPORTED_SUFFIXES)
