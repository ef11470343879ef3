"""Shared fixtures (the only place fixtures are defined, as in spaCy's test conventions)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "sample_contracts"
EVIDENCE_MARK = " 〔evidence〕"


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
