"""Invariants that must hold for any input, checked with hypothesis on contract-like text and bytes.

The text strategy builds Chinese/English contract fragments: clause numbers of every style, amounts,
percentages, periods, party names, punctuation (full- and half-width), Traditional characters, odd
whitespace and a little arbitrary Unicode, so the generated text reaches the number, money and clause
rules instead of bouncing off them. Word files are built from the same text by a generator (styles,
tables, comments with other tools' ids) and also corrupted byte by byte. Runs are bounded (max_examples,
no deadline) to keep the suite fast.
"""

from __future__ import annotations

import io
import os
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.analyse.facts import analyse
from auditor.checks import CHECKS
from auditor.load import Limits, LoadError, load, load_text
from auditor.model import AuditReport
from auditor.pipeline import audit, audit_text
from auditor.text.normalise import normalise
from auditor.text.segment import segment
from tests.hostile_content import with_comment_ids

CHECK_IDS = [check.id for check in CHECKS]
# A longer fuzz run: AUDITOR_FUZZ_EXAMPLES=2000 pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NUMBERS = [
    "第一条",
    "第十二条",
    "第3条",
    "第二章",
    "一、",
    "（二）",
    "(三)",
    "1.",
    "2、",
    "3.1",
    "4.2.1",
    "(1)",
    "（2）",
    "(a)",
    "b)",
    "①",
    "Article 5",
    "Section 2.1",
    "附件一",
    "Schedule A",
    "第五條",
]
PHRASES = [
    "甲方",
    "乙方",
    "委托方",
    "服务方",
    "应当",
    "须",
    "不得",
    "违约金",
    "服务费",
    "验收合格后",
    "每月发布短视频不少于二十条",
    "仲裁委员会",
    "人民法院",
    "解除合同",
    "预付款",
    "尾款",
    "保证金",
    "月度运营报告",
    "有管辖权的",
    "本合同",
    "合同編號",
    "違約責任",
    "爭議解決",
    "服務費",
    "the Client",
    "the Provider",
    "shall",
    "within 30 days",
    "liquidated damages",
    "terminate",
    "arbitration",
    "Shanghai International Arbitration Center",
    "monthly report",
    "KPI",
    "refund",
    "deposit",
    "per month",
    "not less than",
    "as agreed",
    "reasonable",
    "Exhibit A",
    "详见附件",
]
AMOUNTS = [
    "人民币贰万元整",
    "¥20,000.00",
    "￥5000元",
    "30%",
    "百分之三十",
    "万分之五",
    "5万元",
    "USD 5,000",
    "$1,200.50",
    "10 days",
    "三个月",
    "十五个工作日",
    "2024年9月1日",
    "12 months",
    "0.5%",
    "壹拾万元",
]
PUNCTUATION = list("。，；：、！？（）《》“”‘’【】…—,.;:!?()[]\"'-/|") + [
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "\t",
    "\r\n",
    "\u2028",
    "____",
    "XX",
]

pieces = st.one_of(
    st.sampled_from(NUMBERS),
    st.sampled_from(PHRASES),
    st.sampled_from(AMOUNTS),
    st.sampled_from(PUNCTUATION),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6),
    st.text(max_size=4),  # anything Unicode allows, rarely
)
contract_text = st.lists(pieces, min_size=1, max_size=80).map("".join)
numbered_lines = st.lists(
    st.tuples(st.sampled_from(NUMBERS), st.lists(pieces, max_size=12).map("".join)).map(" ".join),
    min_size=1,
    max_size=25,
).map("\n".join)


def audited(text: str) -> AuditReport | None:
    """The audit of pasted text, or None when the text has nothing visible to audit."""
    try:
        return audit_text(text)
    except LoadError:
        assert not text.strip(), "only blank text may be refused"
        return None


def assert_well_formed(report: AuditReport) -> None:
    """Every registered check, in order, and every quote exactly the text at its offsets."""
    assert [f.check_id for f in report.findings] == CHECK_IDS
    evidence = [e for f in report.findings for e in f.evidence] + [e for r in report.red_flags for e in r.evidence]
    for e in evidence:
        assert 0 <= e.start <= e.end <= len(report.text)
        assert report.text[e.start : e.end] == e.text


