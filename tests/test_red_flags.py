"""Red-flag fixtures: `<flag_id>__<slug>.txt` must raise that flag; `none__<slug>.txt` must raise none."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import audit_text
from auditor.red_flags import FLAGS
from tests.conftest import FIXTURES, read_fixture

CASES = sorted((FIXTURES / "red_flags").glob("*.txt"))


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_red_flags_fixture(path: Path) -> None:
    text, _ = read_fixture(path)
    expected = path.name.split("__", 1)[0]
    raised = [f.flag_id for f in audit_text(text, name=path.name).red_flags]
    if expected == "none":
        assert raised == []
    else:
        assert expected in raised
        flag = next(f for f in audit_text(text).red_flags if f.flag_id == expected)
        assert flag.evidence and all(e.text for e in flag.evidence)


def test_red_flags_every_flag_has_a_fixture() -> None:
    covered = {p.name.split("__", 1)[0] for p in CASES}
    assert set(FLAGS) <= covered
