"""The `contract-audit` command: audit files or folders, evaluate against labels.

Exit codes: 0 all fine; 1 a check is at or below the `--fail-on` level; 2 usage errors or a file that
could not be read (the other files are still audited and reported, each unreadable one as an error entry).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from auditor.load import SUPPORTED_SUFFIXES, LoadError
from auditor.model import AuditReport, Status
from auditor.report import render

FORMATS = ("text", "json", "jsonl", "md", "csv")
Result = AuditReport | dict[str, str]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contract-audit",
        description="Audit service contracts offline: the checklist, red flags, suggested wording.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="audit contract files or folders (searched recursively)")
    audit.add_argument("paths", nargs="*", type=Path, help="contract files (.pdf .docx .txt .md) or folders")
    _sample_option(audit)
    audit.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    audit.add_argument("--out", type=Path, help="write the output to this file instead of the terminal")
    audit.add_argument("--lang", choices=("auto", "zh", "en"), default="auto", help="contract language")
    audit.add_argument("--fail-on", choices=("weak", "missing"), help="exit 1 when any check is at or below this")
    audit.add_argument("--password", help="password for encrypted PDFs")
    audit.add_argument("--brief", action="store_true", help="text format: one line per check")
    audit.add_argument("--workers", type=int, help="worker processes (default: one per core; 1: in-process)")
    audit.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per file (default: 120)")
    audit.add_argument("--summary", type=Path, help="also write one row per contract to this .csv or .xlsx")
    audit.add_argument("--chart", type=Path, help="also draw a contracts × checks heatmap: .png or .html")
    store = audit.add_mutually_exclusive_group()
    store.add_argument("--db", type=Path, help="result store (default: ~/.cache/contract-auditor/audits.sqlite)")
    store.add_argument("--no-db", action="store_true", help="neither reuse nor store results")
    audit.add_argument("--dask", metavar="ADDRESS", help="run on this Dask scheduler, e.g. tcp://scheduler:8786")
    audit.add_argument("--dask-bytes", action="store_true", help="with --dask: send file contents, not paths")
    _review_options(audit)
    ev = sub.add_parser("eval", help="measure accuracy against a labelled corpus (labels.json)")
    ev.add_argument(
        "corpus",
        type=Path,
        nargs="?",
        help="folder holding the contracts and labels.json (default: the bundled samples)",
    )
    ev.add_argument("--labels", type=Path, help="labels file (default: CORPUS/labels.json)")
    ev.add_argument("--quiet", action="store_true", help="omit the list of disagreements")
    clauses = sub.add_parser("eval-clauses", help="measure the clause recognisers on label<TAB>text files")
    clauses.add_argument("folder", type=Path, help="folder of <tag>.tsv files, e.g. LegalBench's CUAD tasks")
    clauses.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    clauses.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the clauses")
    rep = sub.add_parser("report", help="list stored results, e.g. contracts whose dispute forum is missing")
    rep.add_argument("--db", type=Path, help="result store (default: as for audit)")
    rep.add_argument("--check", help="with --status: the check to filter on, e.g. dispute_forum")
    rep.add_argument("--status", choices=("pass", "weak", "missing"), help="keep contracts with a check at this status")
    rep.add_argument("--flag", help="keep contracts raising this red flag, e.g. full_prepayment")
    rep.add_argument("--format", choices=("text", "csv", "json"), default="text", help="output format")
    dis = sub.add_parser("dispute", help="dispute brief: what the contract gives the client in one scenario")
    dis.add_argument("path", type=Path, nargs="?", help="the contract (.pdf .docx .txt .md)")
    _sample_option(dis)
    dis.add_argument(
        "--scenario", required=True, help="non_delivery | kpi_missed | poor_quality | provider_gone | early_exit"
    )
    dis.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: md)")
    dis.add_argument("--out", type=Path, help="write the brief to this file instead of the terminal")
    dis.add_argument("--docx", type=Path, help="also write the brief as a Word document")
    dis.add_argument(
        "--lang", choices=("auto", "zh", "en"), default="auto", help="language of the brief (default: the contract's)"
    )
    _review_options(dis)
    pb = sub.add_parser("playbook", help="review playbooks: list the bundled ones, show one, check your own")
    pb_sub = pb.add_subparsers(dest="action", required=True)
    pb_sub.add_parser("list", help="name the bundled playbooks")
    show = pb_sub.add_parser("show", help="print a bundled playbook (YAML), a starting point for your own")
    show.add_argument("name", help="a bundled playbook's name")
    check = pb_sub.add_parser("check", help="validate a playbook file: exit 0 when valid, 2 with the errors")
    check.add_argument("file", type=Path, help="the playbook (.yaml)")
    ui = sub.add_parser("ui", help="start the review desk in the browser (localhost only, no telemetry)")
    ui.add_argument("--port", type=int, default=8501, help="port to serve on (default: 8501)")
    return parser


def _sample_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sample",
        metavar="NAME",
        help="a bundled sample contract by name or prefix (zh, en, zh_04…); see `ui` for all",
    )


def _with_sample(paths: list[Path], sample_name: str | None, stack: contextlib.ExitStack) -> list[Path]:
    """The paths given, plus the bundled sample asked for (as a real file for as long as `stack` lives)."""
    if sample_name is None:
        return paths
    from importlib.resources import as_file

    from auditor.resources import sample

    return [*paths, stack.enter_context(as_file(sample(sample_name)))]


def _review_options(parser: argparse.ArgumentParser) -> None:
    """--playbook and --perspective, the same on every command that reviews a contract."""
    parser.add_argument(
        "--playbook",
        metavar="NAME|FILE.yaml",
        help="review rules: a bundled playbook (see `playbook list`), your own .yaml, or auto "
        "(proposed from the detected contract type); default: the rubric as bundled",
    )
    parser.add_argument(
        "--perspective",
        choices=("client", "provider"),
        default="client",
        help="whose side to review for: client (甲方, default) or provider (乙方)",
    )


def _playbook_option(args: argparse.Namespace) -> str | None:
    """The --playbook value, validated now (a file as an absolute path, for worker processes)."""
    from auditor.review.playbook import load_playbook

    if args.playbook is None or args.playbook == "auto":
        return args.playbook  # type: ignore[no-any-return]
    load_playbook(args.playbook)  # raises PlaybookError naming line and field
    path = Path(args.playbook)
    return str(path.resolve()) if path.suffix.lower() in (".yaml", ".yml") else str(args.playbook)


def iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Files named directly, and every supported file under named folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(("~$", "."))
            )
        else:
            yield path


def _render(results: list[Result], fmt: str, brief: bool) -> str:
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
            parts.append(render.to_markdown(r) if fmt == "md" else render.to_text(r, verbose=not brief))
        else:
            parts.append(f"== {r['file']}\n   ✖ {r['error']}\n")
    return ("\n---\n\n" if fmt == "md" else "\n").join(parts)


def _exit_code(results: list[Result], fail_on: str | None) -> int:
    if any(not isinstance(r, AuditReport) for r in results):
        return 2
    if fail_on:
        limit = Status(fail_on).rank
        if any(f.status.rank >= limit for r in results if isinstance(r, AuditReport) for f in r.findings):
            return 1
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as stack:
        try:
            args.paths = _with_sample(args.paths, args.sample, stack)
        except KeyError as err:
            print(f"contract-audit: {err.args[0]}", file=sys.stderr)
            return 2
        if not args.paths:
            print("contract-audit: name contract files or folders, or --sample zh|en", file=sys.stderr)
            return 2
        return _audit_paths(args)


def _audit_paths(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"contract-audit: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    files = list(iter_files(args.paths))
    if not files:
        print(f"contract-audit: no contracts ({', '.join(SUPPORTED_SUFFIXES)}) found", file=sys.stderr)
        return 2
    problem = _batch_problem(args)
    if problem:
        print(f"contract-audit: {problem}", file=sys.stderr)
        return 2
    from auditor.review.playbook import PlaybookError

    try:
        playbook = _playbook_option(args)
    except PlaybookError as err:
        print(f"contract-audit: {err}", file=sys.stderr)
        return 2
    from auditor.batch import pool as batch
    from auditor.batch.store import Store, default_path
    from auditor.report import summary

    options = batch.Options(
        lang=args.lang,
        password=args.password,
        workers=args.workers,
        timeout=args.timeout,
        dask=args.dask,
        dask_bytes=args.dask_bytes,
        playbook=playbook,
        perspective=args.perspective,
    )
    with contextlib.nullcontext() if args.no_db else Store(args.db or default_path()) as store:
        outcome = batch.run_batch(files, options, store=store, progress=sys.stderr.isatty())
    results = outcome.results
    output = _render(results, args.format, args.brief)
    if args.out:
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        args.out.write_text(output, encoding=encoding)
    else:
        sys.stdout.write(output)
    if args.summary:
        summary.write_summary(results, args.summary)
    if args.chart:
        summary.write_chart(results, args.chart)
    for r in results:
        if not isinstance(r, AuditReport):
            print(f"contract-audit: {_error_line(r)}", file=sys.stderr)
    if len(results) > 1:
        sys.stderr.write(summary.counts(results, outcome.from_store))
    return _exit_code(results, args.fail_on)


def _batch_problem(args: argparse.Namespace) -> str | None:
    """A usage error in the batch options, found before any file is audited."""
    from auditor.report.summary import CHART_SUFFIXES, SUMMARY_SUFFIXES

    if args.workers is not None and args.workers < 1:
        return "--workers must be at least 1"
    if args.timeout <= 0:
        return "--timeout must be more than 0 seconds"
    if args.summary and args.summary.suffix.lower() not in SUMMARY_SUFFIXES:
        return f"--summary must end in {' or '.join(SUMMARY_SUFFIXES)}"
    if args.chart and args.chart.suffix.lower() not in CHART_SUFFIXES:
        return f"--chart must end in {' or '.join(CHART_SUFFIXES)}"
    if args.dask_bytes and not args.dask:
        return "--dask-bytes needs --dask"
    return None


def _cmd_report(args: argparse.Namespace) -> int:
    """Stored results, filtered, without auditing anything."""
    from auditor.batch.store import Store, default_path
    from auditor.checks import all_checks
    from auditor.red_flags import FLAGS
    from auditor.report.summary import listing
    from auditor.review.playbook import required_item_ids

    if args.check and not args.status:
        print("contract-audit: --check needs --status", file=sys.stderr)
        return 2
    check_ids = (*(c.id for c in all_checks()), *required_item_ids())
    for value, known, option in ((args.check, check_ids, "--check"), (args.flag, tuple(FLAGS), "--flag")):
        if value and value not in known:
            print(f"contract-audit: {option} must be one of: {', '.join(known)}", file=sys.stderr)
            return 2
    db = args.db or default_path()
    if not db.is_file():
        print(f"contract-audit: no result store at {db}; run `contract-audit audit` first", file=sys.stderr)
        return 2
    with Store(db) as store:
        reports = store.select(check=args.check, status=args.status, flag=args.flag)
        stale = store.stale()
    if args.format == "json":
        sys.stdout.write(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render.to_csv(reports) if args.format == "csv" else listing(reports))
    if stale:
        print(
            f"contract-audit: {stale} stored results are out of date (engine or lexicons changed) and not "
            "listed; audit those files again to refresh them",
            file=sys.stderr,
        )
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from auditor.evaluate import evaluate
    from auditor.evaluate import render as render_eval

    with contextlib.ExitStack() as stack:
        if args.corpus is None:
            from importlib.resources import as_file

            from auditor.resources import sample_dir

            args.corpus = stack.enter_context(as_file(sample_dir()))
        labels = args.labels or args.corpus / "labels.json"
        if not labels.is_file():
            print(f"contract-audit: no labels file at {labels}", file=sys.stderr)
            return 2
        sys.stdout.write(render_eval(evaluate(args.corpus, labels), show_misses=not args.quiet))
    return 0


def _cmd_eval_clauses(args: argparse.Namespace) -> int:
    """Balanced accuracy, precision and recall of each clause recogniser on a folder of labelled clauses."""
    from auditor.analyse.clause_tags import TAG_IDS, evaluate_folder, format_table

    if not args.folder.is_dir():
        print(f"contract-audit: no folder {args.folder}", file=sys.stderr)
        return 2
    if not any((args.folder / f"{tag}.tsv").is_file() for tag in TAG_IDS):
        print(f"contract-audit: no <tag>.tsv files in {args.folder}; tags: {', '.join(TAG_IDS)}", file=sys.stderr)
        return 2
    result = evaluate_folder(args.folder, args.lang)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(result))
    return 0


def _cmd_dispute(args: argparse.Namespace) -> int:
    from auditor.dispute import render as brief_render
    from auditor.dispute.brief import build_brief
    from auditor.pipeline import audit

    if args.perspective != "client":
        print(
            "contract-audit: the dispute brief is written for the client; --perspective provider is not "
            "supported for dispute yet",
            file=sys.stderr,
        )
        return 2
    try:
        with contextlib.ExitStack() as stack:
            paths = _with_sample([args.path] if args.path else [], args.sample, stack)
            if len(paths) != 1:
                print("contract-audit: name one contract, or --sample NAME", file=sys.stderr)
                return 2
            lang = None if args.lang == "auto" else args.lang
            brief = build_brief(audit(paths[0], playbook=_playbook_option(args)), args.scenario, lang)
    except KeyError as err:
        print(f"contract-audit: {err.args[0]}", file=sys.stderr)
        return 2
    except (LoadError, ValueError, OSError) as err:
        print(f"contract-audit: {err}", file=sys.stderr)
        return 2
    if args.format == "json":
        output = json.dumps(brief_render.to_dict(brief), ensure_ascii=False, indent=2) + "\n"
    else:
        output = brief_render.to_markdown(brief)
    if args.docx:
        args.docx.write_bytes(brief_render.to_docx(brief))
    if args.out:
        args.out.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    return 0


def _cmd_playbook(args: argparse.Namespace) -> int:
    """List, show or validate playbooks; exit 2 with the errors (line and field) for an invalid one."""
    from auditor.review.playbook import PlaybookError, bundled_names, dump_bundled, load_playbook

    try:
        if args.action == "list":
            for name in bundled_names():
                playbook = load_playbook(name)
                print(f"{name:24} {playbook.title.zh} / {playbook.title.en}")
        elif args.action == "show":
            sys.stdout.write(dump_bundled(args.name))
        else:
            playbook = load_playbook(args.file if args.file.suffix else Path(f"{args.file}.yaml"))
            print(f"{args.file}: valid playbook {playbook.name!r}")
    except PlaybookError as err:
        print(f"contract-audit: {err.source}: invalid playbook", file=sys.stderr)
        for problem in err.errors:
            print(f"  {problem}", file=sys.stderr)
        return 2
    return 0


def _cmd_ui(args: argparse.Namespace) -> int:
    from auditor.ui.launch import run

    if not 0 < args.port < 65536:
        print("contract-audit: --port must be between 1 and 65535", file=sys.stderr)
        return 2
    return run(args.port)


def _error_line(entry: dict[str, str]) -> str:
    """The error as "path: reason", naming the file once (loader messages already start with its name)."""
    name = Path(entry["file"]).name
    reason = entry["error"].removeprefix(f"{name}: ")
    return f"{entry['file']}: {reason}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
    args = _parser().parse_args(argv)
    try:
        return {
            "audit": _cmd_audit,
            "eval": _cmd_eval,
            "report": _cmd_report,
            "dispute": _cmd_dispute,
            "eval-clauses": _cmd_eval_clauses,
            "playbook": _cmd_playbook,
            "ui": _cmd_ui,
        }[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
