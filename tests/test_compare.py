"""Two drafts compared: clauses matched through renumbering and moves, the audit delta, the changes that
weaken the client, and the tracked-changes document from the first draft to the second.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from auditor.checks import CHECKS
from auditor.cli import main
from auditor.model import AuditReport
from auditor.negotiate.align import align, word_diff
from auditor.negotiate.compare import compare, pair_label, to_dict, to_text, tracked_docx
from auditor.pipeline import audit
from tests.conftest import SAMPLES, labelled_files

ZH_01 = (SAMPLES / "zh_01_douyin_operation.docx").read_bytes()


def _report(text: str, name: str = "draft.txt") -> AuditReport:
    return audit(text.encode(), filename=name)


def _revised(text: str) -> str:
    """zh_01 as the provider sends it back: remedy cut, KPI lowered, forum moved, auto-renewal added."""
    return (
        text.replace("乙方退还该季度服务费的20%，或经甲方选择，免费延长服务期一个月。", "乙方应尽力改进。")
        .replace("每季度净增粉丝不少于15,000人", "每季度净增粉丝不少于5,000人")
        .replace("杭州仲裁委员会", "乙方所在地人民法院")
        .replace("第二条 服务内容与数量", "第二条 服务内容与数量\n2.0 本合同期满后自动续约一年。")
    )


def _revisions(data: bytes) -> tuple[int, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    return body.count("<w:ins "), body.count("<w:del ")


def test_compare_a_draft_with_itself_says_so_in_one_line() -> None:
    first = audit(ZH_01, filename="zh_01.docx")
    result = compare(first, first)
    assert to_text(result) == "两版内容相同：没有条款被增加、删除、移动或修改，审查结论一致。\n"
    assert to_dict(result)["changes"] == [] and to_dict(result)["weakened"] == []
    assert _revisions(tracked_docx(result, first, ZH_01)) == (0, 0)


def test_compare_every_sample_with_itself_finds_nothing() -> None:
    """No phantom changes: each bundled sample, read and audited twice, compares as the same draft, and
    its tracked-changes document carries no revision mark.
    """
    for name in labelled_files():
        path = SAMPLES / name
        first, again = audit(path), audit(path)
        result = compare(first, again)
        assert result.unchanged, (name, [(p.kind, pair_label(p)) for p in result.changes])
        body = _body(tracked_docx(result, first, path.read_bytes() if name.endswith(".docx") else None))
        assert not re.search(r"<w:(?:ins|del|moveFrom|moveTo) ", body), name


def test_compare_reports_the_changes_that_weaken_the_client_first() -> None:
    first = audit(ZH_01, filename="zh_01.docx")
    result = compare(first, _report(_revised(first.text)))
    whats = [w.what for w in result.weakened]
    assert {"remedy_removed", "kpi_lowered", "auto_renewal_added", "forum_moved"} <= set(whats)
    kpi = next(w for w in result.weakened if w.what == "kpi_lowered")
    assert "15,000" in kpi.before and "5,000" in kpi.after
    text = to_text(result)
    assert text.index("对甲方不利的修改") < text.index("审查结论变化") < text.index("条款变化")
    assert "[-15,000-]{+5,000+}" in text
    moved = {c.check_id: (c.before, c.after) for c in result.checks}
    assert moved["kpi_remedies"][0] != moved["kpi_remedies"][1]
    assert any("自动续约" in m for m in result.flags_added)


def test_compare_finds_a_lowered_cap_a_dropped_source_payment_up_front_and_a_shorter_acceptance() -> None:
    first = (
        "服务合同\n甲方：杭州青禾茶饮管理有限公司\n乙方：杭州数屿文化传媒有限公司\n第一条 服务内容\n"
        "1.1 乙方每周为甲方发布原创短视频不少于3条，服务期限自2024年3月1日起至2025年2月28日止。\n"
        "1.2 账号每季度净增粉丝不少于15,000人，以抖音创作者服务中心后台导出数据为准。\n"
        "第二条 验收\n2.1 甲方应在收到成片后10个工作日内验收，逾期未提出异议的，视为验收合格。\n"
        "第三条 费用\n3.1 服务费总额为人民币216,000元，合同签订后5个工作日内支付30%，其余按月支付。\n"
        "第四条 违约责任\n4.1 乙方违约的，赔偿总额以合同总价的50%为上限。\n"
    )
    second = (
        first.replace("，以抖音创作者服务中心后台导出数据为准", "")
        .replace("10个工作日内验收", "2个工作日内验收")
        .replace("支付30%", "支付80%")
        .replace("合同总价的50%为上限", "合同总价的10%为上限")
    )
    weakened = {w.what: w for w in compare(_report(first), _report(second)).weakened}
    assert set(weakened) == {"data_source_dropped", "acceptance_shortened", "payment_up_front", "cap_lowered"}
    assert "50%" in weakened["cap_lowered"].before and "10%" in weakened["cap_lowered"].after


def test_compare_json_has_the_issue_shape_and_every_check() -> None:
    first = audit(ZH_01, filename="zh_01.docx")
    data = to_dict(compare(first, _report(_revised(first.text))))
    assert set(data) == {"changes", "checks", "red_flags", "weakened"}
    assert {c["id"] for c in data["checks"]} == {c.id for c in CHECKS}
    assert all(set(c) == {"id", "before", "after", "why"} for c in data["checks"])
    assert set(data["red_flags"]) == {"added", "removed"}
    assert all({"kind", "before", "after"} <= set(c) for c in data["changes"])
    assert {c["kind"] for c in data["changes"]} <= {"added", "removed", "moved", "changed"}
    assert all(set(w) == {"what", "before", "after", "why"} for w in data["weakened"])
    json.dumps(data, ensure_ascii=False)


def test_compare_matches_renumbered_and_moved_clauses() -> None:
    first = _report(
        "Service Agreement\n1. Services. Agency shall publish 12 posts per month on Client's accounts.\n"
        "2. Fees. Client shall pay USD 1,000 per month within 10 days of each invoice.\n"
        "3. Term. This Agreement runs for twelve months from 1 March 2025.\n"
        "4. Law. This Agreement is governed by the laws of England.\n"
    )
    second = _report(
        "Service Agreement\n1. Term. This Agreement runs for twelve months from 1 March 2025.\n"
        "2. Services. Agency shall publish 12 posts per month on Client's accounts.\n"
        "3. Fees. Client shall pay USD 1,000 per month within 10 days of each invoice.\n"
        "4. Law. This Agreement is governed by the laws of England and Wales.\n"
    )
    assert first.contract is not None and second.contract is not None
    pairs = align(first.contract.clauses, second.contract.clauses, 72)
    kinds = {(p.before.number if p.before else None, p.after.number if p.after else None): p.kind for p in pairs}
    assert kinds[("3", "1")] == "moved"
    assert kinds[("1", "2")] is None and kinds[("2", "3")] is None  # renumbered, in order, same text
    assert kinds[("4", "4")] == "changed"
    assert not any(k in ("added", "removed") for k in kinds.values())


def test_compare_is_deterministic_over_a_hundred_clauses() -> None:
    lines = [
        f"{n}. Agency shall deliver item {n} of the plan, {n * 3} pieces in month {n % 12 + 1}." for n in range(1, 101)
    ]
    revised = [*lines[:40], *lines[41:70], "70a. Agency may change any item on its own.", lines[40], *lines[70:]]
    first, second = _report("\n".join(lines)), _report("\n".join(revised))
    results = [to_dict(compare(first, second)) for _ in range(2)]
    assert results[0] == results[1]
    assert {c["kind"] for c in results[0]["changes"]} == {"added", "moved"}


def test_word_diff_marks_just_the_changed_words() -> None:
    assert word_diff("pay 30% on signing", "pay 60% on signing") == [
        ("equal", "pay "),
        ("delete", "30%"),
        ("insert", "60%"),
        ("equal", " on signing"),
    ]


def test_compare_docx_carries_the_revision_as_tracked_changes() -> None:
    first = audit(ZH_01, filename="zh_01.docx")
    out = tracked_docx(compare(first, _report(_revised(first.text))), first, ZH_01)
    inserted, deleted = _revisions(out)
    assert inserted >= 4 and deleted >= 3
    document = docx.Document(io.BytesIO(out))
    assert len(document.paragraphs) == len(docx.Document(io.BytesIO(ZH_01)).paragraphs) + 1


def _moved_draft(text: str) -> str:
    """zh_01 with its clause 2.3 (original work only) moved to the end of 第三条."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("2.3 "))
    moved = lines.pop(at)
    end = next(i for i, line in enumerate(lines) if line.startswith("第四条"))
    lines.insert(end, moved)
    return "\n".join(lines)


