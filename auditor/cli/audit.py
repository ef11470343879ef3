"""`contract-audit audit`: files and folders through the batch engine, rendered, with summaries and charts."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from auditor.load import SUPPORTED_SUFFIXES, Limits, LoadError
from auditor.model import AuditReport, Status
from auditor.report import render, summary
from auditor.report.words import one_line

if TYPE_CHECKING:
    from auditor.batch.pool import Batch

Result = AuditReport | dict[str, str]


def with_sample(paths: list[Path], sample_name: str | None, stack: contextlib.ExitStack) -> list[Path]:
    """The paths given, plus the bundled sample asked for (as a real file for as long as `stack` lives)."""
    if sample_name is None:
        return paths
    from importlib.resources import as_file

    from auditor.resources import sample

    return [*paths, stack.enter_context(as_file(sample(sample_name)))]


STDIN_NAMES = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


def with_stdin(paths: list[Path], stack: contextlib.ExitStack, limit: int) -> list[Path]:
    """The paths given, with `-` (or /dev/stdin) replaced by a file named "stdin" holding what was piped in.

    Read here, once, up to `limit` bytes, and kept in a private temporary folder for as long as `stack`
    lives: a worker process cannot read the command's stdin, and the store hashes a file.

    Raises:
        LoadError: more than the size limit was piped in.
    """
    if not any(str(p) in STDIN_NAMES for p in paths):
        return paths
    import tempfile

    from auditor.load.limits import LIMIT_FLAGS

    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        hint = next(f.hint for f in LIMIT_FLAGS if f.field == "file_bytes")
        raise LoadError(f"stdin: more than the {limit // 2**20} MB limit was piped in ({hint})")
    piped = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="contract-audit-"))) / "stdin"
    piped.write_bytes(data)
    return [piped if str(p) in STDIN_NAMES else p for p in paths]


def playbook_option(args: argparse.Namespace) -> str | None:
    """The --playbook value, validated now (a file as an absolute path, for worker processes)."""
    if args.playbook is None or args.playbook == "auto":
        return args.playbook  # type: ignore[no-any-return]
    from auditor.review.playbook import load_playbook

    load_playbook(args.playbook)  # raises PlaybookError naming line and field
    path = Path(args.playbook)
    return str(path.resolve()) if path.suffix.lower() in (".yaml", ".yml") else str(args.playbook)


NOT_CONTRACTS = ("README", "CHANGELOG", "LICENSE", "LICENCE", "CONTRIBUTING", "NOTICE")  # a folder's notes


def list_files(paths: Sequence[Path], *, follow_links: bool = False) -> tuple[list[Path], list[str]]:
    """Files named directly, and every supported file under named folders, in a stable order; and a note
    for each kind of file a folder holds that is left out.

    Left out of a folder: hidden and Office lock files, a folder's notes (README.md…: a contract with such
    a name must be named directly), anything but a regular file (a FIFO would hang the read), and links
    leading out of the folder (to /etc/shadow…) unless `follow_links`. Links to folders are never
    entered.
    """
    files: list[Path] = []
    notes: list[str] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        root = path.resolve()
        outside: list[Path] = []
        notes_files: list[Path] = []
        for p in sorted(path.rglob("*")):
            if p.suffix.lower() not in SUPPORTED_SUFFIXES or p.name.startswith(("~$", ".")) or not p.is_file():
                continue
            if not follow_links and not p.resolve().is_relative_to(root):
                outside.append(p)
            elif p.stem.upper() in NOT_CONTRACTS:
                notes_files.append(p)
            else:
                files.append(p)
        where = one_line(str(path))
        if outside:
            notes.append(
                f"skipped {_names(outside)} in {where}: a link leading out of the folder (--follow-links audits it)"
            )
        if notes_files:
            notes.append(
                f"skipped {_names(notes_files)} in {where}: a folder's notes, not a contract (name it to audit it)"
            )
    return files, notes


def _names(paths: list[Path]) -> str:
    shown = ", ".join(one_line(p.name) for p in paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


class _Output:
    """Each result written as it comes, in the --format asked for, to --out or stdout: byte for byte what
    rendering the whole batch at the end gave, so nothing but a small tail of it is kept.

    JSON is one object for a single result and an array for more: the first object waits for a second.
    CSV's columns are the checks the batch's reports carry. They are the same for every report unless
    the playbook is "auto" (chosen per contract), so with `fixed_checks` the header goes out with the first
    report, only error rows waiting for it; with "auto" the rows (small dicts) wait for the end. A failed
    write to --out is kept in `failed`, and nothing more is written; stdout's errors (a closed pipe) are
    the command's.
    """

    def __init__(self, fmt: str, detail: render.Detail, path: Path | None, *, fixed_checks: bool) -> None:
        self.fmt, self.detail, self.fixed_checks = fmt, detail, fixed_checks
        self.count = 0
        self.failed: OSError | None = None
        self._file: BinaryIO | None = None
        self._first: str | None = None  # json: the only result so far
        self._csv: csv.DictWriter[str] | None = None  # once the header is out
        self._csv_buffer = io.StringIO()
        self._csv_rows: list[dict[str, object]] = []  # rows waiting for the header
        self._csv_checks: dict[str, None] = {}
        if path is not None:
            try:
                self._file = path.open("wb")
            except OSError as err:
                self.failed = err
        self._to_file = path is not None

    def add(self, result: Result) -> None:
        """Write one more result."""
        if self.fmt == "json":
            text = render.to_json(result)
            if self.count == 0:
                self._first = text
            else:
                self._write(f"[\n{self._first},\n{text}" if self.count == 1 else f",\n{text}")
                self._first = None
        elif self.fmt == "jsonl":
            self._write(render.to_jsonl([result]))
        elif self.fmt == "csv":
            self._add_row(result)
        else:
            sep = ("\n---\n\n" if self.fmt == "md" else "\n") if self.count else ""
            self._write(sep + _rendered(result, self.fmt, self.detail))
        self.count += 1

    def close(self) -> None:
        """Write what waited for the end of the batch, and close --out."""
        if self.fmt == "json":
            self._write("[\n\n]\n" if self.count == 0 else f"{self._first}\n" if self.count == 1 else "\n]\n")
        elif self.fmt == "csv" and self._csv is None:
            self._csv_header()
        if self._file is not None:
            try:
                self._file.close()
            except OSError as err:
                self.failed = self.failed or err

    def _add_row(self, result: Result) -> None:
        row = render.csv_row(result)
        if self._csv is not None:
            self._csv.writerow(row)
            self._write_csv()
            return
        self._csv_rows.append(row)
        if isinstance(result, AuditReport):
            self._csv_checks.update(dict.fromkeys(f.check_id for f in result.findings))
            if self.fixed_checks:
                self._csv_header()

    def _csv_header(self) -> None:
        self._csv = csv.DictWriter(
            self._csv_buffer, fieldnames=render.table_fields(render.columns(self._csv_checks)), extrasaction="ignore"
        )
        self._csv.writeheader()
        self._csv.writerows(self._csv_rows)
        self._csv_rows.clear()
        self._write_csv()

    def _write_csv(self) -> None:
        self._write(self._csv_buffer.getvalue())
        self._csv_buffer.seek(0)
        self._csv_buffer.truncate()

    def _write(self, text: str) -> None:
        if not self._to_file:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        if self._file is None or self.failed:
            return
        try:
            if self._file.tell() == 0 and self.fmt == "csv":
                self._file.write(codecs.BOM_UTF8)  # so Excel reads the Chinese
            self._file.write(text.encode("utf-8"))
            self._file.flush()
        except OSError as err:
            self.failed = err


def _rendered(result: Result, fmt: str, detail: render.Detail) -> str:
    """One result as text or Markdown."""
    if isinstance(result, AuditReport):
        return render.to_markdown(result) if fmt == "md" else render.to_text(result, detail=detail)
    return f"== {one_line(result['file'])}\n   ✖ {one_line(result['error'])}\n"


class _Kept:
    """What the end of the command needs of the results, kept as they come: the counts, the error entries,
    the --fail-on lines, and a summary row per contract only when --summary or --chart asks for them.
    """

    def __init__(self, fail_on: str | None, *, rows: bool) -> None:
        self.fail_on = fail_on
        self.counts = summary.Counts()
        self.errors: list[dict[str, str]] = []
        self.tripped: list[str] = []
        self.rows: list[summary.Row] | None = [] if rows else None

    def add(self, result: Result) -> None:
        """Keep what the end needs of one more result."""
        row = summary.Row.of(result)
        self.counts.add(row)
        if self.rows is not None:
            self.rows.append(row)
        if not isinstance(result, AuditReport):
            self.errors.append(result)
        elif self.fail_on:
            limit = Status(self.fail_on).rank
            failing = [f for f in result.findings if f.status.rank >= limit]
            if failing:
                checks = ", ".join(f"{f.check_id} ({f.status.value})" for f in failing)
                self.tripped.append(f"contract-audit: --fail-on {self.fail_on}: {one_line(result.file)}: {checks}")

    def exit_code(self) -> int:
        """2 when a file could not be audited, 1 when --fail-on tripped (saying where), else 0."""
        if self.errors:
            return 2
        for line in self.tripped:
            print(line, file=sys.stderr)
        return int(bool(self.tripped))


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit the files, folders or bundled sample named; the exit code says what was found."""
    problem = _batch_problem(args)  # before stdin is read, and before any file is audited
    if problem:
        print(f"contract-audit: {problem}", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        try:
            given = with_sample(args.paths, args.sample, stack)
            args.paths = with_stdin(given, stack, loader_limits(args).file_bytes)
        except KeyError as err:
            print(f"contract-audit: {err.args[0]}", file=sys.stderr)
            return 2
        except LoadError as err:  # too much on stdin
            print(f"contract-audit: {err}", file=sys.stderr)
            return 2
        if not args.paths:
            print("contract-audit: name contract files or folders, or --sample zh|en", file=sys.stderr)
            return 2
        piped = {read for read, named in zip(args.paths, given, strict=True) if str(named) in STDIN_NAMES}
        return _audit_paths(args, piped)


def _audit_paths(args: argparse.Namespace, piped: set[Path]) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"contract-audit: no such file or folder: {one_line(str(missing[0]))}", file=sys.stderr)
        return 2
    files, notes = list_files(args.paths, follow_links=args.follow_links)
    for note in notes:
        print(f"contract-audit: {note}", file=sys.stderr)
    if not files:
        print(f"contract-audit: no contracts ({', '.join(SUPPORTED_SUFFIXES)}) found", file=sys.stderr)
        return 2
    try:
        playbook = playbook_option(args)
    except ValueError as err:  # a PlaybookError (its module, with YAML and pydantic, loads only for a playbook)
        print(f"contract-audit: {err}", file=sys.stderr)
        return 2
    from auditor.batch import pool as batch
    from auditor.batch.store import default_path, open_store

    options = batch.Options(
        lang=args.lang,
        password=args.password,
        workers=args.workers,
        timeout=args.timeout,
        max_memory=args.max_memory or None,
        dask=args.dask,
        dask_bytes=args.dask_bytes,
        playbook=playbook,
        perspective=args.perspective,
        facts=tuple(args.fact),
        limits=loader_limits(args),
    )
    store, store_warning = (None, None) if args.no_db else open_store(args.db or default_path())
    kept = _Kept(args.fail_on, rows=bool(args.summary or args.chart))
    try:
        with contextlib.nullcontext() if store is None else store:
            run = batch.Batch(files, options, store=store, progress=sys.stderr.isatty(), unstored=piped)
            out = _Output(  # opened once the cluster, if any, has answered: a refusal leaves --out as it was
                args.format,
                "brief" if args.brief else "full" if args.verbose else "standard",
                args.out,
                fixed_checks=playbook != "auto",  # "auto" chooses each contract's playbook, and so its checks
            )
            for result in run:
                out.add(result)
                kept.add(result)
    except batch.ClusterError as err:
        print(f"contract-audit: {one_line(str(err))}", file=sys.stderr)
        return 2
    out.close()
    store_warning = store_warning or (store.warning if store else None)
    if store_warning:  # the store is a cache: the results are reported all the same
        print(f"contract-audit: warning: {one_line(store_warning)}", file=sys.stderr)
    store_path = store.path if store and not store.warning else None
    status = _write_failed(args.out, out.failed) if args.out and out.failed else 0
    for path, write in ((args.summary, summary.write_summary), (args.chart, summary.write_chart)):
        if path and kept.rows is not None:
            try:
                write(kept.rows, path, None if args.lang == "auto" else args.lang)
            except Exception as err:  # noqa: BLE001 - a full disk comes as OSError, or as lxml's SerialisationError
                status = _write_failed(path, err)
    for entry in kept.errors:
        print(f"contract-audit: {_error_line(entry)}", file=sys.stderr)
    if run.interrupted:
        print(f"contract-audit: {_interrupted_line(args, run, store_path)}", file=sys.stderr)
        return 128 + run.interrupted
    if kept.counts.contracts > 1:
        sys.stderr.write(kept.counts.text(run.from_store))
    return status or kept.exit_code()


