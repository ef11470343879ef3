"""The negotiation commands: `redline` (the suggested clauses as tracked changes in the user's own Word
file) and `compare` (two drafts, clause by clause, with the audit of each).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.model import AuditReport


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `redline` and `compare` commands' arguments."""
    red = sub.add_parser("redline", help="the contract as Word with the suggested clauses as tracked changes")
    red.add_argument("path", type=Path, nargs="?", help="the contract (.docx keeps your own file; .pdf .txt .md)")
    red.add_argument("--sample", metavar="NAME", help="a bundled sample contract by name or prefix")
    red.add_argument("--out", type=Path, required=True, help="the .docx to write, e.g. 合同-修订.docx")
    red.add_argument("--playbook", metavar="NAME|FILE.yaml", help="review rules, as for `audit`")
    cmp = sub.add_parser("compare", help="two drafts clause by clause, with what the revision did to the audit")
    cmp.add_argument("first", type=Path, help="the earlier draft (.docx .pdf .txt .md)")
    cmp.add_argument("second", type=Path, help="the revised draft")
    cmp.add_argument("--format", choices=("text", "md", "json"), default="text", help="output format (default: text)")
    cmp.add_argument("--docx", type=Path, help="also write the first draft with the revision as tracked changes")
    cmp.add_argument("--out", type=Path, help="write the output to this file instead of the terminal")


def cmd_redline(args: argparse.Namespace) -> int:
    """Write the redline of one contract; exit 2 with a one-line message when it cannot be read."""
    from auditor.batch.worker import StoppedError
    from auditor.cli.audit import limits_problem, playbook_option, with_sample
    from auditor.load import LoadError
    from auditor.negotiate.redline import redline_docx
    from auditor.report.words import one_line

    if args.out.suffix.lower() != ".docx":
        print("contract-audit: --out must name a .docx file", file=sys.stderr)
        return 2
    if problem := limits_problem(args):
        print(f"contract-audit: {problem}", file=sys.stderr)
        return 2
    try:
        with contextlib.ExitStack() as stack:
            paths = with_sample([args.path] if args.path else [], args.sample, stack)
            if len(paths) != 1:
                print("contract-audit: name one contract, or --sample NAME", file=sys.stderr)
                return 2
            report = stoppable_audit(args, paths[0], playbook_option(args))
            original = paths[0].read_bytes() if report.format == "docx" else None
        args.out.write_bytes(redline_docx(report, original))
    except KeyError as err:
        print(f"contract-audit: {err.args[0]}", file=sys.stderr)
        return 2
    except StoppedError as err:
        print(f"contract-audit: {one_line(paths[0].name)}: {err}", file=sys.stderr)
        return 2
    except (LoadError, ValueError, OSError) as err:
        print(f"contract-audit: {one_line(str(err))}", file=sys.stderr)
        return 2
    return 0


def stoppable_audit(args: argparse.Namespace, path: Path, playbook: str | None = None) -> AuditReport:
    """The audit of one contract in a worker process, killed at --timeout and capped at --max-memory, with
    the loader's --max-… limits, as `audit` and `dispute` run theirs.
    """
    from functools import partial

    from auditor.batch.worker import call
    from auditor.cli.audit import loader_limits
    from auditor.pipeline import audit

    task = partial(audit, path, playbook=playbook, limits=loader_limits(args))
    return call(task, timeout=args.timeout, max_memory=args.max_memory or None)


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two drafts; exit 2 with a one-line message when either cannot be read."""
    import json

    from auditor.batch.worker import StoppedError
    from auditor.cli.audit import limits_problem
    from auditor.load import LoadError
    from auditor.negotiate.compare import compare, to_dict, to_text, tracked_docx
    from auditor.report.words import one_line

    if args.docx and args.docx.suffix.lower() != ".docx":
        print("contract-audit: --docx must name a .docx file", file=sys.stderr)
        return 2
    if problem := limits_problem(args):
        print(f"contract-audit: {problem}", file=sys.stderr)
        return 2
    try:
        reports = []
        for path in (args.first, args.second):
            try:
                reports.append(stoppable_audit(args, path))
            except StoppedError as err:
                print(f"contract-audit: {one_line(path.name)}: {err}", file=sys.stderr)
                return 2
        first, second = reports
        result = compare(first, second)
        if args.docx:
            original = args.first.read_bytes() if first.format == "docx" else None
            args.docx.write_bytes(tracked_docx(result, first, original))
        if args.format == "json":
            output = json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
        else:
            output = to_text(result, markdown=args.format == "md")
        if args.out:
            args.out.write_text(output, encoding="utf-8")
        else:
            sys.stdout.write(output)
    except (LoadError, ValueError, OSError) as err:
        print(f"contract-audit: {one_line(str(err))}", file=sys.stderr)
        return 2
    return 0
