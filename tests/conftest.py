"""Shared fixtures (the only place fixtures are defined, as in spaCy's test conventions)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from auditor.model import AuditReport

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "sample_contracts"
EVIDENCE_MARK = " 〔evidence〕"
GOLDEN = ROOT / "tests" / "golden"
HOW_TO_UPDATE = "pytest tests/test_pipeline.py -k golden --update-goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-goldens` rewrites tests/golden/ from the current code instead of comparing with it."""
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden snapshots")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite the snapshots (review `git diff tests/golden/` after)."""
    return bool(request.config.getoption("--update-goldens"))


def labelled_files() -> list[str]:
    """Every file named in sample_contracts/labels.json, sorted."""
    data = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
    return sorted(data["files"])


def golden_path(name: str) -> Path:
    """tests/golden/<sample file name>.json (the full name: the same stem may exist in two formats)."""
    return GOLDEN / f"{name}.json"


def project(report: AuditReport) -> dict[str, Any]:
    """The stable part of a report that a snapshot records: per check the status, the reasons and the
    labels of the quoted clauses, then the red-flag ids. Quotes and wording are left out on purpose, so a
    snapshot changes when a decision changes, not when a quote is trimmed.
    """
    return {
        "file": report.file,
        "language": report.language,
        "checks": {
            f.check_id: {
                "status": f.status.value,
                "reasons": list(f.reasons),
                "evidence": [e.clause for e in f.evidence],
            }
            for f in report.findings
        },
        "red_flags": [r.flag_id for r in report.red_flags],
    }


def render_snapshot(snapshot: dict[str, Any]) -> str:
    """The snapshot as committed: UTF-8 JSON, readable Chinese, two-space indent, final newline."""
    return json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"


def read_fixture(path: Path) -> tuple[str, str | None]:
    """A fixture's text with the evidence marker stripped, and the marked line (if any)."""
    marked = None
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.endswith(EVIDENCE_MARK):
            line = line.removesuffix(EVIDENCE_MARK)
            marked = line
        lines.append(line)
    return "\n".join(lines), marked


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The bundled labelled corpus."""
    return SAMPLES


@pytest.fixture(scope="session")
def files_dir() -> Path:
    """Small real PDF/DOCX/TXT files for loader and pipeline tests."""
    return FIXTURES / "files"


TEXT_FILES = ("contract_en.docx", "contract_en.pdf", "contract_zh.docx", "contract_zh.pdf", "contract_zh.txt")
TEXT_FILES += ("contract_zh_traditional.txt", "contract_zh_gb18030.txt", "pdf_named.docx")


def every_contract() -> list[str]:
    """Every contract the tests hold, by name: each bundled sample, each check and red-flag fixture, and
    the readable files of tests/fixtures/files (not the scans, whose OCR is tested on its own).
    """
    fixtures = sorted(FIXTURES.glob("checks/*/*.txt")) + sorted(FIXTURES.glob("red_flags/*.txt"))
    return [
        *(f"sample_contracts/{name}" for name in labelled_files()),
        *(str(p.relative_to(FIXTURES.parent.parent)) for p in fixtures),
        *(f"tests/fixtures/files/{name}" for name in TEXT_FILES),
    ]


@cache
def audited(name: str) -> AuditReport:
    """The report of one contract of `every_contract()`, audited once per test session."""
    from auditor.load import load_text
    from auditor.pipeline import audit, audit_document

    path = ROOT / name
    if "checks" not in path.parts and "red_flags" not in path.parts:  # a file as a user has it
        return audit(path)
    text, _ = read_fixture(path)
    lang = "en" if path.name.endswith(".en.txt") else "zh" if path.name.endswith(".zh.txt") else None
    return audit_document(load_text(text, path.name), lang=lang)
