"""The `contract-audit` command: audit files or folders, write dispute briefs, measure accuracy, serve the desk.

Exit codes: 0 all fine; 1 a check is at or below the `--fail-on` level; 2 usage errors or a file that
could not be read (the other files are still audited and reported, each unreadable one as an error entry).
This module holds the argument parser and the dispatch; `audit.py` the audit command, `tools.py` the rest.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from auditor.cli.negotiate import add_parsers as add_negotiate_parsers

FORMATS = ("text", "json", "jsonl", "md", "csv")


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given the `command` about to run, only that subcommand's options that
    need an import to describe are built (`--help` alone lists the commands and imports nothing).
    """
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
    detail = audit.add_mutually_exclusive_group()
    detail.add_argument("--brief", action="store_true", help="text format: one line per check")
    detail.add_argument("--verbose", action="store_true", help="text format: also the notes and quoted evidence")
    audit.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    if command in (None, "audit"):
        _limit_options(audit)
    audit.add_argument("--summary", type=Path, help="also write one row per contract to this .csv or .xlsx")
    audit.add_argument("--chart", type=Path, help="also draw a contracts × checks heatmap: .png or .html")
    store = audit.add_mutually_exclusive_group()
    store.add_argument("--db", type=Path, help="result store (default: ~/.cache/contract-auditor/audits.sqlite)")
    store.add_argument("--no-db", action="store_true", help="neither reuse nor store results")
    audit.add_argument(
        "--follow-links", action="store_true", help="in folders, also audit links to files outside the folder"
    )
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
    if command in (None, "dispute"):
        _limit_options(dis)
    pb = sub.add_parser("playbook", help="review playbooks: list the bundled ones, show one, check your own")
    pb_sub = pb.add_subparsers(dest="action", required=True)
    pb_sub.add_parser("list", help="name the bundled playbooks")
    show = pb_sub.add_parser("show", help="print a bundled playbook (YAML), a starting point for your own")
    show.add_argument("name", help="a bundled playbook's name")
    check = pb_sub.add_parser("check", help="validate a playbook file: exit 0 when valid, 2 with the errors")
    check.add_argument("file", type=Path, help="the playbook (.yaml)")
    ui = sub.add_parser("ui", help="start the review desk in the browser (localhost only, no telemetry)")
    ui.add_argument("--port", type=int, default=8501, help="port to serve on (default: 8501)")
    add_negotiate_parsers(sub)
    for name in ("redline", "compare"):  # they audit too: the same limits as audit and dispute
        if command in (None, name):
            _limit_options(sub.choices[name])
    return parser


def _sample_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sample",
        metavar="NAME",
        help="a bundled sample contract by name or prefix (zh, en, zh_04…); see `ui` for all",
    )


def _limit_options(parser: argparse.ArgumentParser) -> None:
    """--timeout and --max-memory, the limits of the worker process each contract is audited in; and the
    loader's (`load.limits.LIMIT_FLAGS`: sizes, pages, characters, pixels), each refused before it is read.
    """
    from auditor.batch.worker import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
    from auditor.load.limits import LIMIT_FLAGS, Limits

    defaults = Limits()
    for limit in LIMIT_FLAGS:
        default = getattr(defaults, limit.field) // limit.unit
        unit = {"MB": " MB", "MILLIONS": " million"}.get(limit.metavar, "")
        parser.add_argument(
            limit.flag,
            type=int,
            default=default,
            metavar=limit.metavar,
            help=f"{limit.help} (default: {default:,}{unit})",
        )

    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds allowed per file (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-memory",
        type=int,
        default=DEFAULT_MAX_MEMORY_MB,
        metavar="MB",
        help=f"memory (address space) allowed per file, in MB (default: {DEFAULT_MAX_MEMORY_MB}; 0: no limit)",
    )


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
    parser.add_argument(
        "--fact",
        metavar="FIELD=VALUE",
        type=_fact,
        action="append",
        default=[],
        help="correct a fact the advice is filled with, e.g. value=90000 currency=TWD start=2024-03-01 "
        "type=design client=声浪公司 (repeatable)",
    )


def _fact(text: str) -> tuple[str, str]:
    """One --fact, refused with its own message when the field is unknown."""
    from auditor.analyse.key_facts import FactError, parse_fact

    try:
        return parse_fact(text)
    except FactError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


# command → (module, function), imported only when run: `--help` or `ui` never loads the engine
_COMMANDS = {
    "audit": ("auditor.cli.audit", "cmd_audit"),
    "eval": ("auditor.cli.tools", "cmd_eval"),
    "report": ("auditor.cli.tools", "cmd_report"),
    "dispute": ("auditor.cli.tools", "cmd_dispute"),
    "eval-clauses": ("auditor.cli.tools", "cmd_eval_clauses"),
    "playbook": ("auditor.cli.tools", "cmd_playbook"),
    "ui": ("auditor.cli.tools", "cmd_ui"),
    "redline": ("auditor.cli.negotiate", "cmd_redline"),
    "compare": ("auditor.cli.negotiate", "cmd_compare"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else list(argv)
    # the top level has no options but --help, so the first other word names the command
    args = _parser(next((a for a in argv if not a.startswith("-")), "")).parse_args(argv)
    from auditor.batch.worker import raise_interrupted

    in_main = threading.current_thread() is threading.main_thread()  # only there can a handler be set
    previous = signal.signal(signal.SIGTERM, raise_interrupted) if in_main else None  # stop as on Ctrl-C
    try:
        module, function = _COMMANDS[args.command]
        command: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
        return command(args)
    except KeyboardInterrupt as err:  # a batch reports what it finished itself; this is any other command
        signum = getattr(err, "signum", signal.SIGINT)
        print(f"contract-audit: interrupted by {signal.Signals(signum).name}; nothing was written", file=sys.stderr)
        return 128 + signum
    except BrokenPipeError:
        return 0
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
