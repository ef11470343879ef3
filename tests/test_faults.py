"""Faults an attacker or a bad day brings: audits that never end, special files, a broken result store,
output paths that cannot be written, signals. Each runs the real CLI as its own process on inputs made
here (tests/hostile_faults.py) and checks the exit code, the one line said, and generous bounds on time
and peak memory (bounds against a hang or a blow-up, not speed targets).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.batch.pool import Options, run_batch
from auditor.batch.store import SCHEMA_VERSION
from auditor.load import MAX_BYTES
from auditor.model import AuditReport
from tests.conftest import ROOT, SAMPLES
from tests.hostile_faults import (
    Run,
    children_cpu,
    cli,
    cpu_while_idle,
    garbage_store,
    old_schema_store,
    processes_naming,
    rtf_contract,
    running,
    running_children,
    slow_contract,
    stored_reports,
    tamper_reports,
    truncated_store,
    wait_for,
    workers,
)

GOOD = SAMPLES / "zh_02_douyin_package.txt"
MAX_SECONDS = 90  # against a hang: an unstopped slow audit runs for many minutes
MAX_MB = 3000  # against a blow-up: a worker is capped at 4096 MB of address space


def _bounded(run: Run) -> Run:
    """The run, once it is seen to have stayed within the bounds against a hang or a blow-up."""
    assert run.seconds < MAX_SECONDS, run.seconds
    assert run.peak_mb < MAX_MB, run.peak_mb
    return run


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


@pytest.mark.parametrize("processes", [False, True], ids=["in-process-workers", "nanny-workers"])
def test_dask_timeout_stops_the_work_on_the_worker(tmp_path: Path, processes: bool) -> None:
    """A Dask worker's audit runs in a child it kills at the timeout: forked beside threads, or in a fresh
    interpreter from a nanny's daemonic worker (multiprocessing refuses that one children), which is then
    replaced. The next file is audited, and nothing keeps running on the worker after the batch: a fork
    ends with its file, a nanny's worker keeps one idle interpreter for the next batch.
    """
    distributed = pytest.importorskip("distributed")
    slow = slow_contract(tmp_path / "a_slow.txt")
    good = Path(shutil.copy(GOOD, tmp_path / "b_good.txt"))
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=processes, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        start = time.monotonic()
        results = run_batch([slow, good], Options(dask=cluster.scheduler_address, timeout=3)).results
        seconds = time.monotonic() - start
        left = client.run(lambda: len(running_children(os.getpid())))
        busy = client.run(cpu_while_idle)
        children_busy = client.run(children_cpu)
        daemonic = client.run(lambda: multiprocessing.current_process().daemon)
    assert list(daemonic.values()) == [processes]  # the nanny's worker takes the fresh-interpreter route
    assert results[0] == {"file": str(slow), "error": "a_slow.txt: stopped after the per-file timeout of 3 s"}
    assert isinstance(results[1], AuditReport)
    assert list(left.values()) == [1 if processes else 0]
    assert max(busy.values()) < 0.5  # an abandoned audit thread would burn a whole core here
    assert max(children_busy.values()) < 0.5  # and an audit left running in a child, a core there
    assert seconds < MAX_SECONDS


def test_timeout_stops_the_desk_audit_and_leaves_nothing_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload whose audit runs for minutes: the desk kills its worker at the time limit (lowered here
    from 120 s) and says so in one message; no child keeps the server's CPU after the page is done.
    """
    from streamlit.testing.v1 import AppTest

    from auditor.batch import worker

    monkeypatch.setattr(worker, "DEFAULT_TIMEOUT", 3.0)
    slow = slow_contract(tmp_path / "slow.txt")
    already = set(running_children(os.getpid()))  # earlier tests' helpers (a resource tracker)
    start = time.monotonic()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=MAX_SECONDS).run()
    at.sidebar.file_uploader[0].upload(slow.name, slow.read_bytes()).run()
    seconds = time.monotonic() - start
    assert not at.exception
    [error] = [e.value for e in at.error]  # markdown-escaped, as the desk shows every contract-made string
    assert error.startswith("无法读取该合同：slow.txt") and error.endswith(
        ": stopped after the per-file timeout of 3 s"
    )
    assert seconds < MAX_SECONDS
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 < MAX_MB  # the worker, reaped
    assert set(running_children(os.getpid())) <= already


