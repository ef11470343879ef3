"""Hostile inputs and conditions for the fault tests, made at test time: a contract whose analysis runs
for minutes, special files, broken result stores, and a way to run the CLI as a separate process with
its peak memory and time measured.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FILES = Path(__file__).parent / "fixtures" / "files"
ZH_CONTRACT = FILES / "contract_zh.txt"


def slow_contract(path: Path, words: int = 400_000) -> Path:
    """One clause of about a million characters of contract words and commas, no full stop: well under
    the character limit, and an audit of it runs for minutes (only a killed worker stops it).
    """
    rng = random.Random(1)
    vocabulary = ["甲方", "乙方", "服务", "费用", "支付", "违约", "责任", "合同", "期限", "验收"]
    text = "".join(rng.choice(vocabulary) + rng.choice(("", "、", "，")) for _ in range(words))
    path.write_text(f"第一条 {text}\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    """One CLI run in its own process: exit code, output, seconds taken, and peak memory of the run's
    processes (the largest resident set among the CLI and its workers, in MB).
    """

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def lines(self) -> list[str]:
        """Its stderr lines."""
        return self.stderr.splitlines()


def cli(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    file_size_limit: int | None = None,
    open_files_limit: int | None = None,
    timeout: float = 300,
) -> Run:
    """`contract-audit ARGS` as a separate process (so a crash, a signal or a limit is its own).

    `file_size_limit` caps the size of any file it writes (RLIMIT_FSIZE): a write past it fails as on a
    full disk. `open_files_limit` caps its file descriptors (RLIMIT_NOFILE): past it, no pipe to a worker
    can be made, so the system refuses to start one.
    """

    def limit() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        if open_files_limit is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files_limit, open_files_limit))

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        preexec_fn=limit,  # noqa: PLW1509 - only sets limits, nothing a thread could hold
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return Run(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        seconds,
        peak / 1024,
    )


def garbage_store(path: Path) -> Path:
    """A file that is not a database at all."""
    path.write_bytes(b"\x00not a database\xff" * 512)
    return path


def truncated_store(path: Path, source: Path) -> Path:
    """A real store cut in half, as by a crash while copying it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def old_schema_store(path: Path) -> Path:
    """A store from before the schema had a version: a `reports` table with other columns."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE reports (sha256 TEXT PRIMARY KEY, report TEXT)")
        db.execute("INSERT INTO reports VALUES ('x', '{}')")
    return path


def tamper_reports(path: Path) -> None:
    """Every stored report replaced by JSON that is valid but not a report, or not JSON at all."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE reports SET report = CASE WHEN rowid % 2 THEN '{\"checks\": 7}' ELSE '{not json' END")


def workers(pid: int) -> list[int]:
    """The worker processes of the command `pid`: its children forked from it (the same command line),
    not a short-lived helper some library runs (Linux /proc).
    """
    try:
        kids = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [kid for kid in kids if _command_line(kid) == command]


def cpu_while_idle(seconds: float = 1.0) -> float:
    """CPU seconds this process uses while its caller sleeps `seconds`: near 0 unless a thread is busy."""
    start = time.process_time()
    time.sleep(seconds)
    return time.process_time() - start


def children_cpu(seconds: float = 1.0) -> float:
    """CPU seconds the live children of this process use while it sleeps `seconds` (Linux /proc)."""

    def used() -> float:
        total = 0
        for kid in running_children(os.getpid()):
            with contextlib.suppress(OSError):  # gone meanwhile
                fields = Path(f"/proc/{kid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    start = used()
    time.sleep(seconds)
    return used() - start


def processes_naming(text: str) -> list[int]:
    """The running processes whose command line holds `text` (a temporary folder), this one aside."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            command = _command_line(int(entry.name))
            if command and text.encode() in command and running(int(entry.name)):
                found.append(int(entry.name))
    return found


def rtf_contract(path: Path) -> Path:
    """A small RTF contract, which only LibreOffice can convert (a few seconds, to start it)."""
    clauses = ("1. The Client shall pay the fee of USD 10,000.", "2. The Provider shall deliver 4 videos a month.")
    path.write_text("{\\rtf1\\ansi " + "\\par ".join(clauses) + "\\par}", encoding="ascii")
    return path


def running_children(pid: int) -> list[int]:
    """The live children of `pid`, forked from any of its threads (Linux /proc)."""
    kids: list[int] = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            kids += [int(kid) for kid in listing.read_text().split()]
    return [kid for kid in kids if running(kid)]


def _command_line(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    """Poll `condition` until it holds or `seconds` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def stored_reports(db: Path) -> int:
    """How many reports a store holds so far (0 while it does not exist yet)."""
    if not db.is_file():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return 0
