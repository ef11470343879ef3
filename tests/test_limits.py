"""Every loader limit has a flag (issue #14): lowered, each refuses a small file made here with one line
naming the flag that raises it, in bounded time and memory; raised, a file past the default is read; and
docs/robustness.md lists every limit with its default and flag, as the code has them.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.load.limits import LIMIT_FLAGS, LimitFlag, Limits
from tests.conftest import ROOT
from tests.hostile_content import ZH_TEXT, docx_members, run_measured, zipped
from tests.hostile_pdf import RECTANGLE, pdf_bytes, text_page

ZH_DOCX = ROOT / "tests" / "fixtures" / "files" / "contract_zh.docx"
ARTICLE = b"BT /F1 12 Tf 72 720 Td (Article 1 The Client shall pay the fee.) Tj ET"
MB = 2**20


def _padded_docx(part: str, size: int) -> bytes:
    """The Chinese fixture .docx with `part` grown to `size` bytes (spaces after the XML, or zeros)."""
    members = docx_members(ZH_DOCX.read_bytes())
    filler = b" " if part.endswith(".xml") else b"\0"
    members[part] = members.get(part, b"") + filler * (size - len(members.get(part, b"")))
    return zipped(members)


def _png(width: int, height: int) -> bytes:
    """A blank greyscale PNG of that size (a few KB)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _big_text() -> bytes:
    return ZH_TEXT.encode() * (MB // len(ZH_TEXT.encode()) + 2)


# flag → its lowered value, the file (name, bytes) past it, and the refusal's words before the hint
LOWERED: dict[str, tuple[str, tuple[str, Callable[[], bytes]], str]] = {
    "--max-file-mb": ("1", ("big.txt", _big_text), "the file is larger than the 1 MB limit"),
    "--max-docx-mb": (
        "1",
        ("filler.docx", lambda: _padded_docx("word/media/filler.bin", 2 * MB)),
        "the .docx would expand to 2 MB (limit 1 MB); it may be a zip bomb",
    ),
    "--max-xml-mb": (
        "1",
        ("wide.docx", lambda: _padded_docx("word/document.xml", 2 * MB)),
        "part word/document.xml holds 2 MB of XML (limit 1 MB;",
    ),
    "--max-pages": (
        "2",
        ("pages.pdf", lambda: pdf_bytes([ARTICLE] * 3)),
        "refused: the PDF has 3 pages, more than the 2 an audit reads",
    ),
    "--max-page-chars": (
        "100",
        ("dense.pdf", lambda: pdf_bytes([text_page(500)])),
        "refused: page 1 holds 500 characters, more than the 100 a page may hold",
    ),
    "--max-chars": (
        "1000",
        ("long.txt", ZH_TEXT.encode),
        "characters long, more than the 1,000 an audit reads; split the file, or",
    ),
    "--max-render-megapixels": (
        "1",
        ("poster.pdf", lambda: pdf_bytes([RECTANGLE], size=(2_000, 2_000))),
        "refused: page 1 is 2,000 × 2,000 pt, too large to read by OCR within 1,000,000 pixels",
    ),
    "--max-photo-megapixels": (
        "1",
        ("photo.png", lambda: _png(2_000, 1_000)),
        "the image is 2000 × 1000 pixels, too large to read; scale it down, or",
    ),
}


def test_every_limit_flag_has_a_lowered_case() -> None:
    assert sorted(LOWERED) == sorted(limit.flag for limit in LIMIT_FLAGS)


@pytest.mark.parametrize("limit", LIMIT_FLAGS, ids=lambda limit: limit.flag)
def test_a_lowered_limit_refuses_in_one_line_naming_its_flag(limit: LimitFlag, tmp_path: Path) -> None:
    flag = limit.flag
    value, (name, make), words = LOWERED[flag]
    path = tmp_path / name
    path.write_bytes(make())
    start = time.monotonic()
    code, _, err, peak_mb = run_measured("audit", str(path), "--no-db", "--workers", "1", flag, value)
    seconds = time.monotonic() - start
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"contract-audit: {path}: ")
    assert words in line
    assert f"raise it with {flag} {limit.metavar}" in line
    assert seconds < 60 and peak_mb < 600, (seconds, peak_mb)


def test_a_raised_limit_reads_a_file_past_the_default(tmp_path: Path) -> None:
    """A 51 MB PDF (one page of text, then padding a reader skips) is refused at 50 MB, read at 60."""
    path = tmp_path / "padded.pdf"
    path.write_bytes(pdf_bytes([ARTICLE]) + b"%" + b"0" * (51 * MB) + b"\n")
    refused = run_measured("audit", str(path), "--no-db", "--workers", "1")
    assert refused[0] == 2
    assert refused[2].splitlines() == [
        f"contract-audit: {path}: the file is larger than the 50 MB limit (raise it with --max-file-mb MB)"
    ]
    code, out, err, peak_mb = run_measured("audit", str(path), "--no-db", "--workers", "1", "--max-file-mb", "60")
    assert code == 0, err
    assert "padded.pdf" in out
    assert peak_mb < 1_000


@pytest.mark.parametrize("command", [("audit",), ("dispute", "--scenario", "kpi_missed")])
def test_a_limit_below_one_is_a_usage_error(command: tuple[str, ...]) -> None:
    code, _, err, _ = run_measured(
        *command, str(ROOT / "tests" / "fixtures" / "files" / "contract_zh.txt"), "--max-pages", "0"
    )
    assert code == 2
    assert err.splitlines() == ["contract-audit: --max-pages must be at least 1"]


def test_robustness_md_lists_every_limit_with_its_default_and_flag() -> None:
    """The table in docs/robustness.md ("| limit | default | flag |" rows naming a --max-… flag) is the
    code's: the same flags, each with the default the code has, in the flag's unit.
    """
    text = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [^|]+ \| ([\d,.]+)(?: (MB|million))? [^|]*\| `(--max-[a-z-]+) [A-Z]+` \|$", text, re.M)
    documented = {flag: float(default.replace(",", "")) for default, _, flag in rows}
    defaults = Limits()
    assert documented == {limit.flag: getattr(defaults, limit.field) / limit.unit for limit in LIMIT_FLAGS}


def test_a_stored_result_is_reused_only_under_the_same_limits(tmp_path: Path) -> None:
    """A raised render limit reads a large scan at a higher resolution: its results are kept apart."""
    from auditor.batch.pool import Options, run_batch
    from auditor.batch.store import Store

    contract = tmp_path / "contract_zh.txt"
    contract.write_text(ZH_TEXT, encoding="utf-8")
    raised = Options(workers=1, limits=Limits(render_pixels=50_000_000))
    with Store(tmp_path / "audits.sqlite") as store:
        runs = [run_batch([contract], options, store=store).from_store for options in (Options(workers=1), raised)]
        runs += [run_batch([contract], options, store=store).from_store for options in (Options(workers=1), raised)]
    assert runs == [0, 0, 1, 1]
