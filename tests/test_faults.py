"""Faults an attacker or a bad day brings: audits that never end, special files, a broken result store,
output paths that cannot be written, signals. Each runs the real CLI as its own process on inputs made
here (tests/hostile_faults.py) and checks the exit code, the one line said, and generous bounds on time
and peak memory (bounds against a hang or a blow-up, not speed targets).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.load import MAX_BYTES
from tests.conftest import SAMPLES
from tests.hostile_faults import children, cli, running, slow_contract, stored_reports, wait_for

GOOD = SAMPLES / "zh_02_douyin_package.txt"
MAX_SECONDS = 90  # against a hang: an unstopped slow audit runs for many minutes
MAX_MB = 3000  # against a blow-up: a worker is capped at 4096 MB of address space


# --- timeouts that stop the work ----------------------------------------------------------------------


def test_timeout_stops_a_single_file(tmp_path: Path) -> None:
    run = cli(["audit", str(slow_contract(tmp_path / "slow.txt")), "--no-db", "--timeout", "2"])
    assert run.code == 2
    assert run.lines()[-1] == f"contract-audit: {tmp_path / 'slow.txt'}: stopped after the per-file timeout of 2 s"
    assert run.seconds < MAX_SECONDS
    assert run.peak_mb < MAX_MB


@pytest.mark.parametrize("workers", ["1", "2"])
def test_timeout_stops_one_file_and_the_batch_goes_on(tmp_path: Path, workers: str) -> None:
    slow_contract(tmp_path / "a_slow.txt")
    shutil.copy(GOOD, tmp_path / "b_good.txt")
    run = cli(["audit", str(tmp_path), "--no-db", "--timeout", "3", "--workers", workers, "--format", "jsonl"])
    assert run.code == 2
    assert "a_slow.txt: stopped after the per-file timeout of 3 s" in run.stderr
    assert '"file": "b_good.txt"' in run.stdout
    assert run.seconds < MAX_SECONDS
    assert run.peak_mb < MAX_MB


def test_timeout_stops_a_dispute_brief(tmp_path: Path) -> None:
    slow = slow_contract(tmp_path / "slow.txt")
    run = cli(["dispute", str(slow), "--scenario", "non_delivery", "--timeout", "2"])
    assert run.code == 2
    assert run.lines() == ["contract-audit: slow.txt: stopped after the per-file timeout of 2 s"]
    assert run.seconds < MAX_SECONDS


def test_memory_cap_stops_the_audit_with_one_line(tmp_path: Path) -> None:
    """The slow contract needs a few hundred MB: under a 150 MB cap its worker runs out, says so, and
    the command exits 2 long before the timeout.
    """
    run = cli(["audit", str(slow_contract(tmp_path / "big.txt")), "--no-db", "--max-memory", "150"])
    assert run.code == 2
    assert run.lines()[-1] == (
        f"contract-audit: {tmp_path / 'big.txt'}: stopped at the memory limit of 150 MB per worker "
        "(raise it with --max-memory MB, 0 for none)"
    )
    assert run.seconds < MAX_SECONDS
    assert run.peak_mb < MAX_MB


# --- signals ------------------------------------------------------------------------------------------


def _batch_in_flight(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int], Path]:
    """A batch of one quick and two endless contracts on two workers, once the quick one is stored."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    shutil.copy(GOOD, folder / "a_good.txt")
    for name in ("b_slow.txt", "c_slow.txt"):
        slow_contract(folder / name)
    (tmp_path / "tmp").mkdir()
    db = tmp_path / "audits.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "audit", str(folder), "--workers", "2", "--db", str(db), "--brief"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
    )
    assert wait_for(lambda: stored_reports(db) == 1), "the quick contract was never stored"
    workers = children(proc.pid)
    assert workers
    return proc, workers, db


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_workers_and_says_what_was_saved(tmp_path: Path, signum: int, code: int) -> None:
    proc, workers, db = _batch_in_flight(tmp_path)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=MAX_SECONDS)
    assert proc.returncode == code
    assert stderr.decode().splitlines()[-1] == (
        f"contract-audit: interrupted by {signal.Signals(signum).name}: 1 of 3 files finished, reported above "
        f"and kept in the store {db}; the other 2 were not audited"
    )
    assert stdout.decode().startswith("== a_good.txt")
    assert stored_reports(db) == 1
    assert not any(running(pid) for pid in workers)
    assert not list((tmp_path / "tmp").glob("pymp-*"))


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the workers still go, by PR_SET_PDEATHSIG."""
    proc, workers, _ = _batch_in_flight(tmp_path)
    proc.kill()
    proc.communicate(timeout=MAX_SECONDS)
    assert wait_for(lambda: not any(running(pid) for pid in workers), MAX_SECONDS)


# --- special files and folders ------------------------------------------------------------------------


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "contract.txt"
    os.mkfifo(fifo)
    run = cli(["audit", str(fifo)], env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, timeout=MAX_SECONDS)
    assert run.code == 2
    assert run.lines() == [
        f"contract-audit: {fifo}: is a FIFO (named pipe), not a regular file; save the contract to a file "
        "(or pipe it to `contract-audit audit -`)"
    ]


def test_endless_device_is_refused(tmp_path: Path) -> None:
    run = cli(["audit", "/dev/zero"], env={"XDG_CACHE_HOME": str(tmp_path)}, timeout=MAX_SECONDS)
    assert run.code == 2
    assert run.lines()[-1].startswith("contract-audit: /dev/zero: is a device, not a regular file")
    assert run.peak_mb < MAX_MB


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_stdin_from_a_pipe_is_audited(name: str) -> None:
    run = cli(["audit", name, "--no-db", "--format", "jsonl"], stdin=GOOD.read_bytes())
    assert run.code == 0, run.stderr
    assert '"file": "stdin"' in run.stdout


def test_stdin_past_the_size_limit_is_refused_after_reading_the_limit() -> None:
    run = cli(["audit", "-", "--no-db"], stdin=b"a" * (MAX_BYTES + 10))
    assert run.code == 2
    assert run.lines() == ["contract-audit: stdin: more than the 50 MB limit was piped in"]
    assert run.peak_mb < MAX_MB


def test_folder_skips_links_out_of_it_and_its_readme(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    shutil.copy(GOOD, secret)
    folder = tmp_path / "contracts"
    folder.mkdir()
    shutil.copy(GOOD, folder / "real.txt")
    (folder / "README.md").write_text("# What is in this folder\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    os.mkfifo(folder / "pipe.txt")
    run = cli(["audit", str(folder), "--no-db", "--format", "jsonl"])
    assert run.code == 0, run.stderr
    assert [line.split('"file": "')[1].split('"')[0] for line in run.stdout.splitlines()] == ["real.txt"]
    assert run.lines() == [
        f"contract-audit: skipped leak.txt in {folder}: a link leading out of the folder (--follow-links audits it)",
        f"contract-audit: skipped README.md in {folder}: a folder's notes, not a contract (name it to audit it)",
    ]
    followed = cli(["audit", str(folder), "--no-db", "--format", "jsonl", "--follow-links"])
    assert '"file": "leak.txt"' in followed.stdout
