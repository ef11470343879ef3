"""One parametrized test over every check fixture: the directory names the check, the file name's prefix
the status it must give (`weak_vague_court.zh.txt` → weak), and a line marked 〔evidence〕 must be quoted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks import get_check
from auditor.load import load_text
from auditor.pipeline import audit_document
from tests.conftest import FIXTURES, read_fixture

CASES = sorted((FIXTURES / "checks").glob("*/*.txt"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", CASES, ids=[_id(p) for p in CASES])
def test_checks_fixture_status(path: Path) -> None:
    text, marked = read_fixture(path)
    expected = path.name.split("_", 1)[0]
    check = get_check(path.parent.name)  # the check alone, whichever side's checklist it belongs to
    finding = audit_document(load_text(text, path.name), checks=(check,)).finding(check.id)
    assert finding.status.value == expected, finding.reasons
    if expected != "pass":
        assert finding.reasons and finding.suggestion
        assert "{" not in finding.suggestion
    if marked is not None:
        quoted = " ".join(e.text for e in finding.evidence)
        assert any(e.text in marked or marked.strip() in e.text for e in finding.evidence), quoted
