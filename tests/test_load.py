"""Tests for auditor.load: every format, the layout repairs, and every bad input a user can hand us.

Fixture files come from scripts/make_fixture_files.py; small PDFs, DOCX and ZIP files that need one
specific property are built here in memory.
"""

from __future__ import annotations

import builtins
import functools
import io
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from auditor import load as load_module
from auditor.load import MAX_BYTES, SUPPORTED_SUFFIXES, LoadError, docx_numbering, limits, load, load_text
from auditor.model import RawDocument
from tests.hostile_content import zipped

FILES = Path(__file__).parent / "fixtures" / "files"
ZH_LINES = [line for line in (FILES / "contract_zh.txt").read_text(encoding="utf-8").splitlines() if line]
ZH_TABLE = [
    "期数 | 比例 | 付款条件",
    "第一期 | 30% | 合同签订后五个工作日内",
    "第二期 | 40% | 服务满六个月且甲方验收合格后",
    "第三期 | 30% | 服务期满且双方结算完毕后",
    "合计 | 100%",
]


@functools.cache
def loaded(name: str) -> RawDocument:
    """Load a fixture file once; RawDocument is frozen, so tests can share it."""
    return load(FILES / name)


def texts(doc: RawDocument) -> list[str]:
    """Block texts, the form most assertions compare."""
    return [block.text for block in doc.blocks]


def pdf_bytes(pages: Sequence[Sequence[str]], header: str = "", footer: str = "") -> bytes:
    """A Helvetica PDF with the given lines per page, built in memory for one property under test.

    `{n}`/`{m}` in header/footer become the page number and count (set in STSong-Light, which has
    Chinese too); a tab in a line separates cells drawn 120 pt apart, as in a table or after a list
    number followed by a tab stop; an empty line leaves a blank line.
    """
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 9)
        if header:
            c.drawCentredString(297, 800, header.format(n=n, m=len(pages)))
        if footer:
            c.drawCentredString(297, 40, footer.format(n=n, m=len(pages)))
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            for col, cell in enumerate(line.split("\t")):
                c.drawString(72 + 120 * col, 740 - 16 * i, cell)
        c.showPage()
    c.save()
    return buffer.getvalue()


