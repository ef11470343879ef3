"""auditor/annotate.py: the annotated Word file reopened with python-docx, and the HTML highlights."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from auditor.model import AuditReport, Status
from auditor.pipeline import audit, audit_text
from auditor.report.annotate import AUTHOR, INITIALS, annotated_docx
from auditor.report.html import contract_html, cue_span, evidence_html

SAMPLES = Path(__file__).resolve().parent.parent / "sample_contracts"
DOCX_SAMPLES = ["zh_01_douyin_operation.docx", "zh_06_ad_agency.docx"]


@lru_cache(maxsize=8)
def _report(name: str) -> AuditReport:
    return audit(SAMPLES / name)


def _reopen(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def _all_paragraphs(document: DocxDocument) -> list[Paragraph]:
    """Body and table-cell paragraphs, so a comment anchored in a cell is found too."""
    body = document.element.body
    return [Paragraph(p, document._body) for p in body.iter(qn("w:p"))]


def _commented(document: DocxDocument) -> dict[str, str]:
    """Comment id -> text of the paragraph its range starts in."""
    out = {}
    for paragraph in _all_paragraphs(document):
        for cid in paragraph._p.xpath(".//w:commentRangeStart/@w:id"):
            out[str(cid)] = paragraph.text
    return out


def _texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def _squash(text: str) -> str:
    return "".join(text.split())


def _tabled_contract() -> bytes:
    """A small .docx whose payment term sits in a table cell, with odd spacing in a heading."""
    document = docx.Document()
    document.add_heading("短视频代运营服务合同", 0)
    document.add_paragraph("甲方：上海某某商贸有限公司")
    document.add_paragraph("乙方：杭州某某文化传媒有限公司")
    document.add_paragraph("第一条\u3000服务内容")
    document.add_paragraph("1.1 乙方为甲方提供短视频代运营服务，每周发布原创短视频3条，服务期限为12个月。")
    document.add_paragraph("第二条\u3000服务费用")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "费用项目"
    table.cell(0, 1).text = "支付方式"
    table.cell(1, 0).text = "服务费人民币60,000元"
    table.cell(1, 1).text = "甲方应于本合同签订之日一次性支付全部服务费。"
    document.add_paragraph("第三条\u3000争议解决")
    document.add_paragraph("3.1 协商不成的，任何一方可以申请仲裁，也可以向人民法院起诉。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", DOCX_SAMPLES)
def test_annotate_docx_keeps_the_users_document_and_comments_what_is_cited(name: str) -> None:
    report = _report(name)
    annotated = _reopen(annotated_docx(report, (SAMPLES / name).read_bytes()))
    before = _texts(docx.Document(SAMPLES / name))
    assert _texts(annotated)[: len(before)] == before
    comments = list(annotated.comments)
    assert comments
    assert {(c.author, c.initials) for c in comments} == {(AUTHOR, INITIALS)}
    assert len(_commented(annotated)) == len(comments)
    for f in report.findings:
        if f.evidence:
            assert any(f.title in c.text for c in comments), f.check_id
        if f.evidence and f.status is not Status.PASS:
            assert any(f.reasons[0] in c.text for c in comments), f.check_id
    for flag in report.red_flags:
        assert any(flag.message in c.text for c in comments), flag.flag_id


@pytest.mark.parametrize("name", DOCX_SAMPLES)
def test_annotate_docx_every_comment_sits_on_the_paragraph_its_evidence_quotes(name: str) -> None:
    report = _report(name)
    annotated = _reopen(annotated_docx(report, (SAMPLES / name).read_bytes()))
    quoted = [_squash(e.text) for item in (*report.findings, *report.red_flags) for e in item.evidence]
    for text in _commented(annotated).values():
        key = _squash(text)
        assert any(q in key or key in q for q in quoted), text


@pytest.mark.parametrize("name", DOCX_SAMPLES)
def test_annotate_docx_appendix_is_a_new_section_with_each_suggestion(name: str) -> None:
    report = _report(name)
    original = docx.Document(SAMPLES / name)
    annotated = _reopen(annotated_docx(report, (SAMPLES / name).read_bytes()))
    assert len(annotated.sections) == len(original.sections) + 1
    assert annotated.sections[-1].start_type == WD_SECTION.NEW_PAGE
    appendix = [t for t in _texts(annotated)[len(original.paragraphs) :] if t]
    assert appendix[0] == "附录：审查意见与建议条款"
    for f in report.findings:
        assert (f.suggestion in appendix) is (f.status is not Status.PASS), f.check_id
    assert "本报告由软件自动生成，仅供合同审阅参考，不构成法律意见。" in appendix


@pytest.mark.parametrize("name", ["zh_03_xiaohongshu_operation.pdf", "zh_02_douyin_package.txt"])
def test_annotate_new_docx_holds_contract_text_comments_and_appendix(name: str) -> None:
    report = _report(name)
    annotated = _reopen(annotated_docx(report))
    texts = _texts(annotated)
    lines = [line for line in report.text.split("\n") if line.strip()]
    assert all(line in texts for line in lines)
    comments = [c.text for c in annotated.comments]
    for flag in report.red_flags:
        assert any(flag.message in c for c in comments), flag.flag_id
    for f in report.findings:
        if f.status is not Status.PASS:
            assert f.suggestion in texts[texts.index("附录：审查意见与建议条款") :]
    anchored = _commented(annotated)
    assert set(anchored.values()) <= set(lines)


def test_annotate_table_cell_paragraph_gets_the_comment() -> None:
    data = _tabled_contract()
    report = audit(data, filename="tabled.docx")
    flags = {f.flag_id for f in report.red_flags}
    assert "full_prepayment" in flags
    anchored = _commented(_reopen(annotated_docx(report, data)))
    assert "甲方应于本合同签订之日一次性支付全部服务费。" in anchored.values()
    assert "第三条\u3000争议解决" not in anchored.values()


def test_annotate_english_comments_use_english_words() -> None:
    report = _report("en_02_marketing_agency.docx")
    annotated = _reopen(annotated_docx(report, (SAMPLES / "en_02_marketing_agency.docx").read_bytes()))
    assert any(": weak" in c.text for c in annotated.comments)
    assert "Appendix: review and suggested clauses" in _texts(annotated)


def test_annotate_cue_span_points_at_the_cue_words() -> None:
    report = _report("zh_02_douyin_package.txt")
    flag = next(f for f in report.red_flags if f.flag_id == "full_prepayment")
    ev = flag.evidence[0]
    span = cue_span(report, ev, "red_flags")
    assert span is not None
    assert "一次性支付全部服务费" in ev.text[span[0] : span[1]]


def test_annotate_cue_span_falls_back_to_the_named_fact() -> None:
    report = _report("zh_01_douyin_operation.docx")
    ev = next(e for e in report.finding("staged_payment").evidence if e.matched == "money")
    span = cue_span(report, ev, "staged_payment")
    assert span is not None
    assert ev.text[span[0] : span[1]] in {f.text for f in report.facts if f.kind == "money"}


def test_annotate_html_marks_evidence_and_escapes_contract_text() -> None:
    text = (
        "服务合同\n甲方：<script>alert(1)</script>商贸有限公司\n乙方：某某传媒有限公司\n争议由有管辖权的人民法院管辖。"
    )
    report = audit_text(text)
    page = contract_html(report)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    ev = report.finding("dispute_forum").evidence[0]
    card = evidence_html(report, ev, "dispute_forum", Status.WEAK)
    assert "<mark class='ca-weak'>" in card
    assert "<b class='ca-cue'>" in card


def test_annotate_html_cited_only_keeps_just_cited_clauses() -> None:
    report = _report("zh_02_douyin_package.txt")
    full, cited = contract_html(report), contract_html(report, cited_only=True, focus=5)
    assert full.count("class='ca-clause") > cited.count("class='ca-clause") > 0
    assert "ca-focus" not in full
