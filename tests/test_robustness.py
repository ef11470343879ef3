"""Any real file in, a clear answer out: bad files end in one line, odd but valid files are audited.

Every case goes through the whole pipeline (`auditor.pipeline.audit`) and through the command line
(`contract-audit audit`, in-process with one worker and no result store). tests/test_load.py covers
the loader's own behaviour on the same inputs; here the question is what the user finally sees.
The bad files are built here, in memory, from the fixtures in tests/fixtures/files.
"""

from __future__ import annotations

import functools
import io
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from auditor import cli
from auditor.checks import CHECKS
from auditor.load import LoadError, limits, load
from auditor.model import AuditReport
from auditor.pipeline import audit
from tests.hostile_content import zipped

FILES = Path(__file__).parent / "fixtures" / "files"
ZH_TEXT = (FILES / "contract_zh.txt").read_text(encoding="utf-8")
ZH_LINES = [line for line in ZH_TEXT.splitlines() if line.strip()]
CHECK_IDS = [check.id for check in CHECKS]


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


def docx_with_body(body: bytes) -> bytes:
    """The Chinese fixture .docx with its word/document.xml replaced."""
    with zipfile.ZipFile(io.BytesIO(fixture("contract_zh.docx"))) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return zipped({**members, "word/document.xml": body})


def big_xml_part() -> bytes:
    """A .docx whose document.xml is 2 MB of poorly compressible XML (the limit is lowered to 1 MB)."""
    noise = "".join(f"{(i * 7919) % 100003:05x}" for i in range(400_000)).encode()
    return docx_with_body(b"<w:document>" + noise + b"</w:document>")


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&h;</w:t></w:r></w:p></w:body></w:document>"""

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
BAD_FILES: dict[str, tuple[bytes, str]] = {  # file name: (content, what the message must say)
    "empty.txt": (b"", "the file is empty"),
    "blank.txt": (" \r\n\t\n\u3000\n".encode(), "no readable text"),
    "truncated.pdf": (fixture("contract_zh.pdf")[:3000], "PDF file is damaged or truncated"),
    "truncated.docx": (fixture("contract_zh.docx")[:9000], "damaged or truncated"),
    "no_body.docx": (zipped({"word/document.xml": b"<w:document"}), "damaged or truncated"),
    "encrypted.pdf": (fixture("encrypted.pdf"), "password-protected; pass its password with --password"),
    "locked.docx": (OLE2 + bytes(504) + "EncryptedPackage".encode("utf-16-le"), "is password-protected"),
    "bomb.docx": (
        zipped({"word/document.xml": bytes(limits.LARGE_MEMBER + 1)}),
        "compressed more than 100:1; it may be a zip bomb",
    ),
    "huge_part.docx": (
        big_xml_part(),
        "part word/document.xml holds 1 MB of XML (limit 1 MB; raise it with --max-xml-mb MB)",
    ),
    "entities.docx": (docx_with_body(ENTITY_BOMB), "damaged or truncated (XMLSyntaxError: Maximum entity"),
    "garbage.bin": (fixture("garbage.bin"), "unsupported file type"),
    "garbage.txt": (bytes(range(256)) * 40, "does not look like a text file"),
    "random.pdf": (bytes(range(7, 200)) * 30, "not a valid PDF"),
    "photo.jpg": (b"\xff\xd8\xff\xe0" + bytes(100), "image file is damaged or truncated"),
    "legacy.doc": (OLE2 + bytes(1024), "legacy Word (.doc/.wps/.rtf) file; save it as .docx"),
    "legacy.wps": (OLE2 + bytes(1024), "install LibreOffice to convert it"),
    "sheet.docx": (zipped({"xl/workbook.xml": b"<workbook/>"}), "damaged or truncated"),
}


SMALL_XML = limits.Limits(xml_part_bytes=2**20)  # the XML part limit lowered to 1 MB, as --max-xml-mb 1


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Legacy files must give the same answer on every machine, with or without LibreOffice."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    """contract-audit in-process, with the XML part limit at 1 MB: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdout", out)
        mp.setattr("sys.stderr", err)
        code = cli.main(["audit", *map(str, args), "--workers", "1", "--no-db", "--max-xml-mb", "1"])
    return code, out.getvalue(), err.getvalue()


def statuses(report: AuditReport) -> dict[str, str]:
    return {f.check_id: f.status.value for f in report.findings}


@functools.cache
def reference() -> AuditReport:
    """The audit of the plain UTF-8 Chinese fixture, which the re-encoded versions must match."""
    return audit(FILES / "contract_zh.txt")


# --- bad files: one line, no traceback ---------------------------------------------------------


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_robustness_bad_file_audit_raises_one_line(name: str) -> None:
    data, message = BAD_FILES[name]
    with pytest.raises(LoadError) as err:
        audit(data, filename=name, limits=SMALL_XML)
    assert str(err.value).startswith(f"{name}: ") and message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_robustness_bad_file_cli_exits_2_with_one_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name][0])
    code, _, err = run_cli(path)
    assert code == 2
    assert err.count("\n") == 1 and BAD_FILES[name][1] in err and "Traceback" not in err


