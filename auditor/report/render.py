"""Rendering an AuditReport: JSON, JSON Lines, Markdown, plain text for a terminal, and CSV summary rows.

No statuses are computed here; this module only shapes what the pipeline decided. Words come from
`lexicons/report.toml` in the contract's language.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from auditor.checks import CHECKS
from auditor.lexicon import load_lexicon
from auditor.model import AuditReport, Evidence, Finding, Lang, Status
from auditor.report.facts import fact_rows, party_place
from auditor.report.words import (
    MARK,
    markdown_code,
    markdown_safe,
    money,
    one_line,
    report_word,
    spreadsheet_safe,
    terminal_safe,
    where,
)


def error_entry(file: str, error: str) -> dict[str, str]:
    """The JSON shape of a file that could not be audited."""
    return {"file": file, "error": error}


def to_json(report: AuditReport | dict[str, str], indent: int | None = 2) -> str:
    """One report (or error entry) as JSON."""
    data = report.to_dict() if isinstance(report, AuditReport) else report
    return json.dumps(data, ensure_ascii=False, indent=indent)


def to_jsonl(reports: Iterable[AuditReport | dict[str, str]]) -> str:
    """One JSON object per line, for streaming many reports."""
    return "".join(to_json(r, indent=None) + "\n" for r in reports)


def summary_line(report: AuditReport) -> str:
    """The counts in one line: "N checks: 3 pass, 2 weak, 2 missing; 4 red flags"."""
    counts = {s: sum(f.status is s for f in report.findings) for s in Status}
    return report_word(
        "summary",
        report.language,
        total=len(report.findings),
        passed=counts[Status.PASS],
        weak=counts[Status.WEAK],
        missing=counts[Status.MISSING],
        flags=len(report.red_flags),
    )


def _where(ev: Evidence, lang: Lang) -> str:
    return where(ev.clause, ev.page, lang)


def _header(report: AuditReport) -> list[tuple[str, str]]:
    lang = report.language
    rows = [(report_word("file", lang), report.file)]
    if report.pages:
        rows.append((report_word("pages", lang), str(report.pages)))
    p = report.parties
    for role, name, alias, place in (
        ("client", p.client, p.client_alias, p.client_place),
        ("provider", p.provider, p.provider_alias, p.provider_place),
    ):
        if name or alias:
            rows.append((report_word(role, lang), name or alias or ""))
        where = party_place(place, lang, report.contract.text if report.contract else "")
        if where:
            rows.append((report_word(f"{role}_place", lang), where))
    if report.key_facts is not None:
        rows += fact_rows(report.key_facts, lang)
    elif report.contract_value:
        rows.append((report_word("contract_value", lang), money(report.contract_value)))
    if report.playbook is not None or report.perspective != "client":
        rows.append((report_word("playbook", lang), report.playbook or "-"))
        rows.append((report_word("perspective", lang), report_word(f"side_{report.perspective}", lang)))
    if report.contract_type is not None:
        rows.append((report_word("contract_type", lang), report.contract_type.kind))
    return rows


def _severity(finding: Finding, lang: Lang) -> str:
    """The severity after a check's status, " (severity: high)", when a playbook set one."""
    if not finding.severity:
        return ""
    return f" ({report_word('severity', lang, level=report_word(f'level_{finding.severity}', lang))})"


def to_markdown(report: AuditReport) -> str:
    """A readable Markdown report: summary table, then each check, then the red flags.

    Everything from the contract (and its file name) goes through `markdown_safe`: the report never
    carries the contract's own markup, links or images.
    """
    lang = report.language
    md = markdown_safe
    out = [f"# {load_lexicon('report').title[lang]}: {md(report.file)}", ""]
    out += [f"- **{k}**: {md(v)}" for k, v in _header(report)]
    head = f"| {report_word('check', lang)} | {report_word('status', lang)} |"
    out += ["", f"**{summary_line(report)}**", "", head, "|---|---|"]
    out += [
        f"| {md(f.title)} | {MARK[f.status]} {report_word(f.status.value, lang)}{_severity(f, lang)} |"
        for f in report.findings
    ]
    for f in report.findings:
        out += ["", f"## {MARK[f.status]} {md(f.title)}: {report_word(f.status.value, lang)}", ""]
        out += [f"- {md(r)}" for r in f.reasons]
        if f.notes:
            out += ["", f"*{report_word('notes', lang)}*:"] + [f"- {md(n)}" for n in f.notes]
        if f.evidence:
            out += ["", f"*{report_word('evidence', lang)}*:"]
            out += [f"> **{md(_where(e, lang))}** {md(e.text)}" + "\n" for e in f.evidence]
        if f.suggestion:
            out += ["", f"*{report_word('suggestion', lang)}*:", "", *markdown_code(f.suggestion)]
        if f.to_fill:
            out += ["", f"*{report_word('to_fill', lang)}*: " + md(report_word("list_sep", lang).join(f.to_fill))]
    out += ["", f"## {report_word('red_flags', lang)}", ""]
    if not report.red_flags:
        out.append(report_word("no_red_flags", lang))
    for flag in report.red_flags:
        out.append(f"- **{md(flag.message)}**")
        out += [f"  - {md(_where(e, lang))}: {md(e.text)}" for e in flag.evidence]
    if report.warnings:
        out += ["", f"## {report_word('warnings', lang)}", ""] + [f"- {md(w)}" for w in report.warnings]
    out += ["", f"*{report_word('disclaimer', lang)}*", ""]
    return "\n".join(out)


Detail = Literal["brief", "standard", "full"]
_FLAG_LEVEL = {3: "high", 2: "medium", 1: "low"}
_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
TOP_FIXES = 3


