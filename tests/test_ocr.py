"""Scanned contracts: PDF pages without a text layer and photos are read by OCR, offline.

The fixtures (scripts/make_fixture_files.py) are one small A6 page each, so the whole file runs in a few
seconds: `photo_zh.jpg` is that page stored on its side with an EXIF orientation, as phones save photos;
`scanned_mixed.pdf` has a text layer on page 1 and only the scanned image on page 2.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from auditor import load as load_module
from auditor.load import Limits, LoadError, load
from auditor.model import RawDocument
from auditor.pipeline import audit

pytest.importorskip("rapidocr_onnxruntime", reason="OCR is the optional extra contract-auditor[ocr]")

FILES = Path(__file__).parent / "fixtures" / "files"
# OCR_SCANNED_PAGE of scripts/make_fixture_files.py as OCR reads it: no space after a clause number
SCANNED_PARAGRAPHS = [
    "第五条违约责任",
    "5.1乙方未按约定完成当月发布数量的，每少一条扣减当月服务费五百元，扣减总额以当月服务费为限。",
    "5.2甲方逾期付款的，每逾期一日按应付未付金额的万分之五向乙方支付违约金。",
    "第六条争议解决",
    "因本合同引起的或与本合同有关的任何争议，双方应协商解决；协商不成的，提交上海仲裁委员会仲裁。",
]
CAVEAT = "OCR text may contain errors: check quoted evidence against the original."


@functools.cache
def read(name: str) -> tuple[RawDocument, tuple[tuple[int, int], ...]]:
    """Load a fixture once (OCR takes a second or two), with the progress calls it made."""
    calls: list[tuple[int, int]] = []
    doc = load(FILES / name, progress=lambda done, total: calls.append((done, total)))
    return doc, tuple(calls)


def test_ocr_photo_turned_upright_and_wrapped_lines_rejoined() -> None:
    doc, _ = read("photo_zh.jpg")
    assert [block.text for block in doc.blocks] == SCANNED_PARAGRAPHS
    assert (doc.format, doc.pages, doc.ocr_pages) == ("image", 1, (1,))


def test_ocr_photo_warns_that_text_may_hold_errors() -> None:
    doc, calls = read("photo_zh.jpg")
    assert doc.warnings == (f"The image was read by OCR. {CAVEAT}",)
    assert calls == ((0, 1), (1, 1))


def test_ocr_mixed_pdf_reads_only_the_scanned_page() -> None:
    doc, calls = read("scanned_mixed.pdf")
    assert [b.text for b in doc.blocks if b.page == 2] == SCANNED_PARAGRAPHS
    assert [b.text for b in doc.blocks if b.page == 1][3] == "第一条 服务内容"  # text layer, untouched
    assert (doc.ocr_pages, calls) == ((2,), ((0, 1), (1, 1)))
    assert doc.warnings == (f"Page 2 was read by OCR. {CAVEAT}",)


def test_ocr_audit_quotes_evidence_with_its_scanned_page() -> None:
    report = audit(read("scanned_mixed.pdf")[0])
    forum = report.finding("dispute_forum")
    assert any("上海仲裁委员会" in e.text and e.page == 2 for e in forum.evidence)
    assert f"Page 2 was read by OCR. {CAVEAT}" in report.warnings


def test_ocr_missing_image_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module.ocr, "missing", lambda: "OCR is not installed; install it with: pip x")
    with pytest.raises(LoadError, match=r"^photo_zh\.jpg: an image needs OCR .*install it with: pip x$"):
        load(FILES / "photo_zh.jpg")


def test_ocr_missing_mixed_pdf_keeps_the_text_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module.ocr, "missing", lambda: "OCR is not installed.")
    doc = load(FILES / "scanned_mixed.pdf")
    assert {b.page for b in doc.blocks} == {1} and doc.ocr_pages == ()
    assert doc.warnings == (
        "Page 2 has no text layer (scanned images?); OCR could not run, so that text is missing. OCR is not installed.",
    )


def test_ocr_install_hint_names_the_extra() -> None:
    assert 'pip install "contract-auditor[ocr]"' in load_module.ocr.INSTALL_HINT


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.png", "image file is damaged or truncated"),
        (b"not an image at all", "scan.jpg", "not a valid PNG or JPEG image"),
    ],
    ids=["truncated-png", "text-named-jpg"],
)
def test_ocr_bad_image_gives_load_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        load(data, name)


def test_ocr_huge_image_refused_before_decoding() -> None:
    with pytest.raises(LoadError, match=r"too large to read; scale it down, or raise it with --max-photo-megapixels"):
        load(FILES / "photo_zh.jpg", limits=Limits(photo_pixels=1000))