def test_robustness_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    for name in ("empty.txt", "truncated.pdf", "bomb.docx"):
        (tmp_path / name).write_bytes(BAD_FILES[name][0])
    shutil.copy(FILES / "contract_zh.txt", tmp_path / "good_zh.txt")
    shutil.copy(FILES / "contract_en.docx", tmp_path / "good_en.docx")
    code, out, err = run_cli(tmp_path, "--format", "jsonl")
    assert code == 2 and "Traceback" not in err
    assert sum(line.startswith("contract-audit: ") for line in err.splitlines()) == 3
    audited = [line for line in out.splitlines() if '"checks"' in line]
    assert len(audited) == 2


def test_robustness_encrypted_pdf_opens_with_password_option() -> None:
    code, out, err = run_cli(FILES / "encrypted.pdf", "--password", "secret", "--format", "json")
    assert (code, err) == (0, "") and '"checks"' in out


def test_robustness_encrypted_pdf_wrong_password(tmp_path: Path) -> None:
    code, _, err = run_cli(FILES / "encrypted.pdf", "--password", "guess")
    assert code == 2 and err.count("\n") == 1 and "wrong password" in err


# --- odd but valid files: audited like their plain twin ------------------------------------------


@pytest.mark.parametrize(
    "name", ["contract_zh_gb18030.txt", "contract_zh_utf16.txt", "contract_zh_bom.txt", "contract_zh.docx"]
)
def test_robustness_encodings_and_formats_give_the_same_findings(name: str) -> None:
    report = audit(FILES / name)
    assert statuses(report) == statuses(reference())
    assert report.red_flags == reference().red_flags or name.endswith(".docx")


def test_robustness_bomless_utf16_and_crlf_text() -> None:
    report = audit(ZH_TEXT.replace("\n", "\r\n").encode("utf-16-le"), filename="合同.txt")
    assert statuses(report) == statuses(reference())


def test_robustness_pdf_named_docx_audited_as_pdf() -> None:
    report = audit(fixture("contract_en.pdf"), filename="contract.docx")
    assert report.format == "pdf" and [f.check_id for f in report.findings] == CHECK_IDS


def test_robustness_traditional_chinese_same_findings_as_simplified() -> None:
    report = audit(FILES / "contract_zh_traditional.txt")
    assert report.language == "zh"
    assert statuses(report) == statuses(reference())


def test_robustness_mixed_chinese_english_contract() -> None:
    english = [block.text for block in load(FILES / "contract_en.docx").blocks]
    bilingual = "\n".join(f"{zh}\n{en}" for zh, en in zip(ZH_LINES, english, strict=False))
    report = audit(bilingual.encode("utf-8"), filename="bilingual.txt")
    assert report.language == "zh" and [f.check_id for f in report.findings] == CHECK_IDS


def test_robustness_contract_without_any_numbering() -> None:
    numbered = "第0123456789"
    unnumbered = "\n".join(line.split(" ", 1)[-1] if line[:1] in numbered else line for line in ZH_LINES)
    report = audit(unnumbered.encode("utf-8"), filename="plain.txt")
    assert [f.check_id for f in report.findings] == CHECK_IDS
    assert all(c.number is None for c in report.clauses)


def test_robustness_whole_contract_on_one_500k_line() -> None:
    one_line = "".join(ZH_TEXT.split())
    text = (one_line * (500_000 // len(one_line) + 1))[:500_000]
    report = audit(text.encode("utf-8"), filename="one_line.txt")
    assert [f.check_id for f in report.findings] == CHECK_IDS
    assert max(len(c.text) for c in report.clauses) <= 500_000


def test_robustness_long_line_without_full_stops_is_cut_into_blocks() -> None:
    text = "甲方应按时付款，乙方应按月提交报告，" * 6_000  # 108,000 characters, not one sentence end
    report = audit(text.encode("utf-8"), filename="commas.txt")
    assert [f.check_id for f in report.findings] == CHECK_IDS
    assert report.text.replace("\n", "") == text
    assert max(len(line) for line in report.text.split("\n")) <= limits.MAX_BLOCK


def test_robustness_text_longer_than_the_limit_refused() -> None:
    with pytest.raises(
        LoadError, match=r"characters long, more than the 1,000 an audit reads; split the file, or raise"
    ):
        audit(FILES / "contract_zh.txt", limits=limits.Limits(chars=1_000))


def test_robustness_300_page_text_contract_in_bounded_memory() -> None:
    pages = "\n".join([ZH_TEXT] * 75)  # 75 copies of a 4-page contract: about 300 pages
    tracemalloc.start()
    try:
        report = audit(pages.encode("utf-8"), filename="long.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(report.clauses) > 3_000 and [f.check_id for f in report.findings] == CHECK_IDS
    assert peak < 400 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_robustness_30_page_pdf() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(30):
        c.setFont("STSong-Light", 10.5)
        for row in range(40):
            c.drawString(60, 780 - 18 * row, ZH_LINES[(page * 40 + row) % len(ZH_LINES)][:42])
        c.showPage()
    c.save()
    report = audit(buffer.getvalue(), filename="long.pdf")
    assert report.pages == 30 and [f.check_id for f in report.findings] == CHECK_IDS
