"""Hostile and odd Word files: ZIP headers that lie, comments parts the export did not write, the tool's own
annotated files fed back to it, embedded documents (altChunk).

The files are built at test time from tests/fixtures/files (tests/hostile_content.py). Where memory is the
point, the command runs in its own process and its peak is measured (getrusage), with a generous bound.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from auditor.load import LoadError, limits, load
from auditor.pipeline import audit
from auditor.report.annotate import AUTHOR, annotated_docx
from tests.conftest import SAMPLES
from tests.hostile_content import (
    FILES,
    docx_members,
    lying_zip,
    run_measured,
    with_alt_chunks,
    with_foreign_comments,
    zipped,
)

ZH_DOCX = (FILES / "contract_zh.docx").read_bytes()
_DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def test_word_lying_zip_headers_do_not_inflate_the_member(tmp_path: Path) -> None:
    """document.xml claims 1 KB (with the CRC of its first KB) and inflates to 512 MB: read the way
    python-docx reads it (`zipfile.read`), it peaks above 1 GB; the loader stops at the 32 MB XML limit.
    """
    path = tmp_path / "lying.docx"
    path.write_bytes(lying_zip(docx_members(ZH_DOCX), "word/document.xml", inflated=512 * 2**20))

    code, _, err, peak_mb = run_measured("audit", str(path), "--no-db", "--workers", "1")

    assert code == 2
    assert err.splitlines() == [
        f"contract-audit: {path}: refused: part word/document.xml inflates past the 32 MB limit; it may be a zip bomb "
        "(raise it with --max-xml-mb MB)"
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
    with pytest.raises(
        LoadError,
        match=r"^many.docx: refused: part .* inflates past the 1 MB limit; it may be a zip bomb "
        r"\(raise it with --max-docx-mb MB\)$",
    ):
        load(ZH_DOCX, "many.docx", limits=limits.Limits(docx_bytes=20_000))


# --- the Word export --------------------------------------------------------------------------------------

FOREIGN_IDS = ("c1", "99999999999", "", "-3")


def _comments(data: bytes) -> list[tuple[str, str]]:
    return [(c.author, c.text) for c in docx.Document(io.BytesIO(data)).comments]


def _anchored_ids(data: bytes) -> list[str]:
    body = docx.Document(io.BytesIO(data)).element.body
    return [e.get(qn("w:id")) for e in body.iter(qn("w:commentRangeStart"))]


def test_word_export_takes_any_comment_ids() -> None:
    data = with_foreign_comments(ZH_DOCX, FOREIGN_IDS)
    annotated = annotated_docx(audit(data, filename="reviewed.docx"), data)

    comments = _comments(annotated)
    assert [c for c in comments if c[0] == "Alice"] == [("Alice", "请法务确认")] * len(FOREIGN_IDS)
    assert any(author == AUTHOR for author, _ in comments)
    document = docx.Document(io.BytesIO(annotated))
    ids = [c._comment_elm.get(qn("w:id")) for c in document.comments]
    assert len(set(ids)) == len(ids) and all(i.isdecimal() for i in ids)
    assert sorted(_anchored_ids(annotated)) == sorted(ids)  # every comment still sits on its text


@pytest.mark.parametrize("name", ["zh_06_ad_agency.docx", "zh_03_xiaohongshu_operation.pdf"])
def test_word_export_again_replaces_its_own_work(name: str) -> None:
    """Annotating the annotated file (as a user uploads it again) gives the same file, not more comments."""
    data = (SAMPLES / name).read_bytes()
    first = annotated_docx(audit(data, filename=name), data if name.endswith(".docx") else None)
    again = first
    for _ in range(2):
        again = annotated_docx(audit(again, filename="annotated.docx"), again)

    one, three = docx.Document(io.BytesIO(first)), docx.Document(io.BytesIO(again))
    assert _comments(again) == _comments(first)
    assert [p.text for p in three.paragraphs] == [p.text for p in one.paragraphs]
    assert len(three.sections) == len(one.sections)
    if name.endswith(".docx"):  # the contract's own last section is given back before the new appendix
        original = docx.Document(io.BytesIO(data))
        assert three.sections[-2].header.is_linked_to_previous == original.sections[-1].header.is_linked_to_previous


@pytest.mark.parametrize(
    "name", ["zh_06_ad_agency.docx", "zh_01_douyin_operation.docx", "zh_03_xiaohongshu_operation.pdf"]
)
def test_word_export_audits_like_the_original(name: str) -> None:
    """The appendix's suggested clauses are not read back as contract text (they would pass checks)."""
    data = (SAMPLES / name).read_bytes()
    report = audit(data, filename=name)
    annotated = audit(annotated_docx(report, data if name.endswith(".docx") else None), filename="annotated.docx")

    assert annotated.text == report.text
    assert [(f.check_id, f.status) for f in annotated.findings] == [(f.check_id, f.status) for f in report.findings]
    assert [r.flag_id for r in annotated.red_flags] == [r.flag_id for r in report.red_flags]