def docx_bytes(document: Any) -> bytes:
    """Save a python-docx document in memory, as an upload arrives."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- text files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["contract_zh.txt", "contract_zh_gb18030.txt", "contract_zh_utf16.txt", "contract_zh_bom.txt"]
)
def test_load_text_encodings_give_the_same_lines(name: str) -> None:
    doc = loaded(name)
    assert (doc.format, texts(doc)) == ("txt", ZH_LINES)


def test_load_traditional_chinese_text_kept_as_written() -> None:
    assert texts(loaded("contract_zh_traditional.txt"))[:2] == [
        "某某代運營服務合同",
        "合同編號：DY-2024-0815",
    ]


def test_load_bomless_utf16le_text() -> None:
    data = "\n".join(ZH_LINES).encode("utf-16-le")
    assert texts(load(data, "contract.txt")) == ZH_LINES


def test_load_big5_text_not_mistaken_for_gb18030() -> None:
    traditional = (FILES / "contract_zh_traditional.txt").read_text(encoding="utf-8")
    doc = load(traditional.encode("big5"), "contract.txt")
    assert texts(doc)[0] == "某某代運營服務合同"
    assert any("big5" in warning for warning in doc.warnings)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028"])
def test_load_text_line_endings_normalised(newline: str) -> None:
    data = newline.join(["第一条 服务内容", "", "乙方提供代运营服务。", ""]).encode("utf-8")
    assert texts(load(data, "a.txt")) == ["第一条 服务内容", "乙方提供代运营服务。"]


def test_load_text_very_long_line_cut_at_punctuation() -> None:
    line = "甲方应按时付款。" * 30_000  # 240,000 characters, no newline
    blocks = texts(load(line.encode("utf-8"), "long.txt"))
    assert "".join(blocks) == line and len(blocks) == 120
    assert all(block.endswith("。") and len(block) <= limits.MAX_BLOCK for block in blocks)


def test_load_text_very_long_line_without_punctuation_cut_hard() -> None:
    line = "甲" * 5_000
    assert texts(load(line.encode("utf-8"), "long.txt")) == ["甲" * 2_000, "甲" * 2_000, "甲" * 1_000]


def test_load_markdown_inline_html_dropped_text_kept() -> None:
    data = (
        '1. <span class="header_2" id="1">Uptime</span>\n'
        '    1. <span class="link">Provider</span> will keep the <b>Service</b> available.<br/>\n'
        "Fees are 3 < 5 and 7 > 2 units."
    )
    doc = load(data.encode("utf-8"), "terms.md")
    assert texts(doc) == [
        "1. Uptime",
        "1. Provider will keep the Service available.",
        "Fees are 3 < 5 and 7 > 2 units.",
    ]


def test_load_markdown_headings_and_table_rows() -> None:
    data = "\n".join(
        [
            "# 服务合同",
            "",
            "## 第一条 付款 ##",
            "正文。",
            "###第二条 期限",
            "| 期数 | 比例 |",
            "|---|:---:|",
            "| 第一期 | 30% |",
        ]
    )
    doc = load(data.encode("utf-8"), "合同.md")
    assert doc.format == "md"
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "服务合同"),
        ("heading", 2, "第一条 付款"),
        ("paragraph", None, "正文。"),
        ("heading", 3, "第二条 期限"),
        ("table_row", None, "期数 | 比例"),
        ("table_row", None, "第一期 | 30%"),
    ]


def test_load_text_pasted() -> None:
    doc = load_text("第一条 服务内容\r\n\r\n  乙方提供代运营服务。  ")
    assert (doc.name, doc.format, texts(doc)) == (
        "pasted.txt",
        "text",
        ["第一条 服务内容", "乙方提供代运营服务。"],
    )


def test_load_text_pasted_blank_is_error() -> None:
    with pytest.raises(LoadError, match="no readable text"):
        load_text(" \n\t\n")


def test_load_text_without_filename_sniffed_as_text() -> None:
    doc = load("第一条 服务内容\n乙方提供代运营服务。".encode("gb18030"))
    assert (doc.name, doc.format, len(doc.blocks)) == ("upload", "txt", 2)


# --- DOCX --------------------------------------------------------------------------------------


def test_load_docx_body_matches_text_version() -> None:
    assert texts(loaded("contract_zh.docx"))[: len(ZH_LINES)] == ZH_LINES


@pytest.mark.parametrize(
    ("text", "level"),
    [("某某代运营服务合同", 0), ("第一条 服务内容", 1), ("第十条 其他", 1), ("附件一 服务内容及标准", 2)],
)
def test_load_docx_headings_with_levels(text: str, level: int) -> None:
    [block] = [b for b in loaded("contract_zh.docx").blocks if b.text == text]
    assert (block.kind, block.level) == ("heading", level)


def test_load_docx_word_numbering_rendered() -> None:
    with zipfile.ZipFile(FILES / "contract_zh.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "第一条" not in xml and "1.1 " not in xml  # the numbers exist only as Word list numbering
    assert {"第一条 服务内容", "第十条 其他"} <= set(texts(loaded("contract_zh.docx")))
    assert any(t.startswith("10.2 本合同未尽事宜") for t in texts(loaded("contract_zh.docx")))


def test_load_docx_list_style_numbering_and_bullets() -> None:
    document = Document()
    for text, style in [("Services", "List Number"), ("Fees", "List Number"), ("On time", "List Bullet")]:
        document.add_paragraph(text, style=style)
    assert texts(load(docx_bytes(document), "list.docx")) == ["1. Services", "2. Fees", "On time"]


@pytest.mark.parametrize(
    ("number", "legal", "expected"),
    [(1, False, "一"), (10, False, "十"), (11, False, "十一"), (20, False, "二十"), (105, False, "一百零五"),
     (1010, False, "一千零一十"), (21, True, "贰拾壹"), (10, True, "壹拾")],
)  # fmt: skip
def test_load_docx_chinese_list_numbers(number: int, legal: bool, expected: str) -> None:
    assert docx_numbering.chinese_count(number, legal=legal) == expected


def test_load_docx_table_rows_in_order() -> None:
    doc = loaded("contract_zh.docx")
    rows = [b.text for b in doc.blocks if b.kind == "table_row"]
    start = texts(doc).index(ZH_TABLE[0])
    assert rows == ZH_TABLE
    assert texts(doc)[start - 1].startswith("3.2 ") and texts(doc)[start + len(ZH_TABLE)] == "第四条 双方权利义务"


def test_load_docx_vertically_merged_cell_repeated_per_row() -> None:
    document = Document()
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("期数", "付款条件"), ("第一期", ""), ("第二期", "")]):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    table.cell(1, 1).merge(table.cell(2, 1)).text = "验收合格后十日内"
    doc = load(docx_bytes(document), "merged.docx")
    assert texts(doc) == ["期数 | 付款条件", "第一期 | 验收合格后十日内", "第二期 | 验收合格后十日内"]


@pytest.mark.parametrize(
    ("name", "furniture"),
    [("contract_zh.docx", ["页眉", "页脚"]), ("contract_en.docx", ["CONFIDENTIAL", "Footer"])],
)
def test_load_docx_header_and_footer_excluded(name: str, furniture: list[str]) -> None:
    text = loaded(name).text
    assert not [word for word in furniture if word in text]


def test_load_docx_empty_paragraphs_skipped() -> None:
    assert all(block.text.strip() for block in loaded("contract_zh.docx").blocks)


def test_load_docx_content_controls_and_tracked_changes() -> None:
    document = Document()
    w = nsdecls("w")
    last = document.element.body[-1]  # w:sectPr closes the body
    last.addprevious(
        parse_xml(f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>内容控件中的条款</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    )
    last.addprevious(
        parse_xml(
            f'<w:p {w}><w:r><w:t>付款期限为</w:t></w:r><w:del w:id="1" w:author="a"><w:r>'
            "<w:delText>三十日</w:delText></w:r></w:del>"
            '<w:ins w:id="2" w:author="a"><w:r><w:t>十五日</w:t></w:r></w:ins></w:p>'
        )
    )
    assert texts(load(docx_bytes(document), "revised.docx")) == ["内容控件中的条款", "付款期限为十五日"]


def test_load_macro_enabled_word_file_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes(Document()))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    with pytest.raises(LoadError, match=r"not a Word \.docx document .*save it as \.docx"):
        load(zipped(members), "macro.docm")


def test_load_docx_without_text_is_error() -> None:
    with pytest.raises(LoadError, match="no text"):
        load(docx_bytes(Document()), "blank.docx")


# --- PDF ---------------------------------------------------------------------------------------


def test_load_pdf_chinese_matches_text_version() -> None:
    doc = loaded("contract_zh.pdf")
    assert (doc.format, doc.pages, texts(doc)) == ("pdf", 5, ZH_LINES)


def test_load_pdf_english_matches_docx_version() -> None:
    pdf, docx = texts(loaded("contract_en.pdf")), texts(loaded("contract_en.docx"))
    assert pdf == docx[: len(pdf)]


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("contract_zh.pdf", r"第 \d+ 页"),
        ("contract_en.pdf", r"Page \d+ of \d+"),
        ("contract_en.pdf", r"CONFIDENTIAL DRAFT"),
    ],
)
def test_load_pdf_running_header_and_footer_removed(name: str, pattern: str) -> None:
    assert not re.search(pattern, loaded(name).text)


def test_load_pdf_title_kept_though_running_header_repeats_it() -> None:
    [title] = [b for b in loaded("contract_zh.pdf").blocks if b.text == "某某代运营服务合同"]
    assert (title.kind, title.page) == ("heading", 1)


@pytest.mark.parametrize(
    "footer", ["- {n} -", "{n}", "{n}/{m}", "Page {n} of {m}", "第 {n} 页 共 {m} 页", "共 {m} 页 第 {n} 页"]
)
def test_load_pdf_page_number_lines_removed(footer: str) -> None:
    lines = ["Article 1 Payment", "The Client pays within 30 days."]  # one page: nothing repeats
    assert texts(load(pdf_bytes([lines], footer=footer), "numbers.pdf")) == lines


def test_load_pdf_header_with_varying_page_number_removed() -> None:
    pages = [["Article 1 Payment"], ["Article 2 Term"], ["Article 3 Law"]]
    doc = load(pdf_bytes(pages, header="Services Agreement No. 77 - sheet {n}"), "header.pdf")
    assert texts(doc) == ["Article 1 Payment", "Article 2 Term", "Article 3 Law"]


def test_load_pdf_page_numbers_on_every_block() -> None:
    doc = loaded("contract_zh.pdf")
    pages = [block.page or 0 for block in doc.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3, 4, 5}


@pytest.mark.parametrize(("name", "clause", "page"), [("contract_zh.pdf", "6.2 ", 3), ("contract_en.pdf", "5.1 ", 2)])
def test_load_pdf_clause_across_page_break_is_one_block(name: str, clause: str, page: int) -> None:
    [block] = [b for b in loaded(name).blocks if b.text.startswith(clause)]
    assert block.page == page
    assert block.text.endswith(
        ("不因本合同的终止而失效。", "notwithstanding any contrary understanding between the parties.")
    )


def test_load_pdf_wrapped_chinese_lines_joined_without_spaces() -> None:
    clause = next(line for line in ZH_LINES if line.startswith("4.2 "))  # four lines in the PDF
    assert clause in texts(loaded("contract_zh.pdf"))


def test_load_pdf_wrapped_english_lines_joined_with_spaces_and_dehyphenated() -> None:
    text = loaded("contract_en.pdf").text
    assert "this obligation survives termination" in text
    assert not re.search(r"[a-z]- [a-z]|[a-z]-[a-z]{2,} ", text.replace("non-public", ""))


@pytest.mark.parametrize(
    "layout",
    [
        {"alignment": TA_JUSTIFY, "firstLineIndent": 21},  # 首行缩进两字, justified: the usual Chinese style
        {},  # flush left, ragged right
        {"leftIndent": 21, "firstLineIndent": -21},  # hanging indent
    ],
    ids=["justified-first-line-indent", "ragged", "hanging-indent"],
)
def test_load_pdf_paragraph_layouts_rejoined(layout: dict[str, Any]) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10.5, leading=18, wordWrap="CJK", **layout)
    lines = [line for line in ZH_LINES if " | " not in line]

    def furniture(c: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        c.setFont("STSong-Light", 9)
        c.drawCentredString(297, 810, "某某代运营服务合同（正式版）")
        c.drawCentredString(297, 30, f"- {doc.page} -")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph(line, style) for line in lines * 2], onFirstPage=furniture, onLaterPages=furniture
    )
    assert texts(load(buffer.getvalue(), "layout.pdf")) == lines * 2


def full_line(words: str) -> str:
    """The longest prefix of `words` that fills pdf_bytes's 451 pt line, so only spacing can end it."""
    line = ""
    for word in words.split():
        if pdfmetrics.stringWidth(f"{line} {word}".strip(), "Helvetica", 11) > 451:
            break
        line = f"{line} {word}".strip()
    return line