def _body(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_compare_docx_marks_a_moved_clause_as_a_move() -> None:
    first = audit(ZH_01, filename="zh_01.docx")
    result = compare(first, _report(_moved_draft(first.text)))
    assert [(p.kind, p.before.number if p.before else None) for p in result.changes] == [("moved", "2.3")]
    out = tracked_docx(result, first, ZH_01)
    body = _body(out)
    assert _revisions(out) == (0, 0)  # a move, not a deletion and an insertion
    names = [re.findall(rf'<w:{tag}RangeStart [^>]*w:name="([^"]+)"', body) for tag in ("moveFrom", "moveTo")]
    assert len(names[0]) == 1 and names[0] == names[1]
    document = docx.Document(io.BytesIO(out))
    source = next(p._p for p in document.paragraphs if p._p.xpath("./w:moveFrom"))
    target = next(p._p for p in document.paragraphs if p._p.xpath("./w:moveTo"))
    moved = next(p.after for p in result.changes if p.after is not None)
    assert "".join(source.xpath("./w:moveFrom/w:r/w:t/text()")) == moved.text
    assert "".join(target.xpath("./w:moveTo/w:r/w:t/text()")) == moved.text
    assert source.xpath("./w:pPr/w:rPr/w:moveFrom") and target.xpath("./w:pPr/w:rPr/w:moveTo")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_compare_move_is_read_as_a_move_by_libreoffice(tmp_path: Path) -> None:
    """LibreOffice converts the document, and writes the move back as a move when it saves it as Word."""
    first = audit(ZH_01, filename="zh_01.docx")
    path = tmp_path / "moved.docx"
    path.write_bytes(tracked_docx(compare(first, _report(_moved_draft(first.text))), first, ZH_01))
    (tmp_path / "out").mkdir()
    for target in ("pdf", "docx:MS Word 2007 XML"):
        done = subprocess.run(
            ["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path / "out"), str(path)],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0 and not re.search(r"(?i)error", done.stderr), done.stderr
    assert (tmp_path / "out" / "moved.pdf").stat().st_size > 1000
    saved = _body((tmp_path / "out" / "moved.docx").read_bytes())
    assert "<w:moveFrom " in saved and "<w:moveTo " in saved


def test_compare_cli_formats_and_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = SAMPLES / "zh_13_kuaishou_operation.docx"
    second = tmp_path / "revised.txt"
    second.write_text(audit(first).text.replace("北京仲裁委员会", "乙方所在地人民法院"), encoding="utf-8")
    out = tmp_path / "对比.docx"
    assert main(["compare", str(first), str(second), "--format", "json", "--docx", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["kind"] for c in data["changes"]] == ["changed"]
    assert _revisions(out.read_bytes())[0] >= 1
    assert main(["compare", str(first), str(second), "--format", "md"]) == 0
    assert "## " in capsys.readouterr().out
    assert main(["compare", str(first), str(tmp_path / "missing.docx")]) == 2
    assert capsys.readouterr().err.startswith("contract-audit: ")
