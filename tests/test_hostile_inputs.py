"""Small hostile inputs outside Word files: a text file cut inside a character, a playbook nested past
any sense. Built at test time; each through the command a user runs, asserting exit code and message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.load import LoadError, load
from auditor.review.playbook import MAX_NESTING
from tests.hostile_content import ZH_TEXT, run_measured

AUDIT = ("--no-db", "--workers", "1")
CUT_WARNING = "The file ends in the middle of a character (it was cut short); that character is shown as �."


@pytest.mark.parametrize("cut", [1, 2])  # 1 or 2 bytes of a 3-byte character are left
def test_hostile_text_cut_inside_a_character_is_read_with_one_mark(
    cut: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = ZH_TEXT.rstrip()[-1].encode()
    assert len(last) == 3
    path = tmp_path / "cut.txt"
    path.write_bytes(ZH_TEXT.rstrip().encode()[:-3] + last[:cut])

    assert main(["audit", str(path), *AUDIT]) == 0
    out = capsys.readouterr().out

    document = load(path)
    assert document.text.endswith("\ufffd") and document.text.count("\ufffd") == 1
    assert document.warnings == (CUT_WARNING,)
    assert f"   * {CUT_WARNING}" in out.splitlines()


def test_hostile_text_with_bad_bytes_inside_is_still_not_utf8(tmp_path: Path) -> None:
    """Only the last character may be cut: a broken byte in the middle is decoded some other way."""
    data = ZH_TEXT.encode()
    try:
        warnings = load(data[:40] + b"\xe4" + data[40:], "middle.txt").warnings
    except LoadError as err:
        assert str(err) == "middle.txt: does not look like a text file (binary content or unknown encoding)"
    else:
        assert CUT_WARNING not in warnings


def test_hostile_playbook_nested_deeply_is_one_message(tmp_path: Path) -> None:
    """PyYAML's composer recursed once a level (RecursionError): refused from the event stream instead,
    by the commands a user runs, in bounded time and memory.
    """
    path = tmp_path / "deep.yaml"
    path.write_text("name: deep\nchecks: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")

    start = time.monotonic()
    code, _, err, peak_mb = run_measured("playbook", "check", str(path))
    assert code == 2
    assert err.splitlines() == [
        "contract-audit: deep.yaml: invalid playbook",
        f"  line 2: nested more than {MAX_NESTING} levels deep",
    ]
    code, _, err, audit_peak_mb = run_measured("audit", "--sample", "zh", "--playbook", str(path), *AUDIT)
    assert code == 2
    assert err.splitlines() == [f"contract-audit: deep.yaml: line 2: nested more than {MAX_NESTING} levels deep"]
    assert time.monotonic() - start < 60
    assert max(peak_mb, audit_peak_mb) < 400, (peak_mb, audit_peak_mb)


def test_hostile_playbook_bundled_ones_are_well_within_the_nesting_limit() -> None:
    from auditor.review.playbook import bundled_names, load_playbook

    assert all(load_playbook(name) for name in bundled_names())


def test_hostile_ocr_leaves_nothing_in_the_home_folder(tmp_path: Path) -> None:
    """An OCR'd audit leaves nothing in the home folder but the auditor's own cache (onnxruntime keeps a
    telemetry device id and event database under ~/.cache/Microsoft unless told not to).
    """
    pytest.importorskip("rapidocr_onnxruntime")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "XDG_"))} | {"HOME": str(home)}
    photo = Path(__file__).parent / "fixtures" / "files" / "photo_zh.jpg"
    command = [sys.executable, "-m", "auditor", "audit", str(photo), *AUDIT]

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)

    assert done.returncode == 0, done.stderr
    left = {p.relative_to(home).parts[:2] for p in home.rglob("*")}
    assert left <= {(".cache",), (".cache", "contract-auditor")}, left