@pytest.mark.parametrize(("spacer", "blocks"), [([""], 2), ([], 1)], ids=["paragraph-spacing", "no-spacing"])
def test_load_pdf_paragraph_spacing_ends_a_paragraph(spacer: list[str], blocks: int) -> None:
    first = full_line("The parties agree that this Agreement is the entire agreement on its subject and " * 3)
    lines = [first, first, *spacer, "Northwind Trading Ltd. by its director"]  # two lines set the pitch
    doc = load(pdf_bytes([lines]), "spacing.pdf")
    assert len(doc.blocks) == blocks


def test_load_pdf_wrapped_table_cell_stays_in_its_row() -> None:
    rows = [
        "Instalment\tShare\tCondition",
        "First\t30%\tOn signature of this",
        "\t\tAgreement by both",
        "Second\t70%\tOn acceptance",
    ]
    doc = load(pdf_bytes([rows]), "table.pdf")
    assert texts(doc) == [
        "Instalment | Share | Condition",
        "First | 30% | On signature of this Agreement by both",
        "Second | 70% | On acceptance",
    ]


def test_load_pdf_watermark_and_overprinted_text_ignored() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for offset in (0, 0.3):  # fake bold: the same words drawn twice, a hair apart
        c.drawString(72 + offset, 740, "Article 1 Payment")
    c.saveState()
    c.translate(300, 400)
    c.rotate(45)
    c.setFont("Helvetica", 60)
    c.drawCentredString(0, 0, "DRAFT COPY")
    c.restoreState()
    c.save()
    assert texts(load(buffer.getvalue(), "watermarked.pdf")) == ["Article 1 Payment"]


