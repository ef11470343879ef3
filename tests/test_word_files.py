"""Hostile and odd Word files: ZIP headers that lie, comments parts the export did not write, the tool's own
annotated files fed back to it, embedded documents (altChunk).

The files are built at test time from tests/fixtures/files (tests/hostile_content.py). Where memory is the
point, the command runs in its own process and its peak is measured (getrusage), with a generous bound.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.load import LoadError, limits, load
from tests.hostile_content import FILES, docx_members, lying_zip, run_measured

ZH_DOCX = (FILES / "contract_zh.docx").read_bytes()


def test_word_lying_zip_headers_do_not_inflate_the_member(tmp_path: Path) -> None:
    """document.xml claims 1 KB (with the CRC of its first KB) and inflates to 512 MB: read the way
    python-docx reads it (`zipfile.read`), it peaks above 1 GB; the loader stops at the 32 MB XML limit.
    """
    path = tmp_path / "lying.docx"
    path.write_bytes(lying_zip(docx_members(ZH_DOCX), "word/document.xml", inflated=512 * 2**20))

    code, _, err, peak_mb = run_measured("audit", str(path), "--no-db", "--workers", "1")

    assert code == 2
    assert err.splitlines() == [
        f"contract-audit: {path}: refused: part word/document.xml inflates past the 32 MB limit; it may be a zip bomb"
    ]
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def test_word_member_not_what_its_header_states_is_damaged() -> None:
    """A member that inflates to fewer bytes than claimed (here: a lie under every limit) is refused."""
    lie = lying_zip(docx_members(ZH_DOCX), "word/document.xml", inflated=2**20, claimed=2**20 + 1)
    with pytest.raises(LoadError, match=r"^lie.docx: the .docx file is damaged: part word/document.xml is not what"):
        load(lie, "lie.docx")


def test_word_members_are_counted_as_they_inflate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package total holds for the bytes that come out, member after member."""
    monkeypatch.setattr(limits, "check_zip_limits", lambda src: None)  # as if every header understated
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED", 20_000)
    with pytest.raises(
        LoadError, match=r"^many.docx: refused: part .* inflates past the 1 MB limit; it may be a zip bomb"
    ):
        load(ZH_DOCX, "many.docx")