def _interrupted_line(args: argparse.Namespace, outcome: Batch, store_path: Path | None) -> str:
    """What was saved when Ctrl-C or SIGTERM stopped the batch."""
    import signal

    done = outcome.done
    where = f"written to {one_line(str(args.out))}" if args.out else "reported above"
    kept = f"kept in the store {one_line(str(store_path))}" if store_path else "not stored"
    return (
        f"interrupted by {signal.Signals(outcome.interrupted or signal.SIGINT).name}: {done} of {outcome.total} "
        f"files finished, {where} and {kept}; the other {outcome.total - done} were not audited"
    )


def outputs_problem(args: argparse.Namespace, options: Sequence[str]) -> str | None:
    """An output file that cannot be written, found before any contract is audited: a folder named as
    the file, a missing folder, or one that may not be written to.
    """
    for option in options:
        path: Path | None = getattr(args, option)
        if path is None:
            continue
        flag = f"--{option.replace('_', '-')}"
        folder = path.parent
        if path.is_dir():
            return f"{flag}: {one_line(str(path))} is a folder; name a file"
        if not folder.is_dir():
            return f"{flag}: no such folder: {one_line(str(folder))}"
        if not os.access(path if path.exists() else folder, os.W_OK):
            return f"{flag}: cannot write to {one_line(str(path))} (permission denied)"
    return None


