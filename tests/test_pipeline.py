"""The whole pipeline (auditor/pipeline.py) over real files: findings in registry order, evidence that quotes
the original at its offsets and names its page, the same answer from bytes as from a path, and golden
snapshots of every labelled sample (regenerate with `pytest tests/test_pipeline.py -k golden --update-goldens`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from auditor import audit
from auditor.checks import CHECKS
from auditor.load import load
from auditor.model import AuditReport, Evidence, Status
from tests.conftest import (
    FIXTURES,
    GOLDEN,
    HOW_TO_UPDATE,
    SAMPLES,
    golden_path,
    labelled_files,
    project,
    render_snapshot,
)

FILES = ["contract_zh.txt", "contract_zh.docx", "contract_zh.pdf", "contract_en.pdf", "contract_en.docx"]
PDFS = [f for f in FILES if f.endswith(".pdf")]
SAMPLE_FILES = labelled_files()


@cache
def _audit(path: Path) -> AuditReport:
    """Reports are frozen, so one audit per file serves every test in this module."""
    return audit(path)


def _fixture(name: str) -> AuditReport:
    return _audit(FIXTURES / "files" / name)


def _all_evidence(report: AuditReport) -> list[Evidence]:
    findings = [e for f in report.findings for e in f.evidence]
    return findings + [e for r in report.red_flags for e in r.evidence]


@pytest.mark.parametrize("name", FILES)
def test_pipeline_findings_in_registry_order(name: str) -> None:
    assert [f.check_id for f in _fixture(name).findings] == [c.id for c in CHECKS]


@pytest.mark.parametrize("name", FILES)
def test_pipeline_evidence_quotes_original(name: str) -> None:
    report = _fixture(name)
    evidence = _all_evidence(report)
    assert evidence
    for e in evidence:
        assert report.text[e.start : e.end] == e.text


@pytest.mark.parametrize("name", PDFS)
def test_pipeline_pdf_evidence_has_page(name: str) -> None:
    report = _fixture(name)
    assert report.pages
    assert all(e.page is not None and 1 <= e.page <= report.pages for e in _all_evidence(report))


@pytest.mark.parametrize("name", FILES)
def test_pipeline_non_pass_finding_explained(name: str) -> None:
    for f in _fixture(name).findings:
        if f.status is Status.PASS:
            assert f.suggestion is None
        else:
            assert f.reasons and f.suggestion, f.check_id


@pytest.mark.parametrize("name", FILES)
def test_pipeline_language_detected(name: str) -> None:
    assert _fixture(name).language == name.split("_")[1].split(".")[0]


@pytest.mark.parametrize("name", FILES)
def test_pipeline_bytes_equal_path(name: str) -> None:
    path = FIXTURES / "files" / name
    from_bytes = audit(path.read_bytes(), filename=name)
    assert from_bytes.findings == _fixture(name).findings
    assert from_bytes.red_flags == _fixture(name).red_flags


def test_pipeline_loaded_document_equals_path() -> None:
    path = FIXTURES / "files" / "contract_zh.docx"
    assert audit(load(path)).findings == _fixture("contract_zh.docx").findings


def test_pipeline_same_contract_same_statuses_across_formats() -> None:
    zh = [name for name in FILES if name.startswith("contract_zh")]
    statuses = {name: tuple(f.status for f in _fixture(name).findings) for name in zh}
    assert len(set(statuses.values())) == 1, statuses


def test_pipeline_subset_of_checks() -> None:
    checks = CHECKS[5:6]
    report = audit(FIXTURES / "files" / "contract_zh.txt", checks=checks)
    assert [f.check_id for f in report.findings] == ["dispute_forum"]


def test_pipeline_language_override() -> None:
    report = audit(FIXTURES / "files" / "contract_en.docx", lang="en")
    assert report.language == "en"


# --- golden snapshots ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_pipeline_golden_snapshot(name: str, update_goldens: bool) -> None:
    path = golden_path(name)
    if update_goldens:
        path.write_text(render_snapshot(project(_audit(SAMPLES / name))), encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}; run `{HOW_TO_UPDATE}` and commit tests/golden/"
    want = json.loads(path.read_text(encoding="utf-8"))
    got = project(_audit(SAMPLES / name))
    assert got == want, (
        f"{name} no longer matches tests/golden/{path.name}. If the change is intended, run "
        f"`{HOW_TO_UPDATE}`, review `git diff tests/golden/` and commit it."
    )


def test_pipeline_golden_no_orphan_snapshot() -> None:
    orphans = sorted({p.name for p in GOLDEN.glob("*.json")} - {golden_path(n).name for n in SAMPLE_FILES})
    assert not orphans, f"snapshots of unlabelled files: {orphans}; run `{HOW_TO_UPDATE}` to remove them"


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_pipeline_sample_evidence_quotes_original(name: str) -> None:
    report = _audit(SAMPLES / name)
    for e in _all_evidence(report):
        assert report.text[e.start : e.end] == e.text
        if report.format == "pdf":
            assert e.page is not None
