"""The redline: suggested clauses as tracked changes in the user's own Word file, everything else kept.

The accept-all transform below is what Word's "Accept All Changes" does to the body: deleted runs go,
inserted runs and paragraphs stay, the revision marks are dropped.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from auditor.cli import main
from auditor.model import AuditReport, Status
from auditor.negotiate.redline import _next_number, plan_changes, redline_docx
from auditor.pipeline import audit
from tests.conftest import FIXTURES, SAMPLES, labelled_files
from tests.hostile_content import docx_members, with_foreign_comments, zipped

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZH_DOCX = (FIXTURES / "files" / "contract_zh.docx").read_bytes()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def accept_all(data: bytes) -> bytes:
    """The .docx with every tracked change in its body accepted."""
    members = _members(data)
    root = etree.fromstring(members["word/document.xml"])
    for deletion in list(root.iter(f"{W}del")):
        deletion.getparent().remove(deletion)
    for insertion in list(root.iter(f"{W}ins")):
        parent = insertion.getparent()
        at = parent.index(insertion)
        for offset, child in enumerate(list(insertion)):
            parent.insert(at + offset, child)
        parent.remove(insertion)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zipped(members)


def _with_reviewers_work(data: bytes) -> bytes:
    """`data` with a reviewer's comment and a reviewer's tracked insertion already in it."""
    members = docx_members(with_foreign_comments(data, ("0",)))
    root = etree.fromstring(members["word/document.xml"])
    run = next(r for r in root.iter(f"{W}r") if (r.findtext(f"{W}t") or "").strip())
    mark = etree.Element(f"{W}ins", {f"{W}id": "900", f"{W}author": "Alice", f"{W}date": "2024-01-01T00:00:00Z"})
    run.addprevious(mark)
    mark.append(run)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zipped(members)


def _revisions(data: bytes, tag: str, author: str | None = None) -> list[etree._Element]:
    root = etree.fromstring(_members(data)["word/document.xml"])
    return [e for e in root.iter(f"{W}{tag}") if author is None or e.get(f"{W}author") == author]


def _text(paragraph: etree._Element) -> str:
    """A paragraph's text with tracked insertions (python-docx's `text` leaves them out)."""
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def _report(data: bytes, name: str = "contract.docx") -> AuditReport:
    return audit(data, filename=name)


def test_redline_keeps_every_part_it_did_not_change_byte_for_byte() -> None:
    original = _with_reviewers_work(ZH_DOCX)
    out = redline_docx(_report(original), original)
    before, after = _members(original), _members(out)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {"word/document.xml", "word/comments.xml"}
    assert set(after) == set(before)


def test_redline_existing_comments_and_tracked_changes_survive() -> None:
    original = _with_reviewers_work(ZH_DOCX)
    out = redline_docx(_report(original), original)
    comments = docx.Document(io.BytesIO(out)).comments
    authors = [c.author for c in comments]
    assert "Alice" in authors and "合同条款审计" in authors
    alice = _revisions(out, "ins", "Alice")
    assert len(alice) == 1 and alice[0].get(f"{W}id") == "900"
    ours = _revisions(out, "ins", "合同条款审计")
    assert ours and all(e.get(f"{W}date", "").endswith("Z") for e in ours)
    assert all(int(e.get(f"{W}id")) > 900 for e in ours)


def test_redline_inserts_a_numbered_clause_after_the_section_it_completes() -> None:
    report = _report(ZH_DOCX)
    plan = plan_changes(report)
    termination = next(i for i in plan.insertions if i.check_id == "termination_penalties")
    assert termination.after.number == "8.2"
    assert termination.prefix == "8.3 "
    document = docx.Document(io.BytesIO(redline_docx(report, ZH_DOCX)))
    texts = [_text(p._p) for p in document.paragraphs]
    at = next(i for i, t in enumerate(texts) if t and termination.after.text.endswith(t))
    assert texts[at + 1] == termination.text  # Word numbers this list itself: 8.3 comes from its numbering
    inserted = document.paragraphs[at + 1]._p
    numbering = [etree.tostring(p.xpath("./w:pPr/w:numPr")[0]) for p in (document.paragraphs[at]._p, inserted)]
    assert numbering[0] == numbering[1]
    assert inserted.xpath("./w:pPr/w:rPr/w:ins") and inserted.xpath("./w:ins/w:r/w:t")
    assert inserted.xpath("./w:commentRangeStart") and inserted.xpath("./w:r/w:commentReference")


def test_redline_comment_says_which_check_and_why() -> None:
    report = _report(ZH_DOCX)
    out = redline_docx(report, ZH_DOCX)
    ours = [c.text for c in docx.Document(io.BytesIO(out)).comments if c.author == "合同条款审计"]
    weak = [f for f in report.findings if f.status is not Status.PASS and f.suggestion]
    assert len(ours) == len(plan_changes(report).insertions) + len(plan_changes(report).replacements)
    for finding in weak:
        assert any(finding.title in text and finding.reasons[0] in text for text in ours)
    assert any("审查要点" in text for text in ours)


def test_redline_replaces_one_sided_wording_as_deletion_and_insertion() -> None:
    text = (
        "服务合同\n第一条 服务内容\n1.1 乙方为甲方运营抖音账号，每月发布短视频若干条。\n"
        "1.2 乙方有权调整服务内容。\n第二条 其他\n2.1 本合同最终解释权归乙方所有。\n"
    )
    report = _report(text.encode(), "contract.txt")
    out = redline_docx(report)
    deleted = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in _revisions(out, "del")]
    inserted = ["".join(t.text or "" for t in i.iter(f"{W}t")) for i in _revisions(out, "ins")]
    assert "若干条" in deleted or "若干" in deleted
    assert "乙方有权调整" in deleted and "乙方经甲方书面同意后方可调整" in inserted
    assert "最终解释权归乙方所有" in deleted[-1] or any("最终解释权归乙方" in d for d in deleted)
    accepted = _report(accept_all(out))
    assert "最终解释权" not in accepted.text and "若干" not in accepted.text


def test_redline_contract_that_needs_nothing_gets_nothing() -> None:
    """No phantom changes, over every bundled sample: one whose checks all pass and which raises no red
    flag gets an empty plan, and its own file back byte for byte (a new document without a revision mark
    for a PDF or text); one that needs changes gets only changes that answer something unsatisfied.
    """
    untouched = 0
    for name in labelled_files():
        path = SAMPLES / name
        report = audit(path)
        plan = plan_changes(report)
        unsatisfied = {f.check_id for f in report.findings if f.status is not Status.PASS and f.suggestion}
        assert {i.check_id for i in plan.insertions} <= unsatisfied, name
        if unsatisfied or report.red_flags:
            continue
        untouched += 1
        assert plan.empty, name
        if name.endswith(".docx"):
            assert redline_docx(report, path.read_bytes()) == path.read_bytes(), name
        else:
            assert not _revisions(redline_docx(report), "ins") and not _revisions(redline_docx(report), "del"), name
    assert untouched >= 1


@pytest.mark.parametrize("name", [n for n in labelled_files() if not n.endswith(".docx")][:4])
def test_redline_pdf_and_text_get_a_new_document_with_the_changes(name: str) -> None:
    report = audit(SAMPLES / name)
    plan = plan_changes(report)
    out = redline_docx(report)
    document = docx.Document(io.BytesIO(out))
    texts = "\n".join(_text(p._p) for p in document.paragraphs)
    for insertion in plan.insertions:
        assert insertion.prefix + insertion.text in texts
    assert len(_revisions(out, "ins")) >= len(plan.insertions)


def test_redline_accepted_contract_audits_better_on_every_check_it_changed() -> None:
    """Over the bundled samples: accepting every change makes every suggested-on check better."""
    not_better = set()
    total = 0
    for name in labelled_files():
        path = SAMPLES / name
        report = audit(path)
        data = path.read_bytes() if name.endswith(".docx") else None
        accepted = {f.check_id: f for f in _report(accept_all(redline_docx(report, data))).findings}
        for finding in report.findings:
            if finding.status is Status.PASS or not finding.suggestion:
                continue
            total += 1
            after = accepted[finding.check_id].status
            assert after.rank <= finding.status.rank, (name, finding.check_id, after)
            if after.rank == finding.status.rank:
                not_better.add((name, finding.check_id))
    assert total > 100
    assert not not_better, sorted(not_better)


@pytest.mark.parametrize(
    ("number", "following", "article"),
    [
        ("5.2", "5.3", None),
        ("第九条", "第十条", "第九条之一"),
        ("第9条", "第10条", "第9条之一"),
        ("第九条之一", "第九条之二", "第九条之二"),
        ("（三）", "（四）", None),
        ("(c)", "(d)", None),
        ("Section 7", "Section 8", "Section 7A"),
        ("3", "4", None),
        ("②", "③", None),
    ],
)
def test_redline_next_clause_number_follows_the_style(number: str, following: str, article: str | None) -> None:
    assert _next_number(number) == following
    if article:
        assert _next_number(number, new_article=True) == article


def test_redline_cli_writes_the_file_and_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "合同-修订.docx"
    assert main(["redline", str(FIXTURES / "files" / "contract_zh.docx"), "--out", str(out)]) == 0
    assert _revisions(out.read_bytes(), "ins", "合同条款审计")
    assert main(["redline", str(FIXTURES / "files" / "corrupt.docx"), "--out", str(out)]) == 2
    assert main(["redline", str(FIXTURES / "files" / "contract_zh.docx"), "--out", str(tmp_path / "x.pdf")]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2 and all(e.startswith("contract-audit: ") for e in errors)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_redline_converts_with_libreoffice(tmp_path: Path) -> None:
    """Every bundled Word sample (tables), and the fixture with Word list numbering, each with a reviewer's
    comment and tracked change already in it: the redline reopens with python-docx and LibreOffice
    headless converts it without an error.
    """
    originals = {"fixture": ZH_DOCX} | {
        name.removesuffix(".docx"): (SAMPLES / name).read_bytes() for name in labelled_files() if name.endswith(".docx")
    }
    paths = []
    for stem, data in originals.items():
        original = _with_reviewers_work(data)
        out = redline_docx(_report(original), original)
        docx.Document(io.BytesIO(out))
        paths.append(tmp_path / f"{stem}.docx")
        paths[-1].write_bytes(out)
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not re.search(r"(?i)error", done.stderr)
    assert all((tmp_path / "pdf" / f"{path.stem}.pdf").stat().st_size > 1000 for path in paths)