def test_timeout_stops_a_dispute_brief(tmp_path: Path) -> None:
    slow = slow_contract(tmp_path / "slow.txt")
    run = _bounded(cli(["dispute", str(slow), "--scenario", "non_delivery", "--timeout", "2"]))
    assert run.code == 2
    assert run.lines() == ["contract-audit: slow.txt: stopped after the per-file timeout of 2 s"]
    assert run.seconds < MAX_SECONDS


def test_timeout_stops_redline_and_compare(tmp_path: Path) -> None:
    """The negotiation commands audit too, in a worker killed at --timeout like the others."""
    slow = slow_contract(tmp_path / "slow.txt")
    redline = _bounded(cli(["redline", str(slow), "--out", str(tmp_path / "r.docx"), "--timeout", "2"]))
    compared = _bounded(cli(["compare", str(GOOD), str(slow), "--timeout", "2"]))
    for run in (redline, compared):
        assert (run.code, run.lines()) == (2, ["contract-audit: slow.txt: stopped after the per-file timeout of 2 s"])
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_timeout_during_a_legacy_conversion_leaves_no_office_and_no_copy(tmp_path: Path) -> None:
    """Killed mid-conversion, a worker left LibreOffice running and the contract's copy in its temporary
    folder; now it is stopped with SIGTERM first, so the folder is removed and the office's process group
    killed, and only then SIGKILL.
    """
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    rtf = rtf_contract(tmp_path / "old.rtf")
    run = _bounded(cli(["audit", str(rtf), "--no-db", "--timeout", "1"], env={"TMPDIR": str(scratch)}))
    assert (run.code, run.lines()[-1]) == (2, f"contract-audit: {rtf}: stopped after the per-file timeout of 1 s")
    assert wait_for(lambda: not processes_naming(str(scratch)), 10)
    assert list(scratch.iterdir()) == []


def test_timeout_during_ocr_exits_cleanly() -> None:
    """An OCR thread running at exit aborted the process (exit 134): now the worker running it is killed."""
    pytest.importorskip("rapidocr_onnxruntime")
    scan = ROOT / "tests" / "fixtures" / "files" / "scanned.pdf"
    run = _bounded(cli(["audit", str(scan), "--no-db", "--timeout", "0.5"]))
    assert run.code == 2
    assert run.lines() == [f"contract-audit: {scan}: stopped after the per-file timeout of 0.5 s"]