@SETTINGS
@given(st.one_of(contract_text, numbered_lines))
def test_properties_audit_never_raises_and_quotes_exactly(text: str) -> None:
    report = audited(text)
    if report is not None:
        assert_well_formed(report)


@SETTINGS
@given(st.one_of(contract_text, numbered_lines))
def test_properties_stages_never_raise(text: str) -> None:
    assert len(normalise(text)) == len(text)
    if not text.strip():
        return
    doc = load_text(text)
    clauses = segment(doc)
    for clause in clauses:
        assert doc.text[clause.start : clause.end] == clause.text
    for lang in ("zh", "en"):
        analyse(clauses, lang)


MAGIC = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    bytes.fromhex("D0CF11E0A1B11AE1"),
    b"{\\rtf1 ",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
]


@settings(max_examples=EXAMPLES + 50, deadline=None)
@given(
    st.sampled_from(MAGIC),
    st.binary(max_size=2_000),
    st.sampled_from(["a.pdf", "a.docx", "a.txt", "a.md", "a.png", "a.jpg", "a.doc", "a.bin", "upload"]),
)
def test_properties_fuzzed_bytes_load_or_give_one_line(magic: bytes, body: bytes, name: str) -> None:
    try:
        doc = load(magic + body, name)
    except LoadError as err:
        assert str(err).startswith(f"{name}: ") and "\n" not in str(err)
        return
    assert doc.blocks


@settings(max_examples=EXAMPLES * 2 // 3, deadline=None)
@given(st.one_of(contract_text, numbered_lines), st.sampled_from(["合同.txt", "contract.md", "x"]))
def test_properties_findings_do_not_depend_on_the_file_name(text: str, other: str) -> None:
    data = text.encode("utf-8")
    try:
        first = audit(data, filename="a.txt")
    except LoadError:
        return
    second = audit(data, filename=other if other.endswith(".txt") else f"{other}.txt")
    assert (first.findings, first.red_flags) == (second.findings, second.red_flags)


@settings(max_examples=EXAMPLES // 5, deadline=None)
@given(numbered_lines, numbered_lines)
def test_properties_findings_do_not_depend_on_audit_order(one: str, two: str) -> None:
    forward = [audited(one), audited(two)]
    backward = [audited(two), audited(one)][::-1]
    assert [r and (r.findings, r.red_flags) for r in forward] == [r and (r.findings, r.red_flags) for r in backward]


# --- Word files built by a generator -------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # python-docx refuses these
docx_text = st.one_of(contract_text, numbered_lines).map(lambda text: _NOT_XML.sub("", text))
docx_items = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["Normal", "Heading 1", "Heading 2", "Title", "List Number"]), docx_text),
        st.tuples(st.just("table"), st.lists(st.lists(docx_text, min_size=1, max_size=3), min_size=1, max_size=3)),
        st.tuples(st.just("comment"), docx_text),
    ),
    min_size=1,
    max_size=12,
)


def built_docx(items: list[tuple[str, Any]]) -> bytes:
    """A .docx of paragraphs in several styles, tables, and a reviewer's comments with ids other tools
    write ("c0", "c1", …) rather than Word's numbers.
    """
    import docx

    document = docx.Document()
    comments = 0
    for kind, content in items:
        if kind == "table":
            grid = document.add_table(rows=0, cols=max(len(row) for row in content))
            for row in content:
                for cell, text in zip(grid.add_row().cells, row, strict=False):
                    cell.text = text
        elif kind == "comment":
            paragraph = document.add_paragraph(content or "备注")
            document.add_comment(paragraph.runs or [paragraph.add_run("")], text="?", author="Alice")
            comments += 1
        else:
            document.add_paragraph(content, style=kind)
    buffer = io.BytesIO()
    document.save(buffer)
    return with_comment_ids(buffer.getvalue(), tuple(f"c{number}" for number in range(comments)))


def _audited_docx(data: bytes, name: str) -> AuditReport | None:
    try:
        report = audit(data, filename=name)
    except LoadError as err:
        assert str(err).startswith(f"{name}: ") and "\n" not in str(err)
        return None
    assert_well_formed(report)
    return report