def test_word_export_appendix_whose_end_was_deleted_is_skipped_to_the_end() -> None:
    data = (SAMPLES / "zh_06_ad_agency.docx").read_bytes()
    report = audit(data, filename="a.docx")
    members = docx_members(annotated_docx(report, data))
    members["word/document.xml"] = re.sub(rb"<w:bookmarkEnd [^>]*/>", b"", members["word/document.xml"])
    assert audit(zipped(members), filename="edited.docx").text == report.text


# --- documents embedded whole (altChunk) -------------------------------------------------------------------

HTML_CHUNK = (
    "<html><head><style>p{color:red}</style><script>var x = '隐藏';</script></head><body>"
    "<h2>第十二条 补充约定</h2><p>12.1 乙方应于每月十日前提交&lt;数据报告&gt;。</p><ul><li>12.2 附件为准。</li></ul>"
    "</body></html>"
).encode()


def test_word_alt_chunks_are_read_or_named() -> None:
    inner = (FILES / "contract_en.docx").read_bytes()
    data = with_alt_chunks(
        ZH_DOCX,
        {
            "chunk.html": ("text/html", HTML_CHUNK),
            "chunk.txt": ("text/plain", "12.3 本补充约定与本合同具有同等效力。\n".encode()),
            "chunk.docx": (_DOCX_MAIN_TYPE, inner),
            "chunk.rtf": ("application/rtf", rb"{\rtf1 12.4 hidden}"),
        },
    )
    document = load(data, "chunked.docx")

    lines = document.text.splitlines()
    assert {"第十二条 补充约定", "12.1 乙方应于每月十日前提交<数据报告>。", "12.2 附件为准。"} <= set(lines)
    assert "12.3 本补充约定与本合同具有同等效力。" in lines and "隐藏" not in document.text
    inner_text = load(inner, "inner.docx").text
    assert inner_text in document.text  # the embedded .docx, whole
    assert document.warnings == (
        "Part of the document is embedded as application/rtf (altChunk) and was not read; open the file in "
        "Word and save it again so that Word merges it into the text.",
    )


def test_word_alt_chunk_in_the_cli_is_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "chunked.docx"
    path.write_bytes(with_alt_chunks(ZH_DOCX, {"chunk.mht": ("message/rfc822", b"MIME-Version: 1.0")}))
    code, out, _, _ = run_measured("audit", str(path), "--no-db", "--workers", "1")
    assert code == 0
    assert out.count("embedded as message/rfc822 (altChunk) and was not read") == 1


def test_word_zip_needing_a_newer_zip_version_is_one_line(tmp_path: Path) -> None:
    """Found by the DOCX fuzz: a central directory asking for ZIP version 18.1 made zipfile raise
    NotImplementedError past the loader.
    """
    data = bytearray(ZH_DOCX)
    data[data.rfind(b"PK\x01\x02") + 6] = 181
    path = tmp_path / "version.docx"
    path.write_bytes(bytes(data))
    code, _, err, _ = run_measured("audit", str(path), "--no-db", "--workers", "1")
    assert code == 2
    assert err.splitlines() == [f"contract-audit: {path}: the .docx (ZIP) file is damaged or truncated"]