def write_output(path: Path, data: str | bytes) -> int:
    """Write one output file; a failure (a full disk, a vanished folder) is one line and exit code 2."""
    try:
        with path.open("wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as err:
        return _write_failed(path, err)
    return 0


def _write_failed(path: Path, err: Exception) -> int:
    why = err.strerror if isinstance(err, OSError) and err.strerror else str(err) or type(err).__name__
    print(f"contract-audit: cannot write {one_line(str(path))}: {one_line(why)}", file=sys.stderr)
    return 2


def limits_problem(args: argparse.Namespace) -> str | None:
    """A usage error in --timeout, --max-memory or a loader limit (--max-pages…)."""
    from auditor.load.limits import LIMIT_FLAGS

    if args.timeout <= 0:
        return "--timeout must be more than 0 seconds"
    if args.max_memory < 0:
        return "--max-memory must be 0 (no limit) or a number of MB"
    for limit in LIMIT_FLAGS:
        if getattr(args, limit.dest) < 1:
            return f"{limit.flag} must be at least 1"
    return None


def loader_limits(args: argparse.Namespace) -> Limits:
    """The loader's limits from the --max-… flags (each in its own unit: MB, a count, millions)."""
    from auditor.load.limits import LIMIT_FLAGS

    return Limits(**{limit.field: getattr(args, limit.dest) * limit.unit for limit in LIMIT_FLAGS})


def _batch_problem(args: argparse.Namespace) -> str | None:
    """A usage error in the batch options, found before any file is audited."""
    from auditor.report.summary import CHART_SUFFIXES, SUMMARY_SUFFIXES

    if args.workers is not None and args.workers < 1:
        return "--workers must be at least 1"
    if problem := limits_problem(args):
        return problem
    if problem := outputs_problem(args, ("out", "summary", "chart")):
        return problem
    if args.summary and args.summary.suffix.lower() not in SUMMARY_SUFFIXES:
        return f"--summary must end in {' or '.join(SUMMARY_SUFFIXES)}"
    if args.chart and args.chart.suffix.lower() not in CHART_SUFFIXES:
        return f"--chart must end in {' or '.join(CHART_SUFFIXES)}"
    if args.dask_bytes and not args.dask:
        return "--dask-bytes needs --dask"
    return None


def _error_line(entry: dict[str, str]) -> str:
    """The error as "path: reason", naming the file once (loader messages already start with its name);
    on one line, with nothing a terminal would obey.
    """
    name = Path(entry["file"]).name
    reason = entry["error"].removeprefix(f"{name}: ")
    return one_line(f"{entry['file']}: {reason}")