@settings(max_examples=EXAMPLES // 5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docx_items)
def test_properties_generated_docx_audits_and_its_annotation_settles(items: list[tuple[str, Any]]) -> None:
    """Any generated .docx audits (or gives one line); its annotated copy audits to the same text, and
    annotating that copy again gives the same comments and text.
    """
    from auditor.report.annotate import annotated_docx

    data = built_docx(items)
    report = _audited_docx(data, "generated.docx")
    if report is None:
        return
    once = annotated_docx(report, data)
    again_report = audit(once, filename="annotated.docx")
    assert again_report.text == report.text
    twice = annotated_docx(again_report, once)
    assert _comments_and_text(twice) == _comments_and_text(once)


def _comments_and_text(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    return [(c.author, c.text) for c in document.comments], [p.text for p in document.paragraphs]


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docx_items, st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_properties_corrupted_docx_loads_or_gives_one_line(
    items: list[tuple[str, Any]], flips: list[tuple[int, int]]
) -> None:
    """Bytes changed anywhere in a generated .docx (headers, sizes, CRCs, deflate streams)."""
    data = bytearray(built_docx(items))
    for at, value in flips:
        data[at % len(data)] = value
    _audited_docx(bytes(data), "corrupted.docx")


# --- PDFs built by a generator -------------------------------------------------------------------------

_NOT_PDF_TEXT = re.compile("[^\u0020-\u007e\u00a0-\u00ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # STSong-Light
pdf_line = st.one_of(contract_text, numbered_lines).map(lambda text: _NOT_PDF_TEXT.sub("", text)[:200])
pdf_pages = st.lists(
    st.tuples(
        st.sampled_from([(595, 842), (842, 595), (200, 300), (1_800, 1_800)]),  # A4 both ways, a slip, a poster
        st.lists(st.tuples(pdf_line, st.integers(6, 14)), max_size=12),  # lines and their font sizes
    ),
    min_size=1,
    max_size=4,
)
pdf_limits = st.one_of(
    st.just(Limits()),
    st.builds(Limits, pages=st.integers(1, 4), page_chars=st.integers(1, 600), chars=st.integers(1, 2_000)),
)


def built_pdf(pages: list[tuple[tuple[int, int], list[tuple[str, int]]]]) -> bytes:
    """A text PDF (reportlab, a Chinese CID font): pages of several sizes, lines at several font sizes,
    blank pages too; no drawings, so no page needs OCR.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for size, lines in pages:
        pdf.setPageSize(size)
        y = size[1] - 40
        for text, font_size in lines:
            pdf.setFont("STSong-Light", font_size)
            pdf.drawString(36, y, text)
            y -= font_size * 1.6
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _audited_pdf(data: bytes, name: str, limits: Limits) -> AuditReport | None:
    """The audit, or None after checking the one line: a refusal by a limit names the flag raising it."""
    try:
        report = audit(data, filename=name, limits=limits)
    except LoadError as err:
        message = str(err)
        assert message.startswith(f"{name}: ") and "\n" not in message
        assert "raise it with --max-" in message or not re.search(r"refused|more than the", message), message
        return None
    assert_well_formed(report)
    return report


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pdf_pages, pdf_limits)
def test_properties_generated_pdf_audits_or_is_refused_by_a_named_limit(
    pages: list[tuple[tuple[int, int], list[tuple[str, int]]]], limits: Limits
) -> None:
    """Any generated PDF audits within its page count, or gives one line; under lowered limits, a refusal
    names the flag that raises the limit it hit.
    """
    report = _audited_pdf(built_pdf(pages), "generated.pdf", limits)
    if report is not None:
        assert all(1 <= (e.page or 1) <= len(pages) for f in report.findings for e in f.evidence)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pdf_pages, st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_properties_corrupted_pdf_loads_or_gives_one_line(
    pages: list[tuple[tuple[int, int], list[tuple[str, int]]]], flips: list[tuple[int, int]]
) -> None:
    """Bytes changed anywhere in a generated PDF (the xref, object headers, compressed streams)."""
    data = bytearray(built_pdf(pages))
    for at, value in flips:
        data[at % len(data)] = value
    _audited_pdf(bytes(data), "corrupted.pdf", Limits())