def test_load_pdf_table_rows() -> None:
    rows = [b.text for b in loaded("contract_zh.pdf").blocks if b.kind == "table_row"]
    assert rows == ZH_TABLE


@pytest.mark.parametrize(
    ("line", "kind", "text"),
    [
        ("First\t30%\tOn signature", "table_row", "First | 30% | On signature"),
        (
            "1.1\tThe Provider shall answer enquiries.",
            "paragraph",
            "1.1 The Provider shall answer enquiries.",
        ),
    ],
)
def test_load_pdf_wide_gaps_make_table_rows_but_not_after_list_numbers(line: str, kind: str, text: str) -> None:
    [block] = load(pdf_bytes([[line]]), "gaps.pdf").blocks
    assert (block.kind, block.text) == (kind, text)


def test_load_pdf_encrypted_needs_password() -> None:
    with pytest.raises(LoadError, match="password-protected.*--password"):
        load(FILES / "encrypted.pdf")


def test_load_pdf_encrypted_opens_with_password() -> None:
    assert texts(load(FILES / "encrypted.pdf", password="secret")) == texts(loaded("contract_en.pdf"))


def test_load_pdf_encrypted_wrong_password() -> None:
    with pytest.raises(LoadError, match="wrong password"):
        load(FILES / "encrypted.pdf", password="guess")


