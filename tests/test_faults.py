"""Faults an attacker or a bad day brings: audits that never end, special files, a broken result store,
output paths that cannot be written, signals. Each runs the real CLI as its own process on inputs made
here (tests/hostile_faults.py) and checks the exit code, the one line said, and generous bounds on time
and peak memory (bounds against a hang or a blow-up, not speed targets).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.hostile_faults import cli, slow_contract

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
