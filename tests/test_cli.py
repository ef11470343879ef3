"""The command line (auditor/cli.py): formats, --out, exit codes, a folder with one unreadable file (every
other file still reported, no traceback), and the eval command.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from auditor import audit
from auditor.checks import CHECKS
from auditor.cli import main
from auditor.model import Status
from tests.conftest import ROOT

GOOD = "contract_zh.txt"
WEAK_SAMPLE = "zh_02_douyin_package.txt"  # labelled weak on five checks and missing on two
GARBAGE = b"\x00\x17this is not a pdf\xff" * 40


@cache
def _audit_options() -> tuple[str, ...]:
    """Options that keep a run in-process and away from the user's result store, where the CLI has them.

    Read from `audit --help` because other options are being added to the audit command over time.
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main(["audit", "--help"])
    text = out.getvalue()
    options: list[str] = []
    if "--no-db" in text:
        options.append("--no-db")
    if "--workers" in text:
        options += ["--workers", "1"]
    return tuple(options)


def _audit(*args: str | Path) -> int:
    return main(["audit", *map(str, args), *_audit_options()])


def _folder_with_bad_file(files_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "contracts"
    folder.mkdir()
    shutil.copy(files_dir / GOOD, folder / GOOD)
    (folder / "bad.pdf").write_bytes(GARBAGE)
    return folder


def test_cli_audit_text_format(files_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(files_dir / GOOD) == 0
    out = capsys.readouterr().out
    assert GOOD in out
    assert all(check.lexicon.title["zh"] in out for check in CHECKS)


def test_cli_audit_json_has_every_check(files_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(files_dir / GOOD, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["checks"]] == [c.id for c in CHECKS]


def test_cli_audit_jsonl(files_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(files_dir / GOOD, files_dir / "contract_en.docx", "--format", "jsonl") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == ["contract_en.docx", GOOD]


def test_cli_audit_csv(files_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(files_dir / GOOD, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 1
    statuses = {f.check_id: f.status.value for f in audit(files_dir / GOOD).findings}
    assert rows[0]["file"] == GOOD
    assert {check_id: rows[0][check_id] for check_id in statuses} == statuses


def test_cli_audit_markdown(files_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(files_dir / GOOD, "--format", "md") == 0
    assert capsys.readouterr().out.startswith("# ")


def test_cli_audit_out_file(files_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    assert _audit(files_dir / GOOD, "--format", "json", "--out", target) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["file"] == GOOD


def test_cli_audit_csv_out_file_has_bom(files_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    assert _audit(files_dir / GOOD, "--format", "csv", "--out", target) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # so Excel reads the Chinese


def test_cli_audit_fail_on_weak(samples_dir: Path) -> None:
    assert any(f.status is Status.WEAK for f in audit(samples_dir / WEAK_SAMPLE).findings)
    assert _audit(samples_dir / WEAK_SAMPLE, "--fail-on", "weak") == 1


@pytest.mark.parametrize("level", ["weak", "missing"])
def test_cli_audit_fail_on_follows_worst_status(level: str, files_dir: Path) -> None:
    worst = max(f.status.rank for f in audit(files_dir / GOOD).findings)
    assert _audit(files_dir / GOOD, "--fail-on", level) == int(worst >= Status(level).rank)


def test_cli_audit_without_fail_on_exit_0(samples_dir: Path) -> None:
    assert _audit(samples_dir / WEAK_SAMPLE) == 0


def test_cli_audit_folder_with_corrupt_file_json(
    files_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder_with_bad_file(files_dir, tmp_path)
    assert _audit(folder, "--format", "json") == 2
    entries = {Path(e["file"]).name: e for e in json.loads(capsys.readouterr().out)}
    assert set(entries) == {"bad.pdf", GOOD}
    assert set(entries["bad.pdf"]) == {"file", "error"}
    assert len(entries[GOOD]["checks"]) == len(CHECKS)


def test_cli_audit_folder_with_corrupt_file_stderr(
    files_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder_with_bad_file(files_dir, tmp_path)
    assert _audit(folder) == 2
    captured = capsys.readouterr()
    assert sum("bad.pdf" in line for line in captured.err.splitlines()) == 1
    assert "Traceback" not in captured.err + captured.out
    assert GOOD in captured.out


def test_cli_audit_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(tmp_path / "no_such_contract.pdf") == 2
    err = capsys.readouterr().err
    assert "no_such_contract.pdf" in err and "Traceback" not in err


def test_cli_audit_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit(tmp_path) == 2
    assert capsys.readouterr().err.strip()


def test_cli_unknown_format_is_usage_error(files_dir: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", str(files_dir / GOOD), "--format", "pdf"])
    assert exit_.value.code == 2


def test_cli_module_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert "audit" in done.stdout and "eval" in done.stdout


def test_cli_eval_prints_per_check_lines(samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two labelled files keep this fast; the accuracy floor over the whole corpus is test_evaluate's job.
    files = json.loads((samples_dir / "labels.json").read_text(encoding="utf-8"))["files"]
    some = {name: files[name] for name in ("zh_02_douyin_package.txt", "en_03_influencer.txt")}
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"files": some}, ensure_ascii=False), encoding="utf-8")
    assert main(["eval", str(samples_dir), "--labels", str(labels)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "files audited: 2" in lines[0]
    for check in CHECKS:  # one line per language (zh, en) and one for both
        assert sum(line.strip().startswith(check.id) for line in lines) == 3, check.id
    assert any(line.strip().startswith("red flags:") for line in lines)
    assert any(line.startswith("3-way accuracy") for line in lines)


def test_cli_eval_without_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path)]) == 2
    assert "labels" in capsys.readouterr().err
