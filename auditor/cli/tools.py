"""The other commands: stored results (`report`), accuracy (`eval`, `eval-clauses`), dispute briefs,
playbooks and the review desk (`ui`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.cli.audit import (
    limits_problem,
    loader_limits,
    outputs_problem,
    playbook_option,
    with_sample,
    with_stdin,
    write_output,
)
from auditor.load import LoadError
from auditor.report import render
from auditor.report.words import one_line

if TYPE_CHECKING:
    from auditor.dispute.model import DisputeBrief
    from auditor.load import Limits


def cmd_report(args: argparse.Namespace) -> int:
    """Stored results, filtered, without auditing anything."""
    from auditor.batch.store import default_path, open_store
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
    if db is None or not db.is_file():
        where = f" at {db}" if db else " (no home folder; pass --db FILE)"
        print(f"contract-audit: no result store{where}; run `contract-audit audit` first", file=sys.stderr)
        return 2
    store, problem = open_store(db)
    if store is None or problem:  # unusable, or damaged and just replaced by an empty one
        print(f"contract-audit: {one_line(problem or '')}", file=sys.stderr)
        if store:
            store.close()
        return 2
    with store:
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


def cmd_eval(args: argparse.Namespace) -> int:
    """Accuracy of the checks against a labelled corpus (default: the bundled samples)."""
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


def cmd_eval_clauses(args: argparse.Namespace) -> int:
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


def cmd_dispute(args: argparse.Namespace) -> int:
    """A dispute brief for one contract and scenario, as Markdown or JSON, and optionally Word."""
    from auditor.batch import worker
    from auditor.dispute import render as brief_render

    if args.perspective != "client":
        print(
            "contract-audit: the dispute brief is written for the client; --perspective provider is not "
            "supported for dispute yet",
            file=sys.stderr,
        )
        return 2
    problem = limits_problem(args) or outputs_problem(args, ("out", "docx"))
    if problem:
        print(f"contract-audit: {problem}", file=sys.stderr)
        return 2
    try:
        with contextlib.ExitStack() as stack:
            limits = loader_limits(args)
            named = with_sample([args.path] if args.path else [], args.sample, stack)
            paths = with_stdin(named, stack, limits.file_bytes)
            if len(paths) != 1:
                print("contract-audit: name one contract, or --sample NAME", file=sys.stderr)
                return 2
            task = (str(paths[0]), playbook_option(args), dict(args.fact), args.scenario, args.lang, limits)
            brief = worker.call(_brief, *task, timeout=args.timeout, max_memory=args.max_memory or None)
    except KeyError as err:
        print(f"contract-audit: {err.args[0]}", file=sys.stderr)
        return 2
    except worker.StoppedError as err:
        print(f"contract-audit: {one_line(paths[0].name)}: {err}", file=sys.stderr)
        return 2
    except (LoadError, ValueError, OSError) as err:
        print(f"contract-audit: {one_line(str(err))}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - as `audit` says of a file it fails on: one line, no traceback
        print(f"contract-audit: internal error while writing the brief: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    if args.format == "json":
        output = json.dumps(brief_render.to_dict(brief), ensure_ascii=False, indent=2) + "\n"
    else:
        output = brief_render.to_markdown(brief)
    status = 0
    if args.docx:
        status = write_output(args.docx, brief_render.to_docx(brief))
    if args.out:
        return write_output(args.out, output) or status
    sys.stdout.write(output)
    return status


def _brief(
    path: str, playbook: str | None, facts: dict[str, str], scenario: str, lang: str, limits: Limits
) -> DisputeBrief:
    """The audit and the brief read from it, in the worker process `cmd_dispute` can stop."""
    from auditor.dispute.brief import build_brief
    from auditor.pipeline import audit

    report = audit(path, playbook=playbook, facts=facts, limits=limits)
    return build_brief(report, scenario, None if lang == "auto" else lang)  # type: ignore[arg-type]


def cmd_playbook(args: argparse.Namespace) -> int:
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


def cmd_ui(args: argparse.Namespace) -> int:
    """Serve the review desk on localhost."""
    from auditor.ui.launch import run

    if not 0 < args.port < 65536:
        print("contract-audit: --port must be between 1 and 65535", file=sys.stderr)
        return 2
    return run(args.port)