def test_load_pdf_scanned_without_ocr_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module.ocr, "missing", lambda: "OCR is not installed; install it with: pip x")
    with pytest.raises(LoadError, match="no text layer.*OCR is not installed; install it with: pip x"):
        load(FILES / "scanned.pdf")


def test_load_pdf_blank_pages_named_in_warning() -> None:
    doc = load(pdf_bytes([["Article 1 Payment"], [], ["Article 2 Term"], []]), "mixed.pdf")
    assert doc.pages == 4 and texts(doc) == ["Article 1 Payment", "Article 2 Term"]
    assert doc.warnings == ("Pages 2, 4 are blank.",)


# --- dispatch, bytes and bad input -------------------------------------------------------------


def test_load_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".pdf", ".docx", ".txt", ".md", ".png", ".jpg", ".jpeg")


def test_load_pdf_named_docx_sniffed_by_content() -> None:
    doc = loaded("pdf_named.docx")
    assert (doc.format, texts(doc)) == ("pdf", texts(loaded("contract_en.pdf")))


@pytest.mark.parametrize("name", ["contract_zh.pdf", "contract_zh.docx", "contract_zh_gb18030.txt"])
def test_load_bytes_same_as_path(name: str) -> None:
    doc = load((FILES / name).read_bytes(), filename=name)
    assert (doc.name, doc.blocks) == (name, loaded(name).blocks)


