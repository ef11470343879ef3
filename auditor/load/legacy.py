"""Legacy Word (.doc/.wps/.rtf): converted by LibreOffice in a throw-away folder, then read as .docx."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from auditor.load.detect import _ENCRYPTED_OFFICE, LEGACY_SUFFIXES, OLE2_MAGIC, RTF_MAGIC
from auditor.load.docx import read_docx
from auditor.load.limits import CONVERT_TIMEOUT
from auditor.load.source import LoadError, Source, reason
from auditor.model import RawDocument

# --- legacy .doc / .wps ------------------------------------------------------------------------


def read_legacy(src: Source) -> RawDocument:
    """Convert a .doc/.wps/.rtf file to .docx with LibreOffice in a throw-away folder, then read that."""
    if src.data.startswith(OLE2_MAGIC) and _ENCRYPTED_OFFICE in src.data:
        raise LoadError(
            f"{src.name}: the Word file is password-protected; open it in Word, remove the password "
            "(File > Info > Protect Document) and save it again"
        )
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise LoadError(
            f"{src.name}: a legacy Word (.doc/.wps/.rtf) file; save it as .docx, or install LibreOffice to convert it"
        )
    suffix = ".rtf" if src.data.startswith(RTF_MAGIC) else Path(src.name).suffix.lower()
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
            _convert(command)
            data = source.with_suffix(".docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            raise LoadError(f"{src.name}: LibreOffice could not convert this legacy Word file ({reason(exc)})") from exc
    document = read_docx(Source(data, src.name, limits=src.limits))
    note = "Converted from a legacy Word file with LibreOffice; check numbering and tables."
    return replace(document, warnings=(*document.warnings, note))


def _convert(command: list[str]) -> None:
    """Run LibreOffice in a process group of its own, killed whole however this ends (its timeout, an
    error, or the worker stopped by SIGTERM): `soffice` starts `soffice.bin`, which a kill of the first
    alone would leave running.
    """
    scratch = {**os.environ, "TMPDIR": str(Path(command[-1]).parent)}  # its own temporary files go there too
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=scratch
    ) as office:
        try:
            _, errors = office.communicate(timeout=CONVERT_TIMEOUT)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(office.pid, signal.SIGKILL)
    if office.returncode:
        raise subprocess.CalledProcessError(office.returncode, command, stderr=errors)
