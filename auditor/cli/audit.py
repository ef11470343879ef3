"""`contract-audit audit`: files and folders through the batch engine, rendered, with summaries and charts."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.load import SUPPORTED_SUFFIXES, Limits, LoadError
from auditor.model import AuditReport, Status
from auditor.report import render
from auditor.report.words import one_line

if TYPE_CHECKING:
    from auditor.batch.pool import Outcome

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


def _render(results: list[Result], fmt: str, detail: render.Detail) -> str:
    if fmt == "json":
        if len(results) == 1:
            return render.to_json(results[0]) + "\n"
        return "[\n" + ",\n".join(render.to_json(r) for r in results) + "\n]\n"
    if fmt == "jsonl":
        return render.to_jsonl(results)
    if fmt == "csv":
        return render.to_csv(results)
    parts = []
    for r in results:
        if isinstance(r, AuditReport):
            parts.append(render.to_markdown(r) if fmt == "md" else render.to_text(r, detail=detail))
        else:
            parts.append(f"== {one_line(r['file'])}\n   ✖ {one_line(r['error'])}\n")
    return ("\n---\n\n" if fmt == "md" else "\n").join(parts)


def _exit_code(results: list[Result], fail_on: str | None) -> int:
    if any(not isinstance(r, AuditReport) for r in results):
        return 2
    if fail_on:
        limit = Status(fail_on).rank
        tripped = False
        for r in results:
            if not isinstance(r, AuditReport):
                continue
            failing = [f for f in r.findings if f.status.rank >= limit]
            if failing:
                checks = ", ".join(f"{f.check_id} ({f.status.value})" for f in failing)
                print(f"contract-audit: --fail-on {fail_on}: {one_line(r.file)}: {checks}", file=sys.stderr)
                tripped = True
        return int(tripped)
    return 0


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
    from auditor.report import summary

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
    try:
        with contextlib.nullcontext() if store is None else store:
            outcome = batch.run_batch(files, options, store=store, progress=sys.stderr.isatty(), unstored=piped)
    except batch.ClusterError as err:
        print(f"contract-audit: {one_line(str(err))}", file=sys.stderr)
        return 2
    store_warning = store_warning or (store.warning if store else None)
    if store_warning:  # the store is a cache: the results are reported all the same
        print(f"contract-audit: warning: {one_line(store_warning)}", file=sys.stderr)
    store_path = store.path if store and not store.warning else None
    results = outcome.results
    output = _render(results, args.format, "brief" if args.brief else "full" if args.verbose else "standard")
    status = 0
    if args.out:
        status = write_output(args.out, output.encode("utf-8-sig" if args.format == "csv" else "utf-8"))
    else:
        sys.stdout.write(output)
    for path, write in ((args.summary, summary.write_summary), (args.chart, summary.write_chart)):
        if path:
            try:
                write(results, path, None if args.lang == "auto" else args.lang)
            except Exception as err:  # noqa: BLE001 - a full disk comes as OSError, or as lxml's SerialisationError
                status = _write_failed(path, err)
    for r in results:
        if not isinstance(r, AuditReport):
            print(f"contract-audit: {_error_line(r)}", file=sys.stderr)
    if outcome.interrupted:
        print(f"contract-audit: {_interrupted_line(args, outcome, store_path)}", file=sys.stderr)
        return 128 + outcome.interrupted
    if len(results) > 1:
        sys.stderr.write(summary.counts(results, outcome.from_store))
    return status or _exit_code(results, args.fail_on)


def _interrupted_line(args: argparse.Namespace, outcome: Outcome, store_path: Path | None) -> str:
    """What was saved when Ctrl-C or SIGTERM stopped the batch."""
    import signal

    done = len(outcome.results)
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