@pytest.mark.parametrize("name", ["contract_zh.pdf", "contract_zh.docx", "contract_zh.txt"])
def test_load_bytes_never_written_to_disk(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FILES / name).read_bytes()
    real_open, real_os_open = builtins.open, os.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert not set(mode) & set("wax+"), f"opened {file} for writing"
        return real_open(file, mode, *args, **kwargs)

    def read_only_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        assert not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT), f"opened {path} for writing"
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)
    monkeypatch.setattr(os, "open", read_only_os_open)
    assert load(data, filename=name).blocks


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "the file is empty"),
        ("corrupt.pdf", "PDF file is damaged or truncated"),
        ("corrupt.docx", "damaged or truncated"),
        ("garbage.bin", "unsupported file type"),
        ("missing.pdf", "file not found"),
    ],
)
def test_load_bad_file_gives_one_line_error(name: str, message: str) -> None:
    with pytest.raises(LoadError) as err:
        load(FILES / name)
    assert str(err.value).startswith(f"{name}: ") and message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x00\x01\x02\x03" * 500, "contract.txt", "does not look like a text file"),
        (b"hello", "contract.pdf", "not a valid PDF"),
        (b"hello", "contract.docx", "not a valid .docx"),
        (b"hello", "contract.doc", "not a valid .doc file"),
        (zipped({"xl/workbook.xml": b"<workbook/>"}), "book.xlsx", "not a Word .docx document"),
        (b"   \n\t \n", "blank.txt", "no readable text"),
        (b"", "upload.pdf", "the file is empty"),
    ],
)
def test_load_bad_bytes_give_load_error(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(LoadError, match=re.escape(message)):
        load(data, filename)


def test_load_directory_is_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a folder"):
        load(tmp_path)


def test_load_unreadable_file_is_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("第一条")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything
        pytest.skip("running as a user who can read a mode-000 file")
    with pytest.raises(LoadError, match="permission denied"):
        load(path)


def test_load_oversize_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is actually written
    with pytest.raises(LoadError, match="larger than the 50 MB limit"):
        load(path)


def test_load_oversize_bytes_refused() -> None:
    with pytest.raises(LoadError, match="larger than the 50 MB limit"):
        load(b"%PDF-" + bytes(MAX_BYTES), "huge.pdf")


def test_load_docx_zip_bomb_refused_without_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(limits.LARGE_MEMBER + 1)})
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    with pytest.raises(LoadError, match="zip bomb"):
        load(bomb, "bomb.docx")
    assert opened == []


def test_load_docx_declaring_huge_expansion_refused() -> None:
    data = bytearray(zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    entry = data.rindex(b"PK\x01\x02")  # central directory entry of word/document.xml
    data[entry + 24 : entry + 28] = (3_000_000_000).to_bytes(4, "little")  # its declared size: 3 GB
    with pytest.raises(LoadError, match="would expand to 2861 MB"):
        load(bytes(data), "bomb.docx")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024), "合同.doc"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024), "合同.wps"),
        (b"{\\rtf1\\ansi Article 1}", "contract.rtf"),
    ],
)
def test_load_legacy_word_without_libreoffice(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(LoadError, match=r"legacy Word .*save it as \.docx.*LibreOffice"):
        load(data, name)


def test_load_legacy_doc_converted_in_removed_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir, scratch = tmp_path / "bin", tmp_path / "tmp"
    bin_dir.mkdir()
    scratch.mkdir()
    fake = bin_dir / "soffice"  # stands in for LibreOffice: "converts" by copying the fixture .docx
    fake.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\nfrom pathlib import Path\n"
        "args = sys.argv[1:]\n"
        "out = Path(args[args.index('--outdir') + 1]) / (Path(args[-1]).stem + '.docx')\n"
        f"shutil.copy({str(FILES / 'contract_zh.docx')!r}, out)\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    doc = load(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024), "合同.wps")
    assert texts(doc) == texts(loaded("contract_zh.docx"))
    assert any("LibreOffice" in warning for warning in doc.warnings)
    assert list(scratch.iterdir()) == []