def test_worker_killed_from_outside_is_one_line(tmp_path: Path) -> None:
    slow = slow_contract(tmp_path / "slow.txt")
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "audit", str(slow), "--no-db"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert wait_for(lambda: bool(workers(proc.pid)))
    time.sleep(1)  # into the audit (minutes long), past the worker's start: that would be another message
    os.kill(workers(proc.pid)[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=MAX_SECONDS)
    assert proc.returncode == 2
    assert stderr.decode().splitlines() == [
        f"contract-audit: {slow}: the worker process was killed (SIGKILL), perhaps for memory (the limit: 4096 MB "
        "per worker; --max-memory MB sets it)"
    ]


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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_worker_that_cannot_start_is_an_error_row_per_file(tmp_path: Path, workers: str) -> None:
    """A memory cap too low for the libraries: a warmed worker fails before it is ready, a lone one on
    its first file. Either way each file gets one error row, one line, and the batch ends.
    """
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(GOOD, tmp_path / name)
    run = cli(["audit", str(tmp_path), "--no-db", "--max-memory", "20", "--workers", workers, "--format", "jsonl"])
    assert run.code == 2
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    names = [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt")]
    assert [row["file"] for row in rows] == names
    assert all("memory limit of 20 MB per worker" in row["error"] for row in rows)
    errors = [line for line in run.lines() if line.startswith("contract-audit: /")]
    assert [line.split(": ")[1] for line in errors] == names
    assert "Traceback" not in run.stderr
    assert run.seconds < MAX_SECONDS
    assert run.peak_mb < MAX_MB


def test_a_worker_the_system_refuses_is_an_error_row_per_file(tmp_path: Path) -> None:
    """No file descriptors left for a worker's pipe (8 open files at most): the spawn itself fails."""
    for name in ("a.txt", "b.txt"):
        shutil.copy(GOOD, tmp_path / name)
    run = _bounded(cli(["audit", str(tmp_path), "--no-db", "--workers", "2"], open_files_limit=8))
    assert run.code == 2
    assert run.lines()[:2] == [
        f"contract-audit: {tmp_path / name}: a worker process could not be started (Too many open files)"
        for name in ("a.txt", "b.txt")
    ]
    brief = _bounded(cli(["dispute", str(GOOD), "--scenario", "kpi_missed"], open_files_limit=8))
    assert (brief.code, brief.lines()) == (
        2,
        [f"contract-audit: {GOOD.name}: a worker process could not be started (Too many open files)"],
    )


def test_a_dispute_worker_that_cannot_start_is_one_line() -> None:
    run = _bounded(cli(["dispute", str(GOOD), "--scenario", "kpi_missed", "--max-memory", "20"]))
    assert run.code == 2
    # where the cap stops the interpreter (inside an import, or before Python can report it) depends on the
    # machine and on whether the bytecode is compiled yet, and the line says which: one line either way,
    # naming the limit and its flag
    [line] = run.lines()
    assert line.startswith(f"contract-audit: {GOOD.name}: ")
    assert "stopped at the memory limit of 20 MB per worker (raise it with --max-memory MB, 0 for none)" in line
    assert run.seconds < MAX_SECONDS


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
    running_workers = workers(proc.pid)
    assert running_workers
    return proc, running_workers, db


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_workers_and_says_what_was_saved(tmp_path: Path, signum: int, code: int) -> None:
    proc, pids, db = _batch_in_flight(tmp_path)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=MAX_SECONDS)
    assert proc.returncode == code
    assert stderr.decode().splitlines()[-1] == (
        f"contract-audit: interrupted by {signal.Signals(signum).name}: 1 of 3 files finished, reported above "
        f"and kept in the store {db}; the other 2 were not audited"
    )
    assert stdout.decode().startswith("== a_good.txt")
    assert stored_reports(db) == 1
    assert not any(running(pid) for pid in pids)
    assert not list((tmp_path / "tmp").glob("pymp-*"))


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the workers still go, by PR_SET_PDEATHSIG."""
    proc, pids, _ = _batch_in_flight(tmp_path)
    proc.kill()
    proc.communicate(timeout=MAX_SECONDS)
    assert wait_for(lambda: not any(running(pid) for pid in pids), MAX_SECONDS)


# --- special files and folders ------------------------------------------------------------------------


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "contract.txt"
    os.mkfifo(fifo)
    run = _bounded(cli(["audit", str(fifo)], env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, timeout=MAX_SECONDS))
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
    run = _bounded(cli(["audit", name, "--no-db", "--format", "jsonl"], stdin=GOOD.read_bytes()))
    assert run.code == 0, run.stderr
    assert '"file": "stdin"' in run.stdout


def test_stdin_is_never_kept_in_the_store(tmp_path: Path) -> None:
    """What was piped in is read into a temporary file: stored, it would be listed under that path once
    the file is gone, so it is neither looked up nor kept; a file beside it is.
    """
    db, scratch = tmp_path / "audits.sqlite", tmp_path / "tmp"
    scratch.mkdir()
    args = ["audit", "-", str(GOOD), "--db", str(db), "--format", "jsonl"]
    for counts in ("2 audited, 0 from the store", "1 audited, 1 from the store"):
        run = cli(args, stdin=GOOD.read_bytes(), env={"TMPDIR": str(scratch)})
        assert run.code == 0, run.stderr
        # results come in path order, and where the piped-in copy sorts depends on TMPDIR
        assert sorted(json.loads(line)["file"] for line in run.stdout.splitlines()) == sorted(["stdin", GOOD.name])
        assert f"2 contracts: {counts}, 0 errors" in run.stderr
        assert run.seconds < MAX_SECONDS
        assert run.peak_mb < MAX_MB
    listed = cli(["report", "--db", str(db), "--format", "json"])
    assert [entry["file"] for entry in json.loads(listed.stdout)] == [str(GOOD)]
    assert not list(scratch.iterdir())


def test_stdin_past_the_size_limit_is_refused_after_reading_the_limit() -> None:
    run = cli(["audit", "-", "--no-db"], stdin=b"a" * (MAX_BYTES + 10))
    assert run.code == 2
    assert run.lines() == [
        "contract-audit: stdin: more than the 50 MB limit was piped in (raise it with --max-file-mb MB)"
    ]
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
    run = _bounded(cli(["audit", str(folder), "--no-db", "--format", "jsonl"]))
    assert run.code == 0, run.stderr
    assert _files(run.stdout) == ["real.txt"]
    assert run.lines() == [
        f"contract-audit: skipped leak.txt in {folder}: a link leading out of the folder (--follow-links audits it)",
        f"contract-audit: skipped README.md in {folder}: a folder's notes, not a contract (name it to audit it)",
    ]
    followed = _bounded(cli(["audit", str(folder), "--no-db", "--format", "jsonl", "--follow-links"]))
    assert '"file": "leak.txt"' in followed.stdout


# --- the result store is a cache, never a failure -----------------------------------------------------

TWO = [str(GOOD), str(SAMPLES / "en_03_influencer.txt")]


def _audited_both(run: Run) -> None:
    """Both contracts reported, whatever happened to the store."""
    assert run.code == 0, run.stderr
    assert run.stdout.count("== ") == 2
    assert "Traceback" not in run.stderr


def _warnings(run: Run) -> list[str]:
    return [line for line in run.lines() if line.startswith("contract-audit: warning:")]


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
def test_damaged_store_is_moved_aside_and_rebuilt(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "audits.sqlite"
    if kind == "garbage":
        garbage_store(db)
    else:
        good = tmp_path / "good.sqlite"
        _audited_both(cli(["audit", *TWO, "--brief", "--db", str(good)]))
        truncated_store(db, good)
    run = _bounded(cli(["audit", *TWO, "--brief", "--db", str(db)]))
    _audited_both(run)
    [warning] = _warnings(run)
    assert warning.startswith(f"contract-audit: warning: the result store {db} was damaged (")
    assert warning.endswith("moved it to audits.sqlite.damaged, started anew")
    assert stored_reports(db) == 2


def test_old_schema_store_is_migrated(tmp_path: Path) -> None:
    db = old_schema_store(tmp_path / "audits.sqlite")
    run = _bounded(cli(["audit", *TWO, "--brief", "--db", str(db)]))
    _audited_both(run)
    assert not _warnings(run)
    assert stored_reports(db) == 2
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("folder", "it is a folder"),
        ("/proc/audits.sqlite", "unable to open database file"),  # a place nobody may write, even root
        ("foreign", "it is another program's database"),
    ],
)
def test_unusable_store_is_one_warning_and_the_batch_goes_on(tmp_path: Path, where: str, why: str) -> None:
    db = tmp_path / where
    if where == "folder":
        db.mkdir()
    elif where == "foreign":
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.execute("CREATE TABLE invoices (n)")
            conn.commit()
    run = _bounded(cli(["audit", *TWO, "--brief", "--db", str(db)]))
    _audited_both(run)
    assert _warnings(run) == [
        f"contract-audit: warning: the result store {db} cannot be used ({why}); results are not kept this time"
    ]


def test_tampered_stored_reports_are_audited_again(tmp_path: Path) -> None:
    db = tmp_path / "audits.sqlite"
    first = _bounded(cli(["audit", *TWO, "--format", "jsonl", "--db", str(db)]))
    tamper_reports(db)
    again = _bounded(cli(["audit", *TWO, "--format", "jsonl", "--db", str(db)]))
    assert again.code == 0, again.stderr
    assert _files(again.stdout) == _files(first.stdout) == ["en_03_influencer.txt", "zh_02_douyin_package.txt"]
    assert "2 audited, 0 from the store" in again.stderr
    listed = _bounded(cli(["report", "--db", str(db), "--format", "json"]))
    assert listed.code == 0
    out_of_date = "out of date" in listed.stderr  # the engine's code was edited between the runs
    assert listed.stdout.count('"file":') == (0 if out_of_date else 2)


def _files(jsonl: str) -> list[str]:
    return [json.loads(line)["file"] for line in jsonl.splitlines()]


def test_full_disk_mid_batch_keeps_reporting(tmp_path: Path) -> None:
    """Files may grow to 60 kB: the store takes a report or two, then fails; every result is printed."""
    run = _bounded(
        cli(["audit", *TWO, "--brief", "--workers", "1", "--db", str(tmp_path / "a.sqlite")], file_size_limit=60_000)
    )
    _audited_both(run)
    [warning] = _warnings(run)
    assert warning.startswith(f"contract-audit: warning: the result store {tmp_path / 'a.sqlite'} ")
    assert warning.endswith("results are not kept this time") or warning.endswith("results are not kept")


def test_no_home_folder_means_no_store_and_a_note(tmp_path: Path) -> None:
    run = _bounded(cli(["audit", *TWO, "--brief"], env={"HOME": str(tmp_path / "gone"), "XDG_CACHE_HOME": ""}))
    _audited_both(run)
    assert _warnings(run) == [
        "contract-audit: warning: no home folder for the result store; results are not kept (pass --db FILE to "
        "keep them)"
    ]
    assert not (tmp_path / "gone").exists()


# --- output paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--out", "--summary", "--chart"])
def test_output_into_a_missing_folder_is_refused_before_any_audit(tmp_path: Path, option: str) -> None:
    target = tmp_path / "missing" / ("x.csv" if option == "--summary" else "x.png")
    run = _bounded(cli(["audit", str(slow_contract(tmp_path / "slow.txt")), "--no-db", option, str(target)]))
    assert run.code == 2
    assert run.lines() == [f"contract-audit: {option}: no such folder: {target.parent}"]
    assert run.seconds < MAX_SECONDS  # refused at once: the slow contract was never started
    assert not run.stdout


def test_write_errors_are_one_line_and_the_report_is_complete(tmp_path: Path) -> None:
    full = _bounded(cli(["audit", *TWO, "--no-db", "--out", "/dev/full"]))
    assert full.code == 2
    assert full.lines()[0] == "contract-audit: cannot write /dev/full: No space left on device"
    summary = _bounded(
        cli(["audit", *TWO, "--no-db", "--brief", "--summary", str(tmp_path / "s.xlsx")], file_size_limit=3000)
    )
    assert summary.code == 2
    assert summary.stdout.count("== ") == 2
    [failed] = [line for line in summary.lines() if "cannot write" in line]  # "File too large" or lxml's IO_EFBIG
    assert failed.startswith(f"contract-audit: cannot write {tmp_path / 's.xlsx'}: ")


def test_chart_draws_file_names_with_dollar_signs(tmp_path: Path) -> None:
    """Matplotlib would parse "$…$" as TeX: an unbalanced one crashed the PNG."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    shutil.copy(GOOD, folder / "fee_$5$ and $x^{2$.txt")
    chart = tmp_path / "chart.png"
    run = _bounded(cli(["audit", str(folder), "--no-db", "--brief", "--chart", str(chart)]))
    assert run.code == 0, run.stderr
    assert chart.read_bytes().startswith(b"\x89PNG")


# --- smaller: a wrong --dask address, object names in messages ----------------------------------------


@contextlib.contextmanager
def _not_a_scheduler() -> Iterator[int]:
    """A local port whose server answers anything with bytes that are not Dask's protocol (an HTTP reply
    after 0xff bytes, read by Dask as a frame length of exabytes).
    """
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def answer() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"\xff" * 64 + b"HTTP/1.1 200 OK\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()


def test_dask_at_a_wrong_address_is_one_line() -> None:
    with _not_a_scheduler() as port:
        foreign = cli(["audit", str(GOOD), "--no-db", "--dask", f"tcp://127.0.0.1:{port}"])
    assert foreign.code == 2
    [line] = foreign.lines()
    assert line.startswith(f"contract-audit: --dask tcp://127.0.0.1:{port}: no Dask scheduler answered there (")
    assert foreign.seconds < MAX_SECONDS
    assert foreign.peak_mb < MAX_MB
    nonsense = cli(["audit", str(GOOD), "--no-db", "--dask", "scheduler"])
    assert nonsense.code == 2
    assert nonsense.lines() == [
        "contract-audit: --dask scheduler: not a scheduler address; write it as tcp://HOST:PORT"
    ]


def test_error_lines_name_no_python_objects(tmp_path: Path) -> None:
    """PIL names the in-memory image `<_io.BytesIO object at 0x…>` when it cannot identify it."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"not a jpeg" * 10)
    run = _bounded(cli(["audit", str(photo), "--no-db"]))
    assert run.code == 2
    assert run.lines() == [
        f"contract-audit: {photo}: the image file is damaged or truncated "
        "(UnidentifiedImageError: cannot identify image file)"
    ]