def to_text(report: AuditReport, *, detail: Detail = "standard") -> str:
    """A terminal report for a busy owner: the counts and the three fixes that matter most, the facts the
    advice was filled with, the red flags by severity, then the checks with their reasons and wording;
    "full" adds notes and the quoted evidence, "brief" is one line per check.

    The whole report goes through `terminal_safe`, so nothing from the contract moves the cursor, erases
    or recolours a line; the file name and header values are kept on their own line.
    """
    lang = report.language
    out = [f"== {one_line(report.file)}", f"   {summary_line(report)}"]
    if detail != "brief":
        out += _top_fixes(report)
    out += [f"   {k}: {one_line(v)}" for k, v in _header(report)[1:]]
    out += _flag_lines(report, detail)
    if detail != "brief":
        out.append(f" {report_word('checks', lang)}:")
    for f in report.findings:
        out.append(f" {MARK[f.status]} {f.title} [{report_word(f.status.value, lang)}]{_severity(f, lang)}")
        if detail == "brief":
            continue
        out += [f"     - {r}" for r in f.reasons]
        if detail == "full":
            out += [f"     · {n}" for n in f.notes]
            out += [f"     > {_where(e, lang)}: {_clip(e.text)}" for e in f.evidence[:3]]
        if f.suggestion:
            out.append(f"     {report_word('suggestion', lang)}: {f.suggestion}")
        if f.to_fill:
            out.append(f"     {report_word('to_fill', lang)}: {report_word('list_sep', lang).join(f.to_fill)}")
    out += [f"   * {w}" for w in report.warnings]
    return terminal_safe("\n".join(out) + "\n")


def top_fixes(report: AuditReport) -> list[Finding]:
    """The findings to fix first: a playbook's high severity before its low, missing before weak, then in
    the checklist's order.
    """
    failing = [f for f in report.findings if f.status is not Status.PASS]
    ranked = sorted(
        failing, key=lambda f: (_SEVERITY_RANK.get(f.severity or "", 1), -f.status.rank, report.findings.index(f))
    )
    return ranked[:TOP_FIXES]


def _top_fixes(report: AuditReport) -> list[str]:
    lang = report.language
    fixes = top_fixes(report)
    if not fixes:
        return []
    lines = [f"   {report_word('fix_first', lang, n=len(fixes))}:"]
    for i, f in enumerate(fixes, 1):
        why = f.reasons[0] if f.reasons else ""
        lines.append(f"     {i}. {f.title} [{report_word(f.status.value, lang)}] {why}")
    return lines


def _flag_lines(report: AuditReport, detail: Detail) -> list[str]:
    """The red flags, most serious first, each with its level; their evidence in full detail only, else the
    clauses where they sit.
    """
    lang = report.language
    if not report.red_flags:
        return [f" {report_word('no_red_flags', lang)}"]
    out = [f" {report_word('red_flags', lang)}:"]
    for flag in sorted(report.red_flags, key=lambda r: -r.severity):
        level = report_word(f"level_{_FLAG_LEVEL.get(flag.severity, 'medium')}", lang)
        places = report_word("list_sep", lang).join(dict.fromkeys(_where(e, lang) for e in flag.evidence if e.clause))
        out.append(f"   ! [{level}] {flag.message}" + (f" ({places})" if places and detail != "full" else ""))
        if detail == "full":
            out += [f"     > {_where(e, lang)}: {_clip(e.text)}" for e in flag.evidence[:2]]
    return out


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


Result = AuditReport | dict[str, str]  # a report, or the error entry of a file that could not be audited


def check_columns(results: Iterable[Result]) -> tuple[str, ...]:
    """The check ids a batch's reports carry, in their order: the client's checklist, the provider's, or a
    playbook's selection and its required items. A batch of errors only shows the default checklist.
    """
    return columns(f.check_id for r in results if isinstance(r, AuditReport) for f in r.findings)


def columns(check_ids: Iterable[str]) -> tuple[str, ...]:
    """`check_columns` from the check ids met, report after report: each once, first met first."""
    return tuple(dict.fromkeys(check_ids)) or tuple(c.id for c in CHECKS)


def summary_fields(results: Iterable[Result]) -> tuple[str, ...]:
    """The summary table's columns: file, language, one per check, the red flags, the error."""
    return table_fields(check_columns(results))


def table_fields(checks: Sequence[str]) -> tuple[str, ...]:
    """`summary_fields` around the check columns, once those are known."""
    return ("file", "language", *checks, "red_flags", "red_flag_ids", "error")


def summary_row(report: AuditReport | dict[str, str]) -> dict[str, Any]:
    """One row per contract: a column per check (its status), the red flags, or the error."""
    if not isinstance(report, AuditReport):
        return {"file": report["file"], "error": report["error"]}
    row: dict[str, Any] = {"file": report.file, "language": report.language}
    row.update({f.check_id: f.status.value for f in report.findings})
    row["red_flags"] = len(report.red_flags)
    row["red_flag_ids"] = " ".join(r.flag_id for r in report.red_flags)
    return row


def to_csv(reports: Iterable[Result]) -> str:
    """The summary table as CSV (UTF-8; Excel users should open it with a BOM, which the CLI writes); a
    cell that a spreadsheet would take for a formula (a file named "=HYPERLINK(…)") is neutralised.
    """
    reports = list(reports)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=summary_fields(reports), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(map(csv_row, reports))
    return buf.getvalue()


def csv_row(report: Result) -> dict[str, Any]:
    """One result's summary row as the CSV holds it: a cell a spreadsheet would run as a formula is
    neutralised.
    """
    return {key: spreadsheet_safe(value) for key, value in summary_row(report).items()}
