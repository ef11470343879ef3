"""The portfolio view of a batch: the summary table (CSV/xlsx), the status heatmap (PNG/HTML), and the
counts printed on stderr when a batch ends.

Rows are the batch's results in path order; columns are the checks in rubric order. Statuses are only
read here, never computed. The table and the heatmap are for people: they speak the batch's language (the
`--lang` asked for, else the one most of its contracts are written in), with the checks' titles and the
status words of the reports; the HTML keeps each check's id beside its title.
"""

from __future__ import annotations

import csv
import html
import io
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.checks import all_checks
from auditor.model import AuditReport, Lang, Status
from auditor.report import render
from auditor.report.render import Result, check_columns, summary_fields
from auditor.report.words import MARK, one_line, report_word, spreadsheet_safe

SUMMARY_SUFFIXES = (".csv", ".xlsx")
CHART_SUFFIXES = (".png", ".html")

ERROR = "error"
NOT_RUN = "-"  # a check this report did not run (another report of the batch did)
# Strong colours for the heatmap, light ones (Excel's own good/neutral/bad fills) behind xlsx text.
_COLOUR: dict[str, str] = {
    Status.PASS: "#2e7d32",
    Status.WEAK: "#f9a825",
    Status.MISSING: "#c62828",
    ERROR: "#9e9e9e",
    NOT_RUN: "#eeeeee",
}
_FILL: dict[str, str] = {
    Status.PASS: "C6EFCE",
    Status.WEAK: "FFEB9C",
    Status.MISSING: "FFC7CE",
    ERROR: "D9D9D9",
    NOT_RUN: "FFFFFF",
}
# Fonts with Chinese glyphs, preferred first; any other font named "CJK" also does.
_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei")


def _name(result: Result) -> str:
    return result.file if isinstance(result, AuditReport) else result["file"]


def _cells(result: Result, columns: Sequence[str]) -> list[str]:  # Status values are str
    """The row's colour keys: one status per column, or "error" across the row."""
    if not isinstance(result, AuditReport):
        return [ERROR] * len(columns)
    statuses: dict[str, str] = {f.check_id: f.status for f in result.findings}
    return [statuses.get(c, NOT_RUN) for c in columns]


def batch_lang(results: Sequence[Result], lang: Lang | None = None) -> Lang:
    """The language of a batch's portfolio view: `lang` when asked for, else the language most of its
    contracts are written in (Chinese on a tie).
    """
    if lang is not None:
        return lang
    written = Counter(r.language for r in results if isinstance(r, AuditReport))
    return "en" if written["en"] > written["zh"] else "zh"


def _titles(results: Sequence[Result], columns: Sequence[str], lang: Lang) -> list[str]:
    """Each column's check title in `lang`; a playbook's required item keeps the title its report gave it."""
    registered = {c.id: c for c in all_checks()}
    given = {f.check_id: f.title for r in results if isinstance(r, AuditReport) for f in r.findings}
    return [registered[c].lexicon.title[lang] if c in registered else given.get(c) or c for c in columns]


def _word(key: str, lang: Lang) -> str:
    """A status (pass, weak, missing), "error" or "-" as the reports say it."""
    return NOT_RUN if key == NOT_RUN else report_word("unreadable" if key == ERROR else key, lang)


# --- the summary table ------------------------------------------------------------------------------


def write_summary(results: Sequence[Result], path: Path, lang: Lang | None = None) -> None:
    """One row per contract, by the file's suffix: CSV (with a BOM, for Excel) or a styled xlsx, in the
    batch's language.
    """
    header, rows = _table(results, batch_lang(results, lang))
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows([[spreadsheet_safe(v) for v in row] for row in rows])
        path.write_text(buf.getvalue(), encoding="utf-8-sig")
    else:
        _write_xlsx(results, header, rows, path)


def _table(results: Sequence[Result], lang: Lang) -> tuple[list[str], list[list[object]]]:
    """The summary's header and rows in `lang`: a check's title over its column, the status words."""
    fields = summary_fields(results)
    columns = check_columns(results)
    titles = dict(zip(columns, _titles(results, columns, lang), strict=True))
    names = {"red_flags": "red_flag_count", "red_flag_ids": "red_flags", "error": "unreadable"}
    header = [titles.get(f) or report_word(names.get(f, f), lang) for f in fields]
    rows = []
    for result in results:
        row = render.summary_row(result)
        cells = dict(zip(columns, _cells(result, columns), strict=True)) if isinstance(result, AuditReport) else {}
        rows.append([_word(cells[f], lang) if f in cells else row.get(f) for f in fields])
    return header, rows


def _write_xlsx(results: Sequence[Result], header: list[str], rows: list[list[object]], path: Path) -> None:
    """Coloured status cells, a frozen header and file column, and filters on every column; every text
    cell is a string cell, never a formula, whatever the file name or error says.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    fields = summary_fields(results)
    columns = check_columns(results)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fills = {k: PatternFill("solid", start_color=v) for k, v in _FILL.items()}
    for result, values in zip(results, rows, strict=True):
        ws.append([spreadsheet_safe(v) for v in values])
        colours = dict(zip(columns, _cells(result, columns), strict=True))
        for col, field in enumerate(fields, start=1):
            _as_text(ws.cell(ws.max_row, col))
            if field in columns:
                ws.cell(ws.max_row, col).fill = fills[colours[field]]
            elif field == "error" and not isinstance(result, AuditReport):
                ws.cell(ws.max_row, col).fill = fills[ERROR]
    for col, field in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(col)].width = {"file": 40, "error": 60}.get(field, 18)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)


def _as_text(cell: Any) -> None:
    """Keep a text cell a string: openpyxl would store a value starting with "=" as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


# --- the heatmap ------------------------------------------------------------------------------------


def write_chart(results: Sequence[Result], path: Path, lang: Lang | None = None) -> None:
    """Contracts × checks coloured by status: a PNG (matplotlib) or a self-contained HTML table, in the
    batch's language.
    """
    if path.suffix.lower() == ".html":
        path.write_text(_heatmap_html(results, batch_lang(results, lang)), encoding="utf-8")
    else:
        _heatmap_png(results, path, batch_lang(results, lang))


def _cjk_font() -> str | None:
    """A font installed for matplotlib that can draw Chinese file names, if there is one."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in _CJK_FONTS if n in names), None) or next((n for n in sorted(names) if "CJK" in n), None)


def _heatmap_png(results: Sequence[Result], path: Path, lang: Lang) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    keys = [Status.PASS, Status.WEAK, Status.MISSING, ERROR, NOT_RUN]
    columns = check_columns(results)
    grid = [[keys.index(k) for k in _cells(r, columns)] for r in results]
    height = max(3.0, 0.25 * len(results) + 2.0)
    cjk = _cjk_font()
    if cjk is None:
        lang = "en"  # words drawn as boxes say nothing: without a Chinese font the chart's own words are English
    fonts = [f for f in (cjk, "DejaVu Sans") if f]  # the default family is sans-serif
    # parse_math off: a file name like "fee_$5$.pdf" is text, not TeX for the mathtext parser to choke on
    with plt.rc_context({"font.sans-serif": fonts, "text.parse_math": False}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")  # no CJK font: boxes, not 1000 warnings
        fig, ax = plt.subplots(figsize=(9, height))
        ax.imshow(
            grid,
            cmap=ListedColormap([_COLOUR[k] for k in keys]),
            vmin=0,
            vmax=len(keys) - 1,
            aspect="auto",
            interpolation="nearest",
        )
        ax.set_xticks(range(len(columns)), _titles(results, columns, lang), rotation=35, ha="right")
        ax.set_yticks(range(len(results)), [_name(r) for r in results], fontsize=8)
        ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(results))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        for y, r in enumerate(results):
            if isinstance(r, AuditReport) and r.red_flags:
                flags = report_word("flag_count", lang, n=len(r.red_flags))
                ax.text(len(columns) - 0.4, y, flags, va="center", fontsize=8)
        ax.set_xlabel(report_word("check", lang))
        ax.set_ylabel(report_word("file", lang))
        ax.set_title(report_word("heatmap_title", lang), loc="left", pad=28)
        ax.legend(
            handles=[Patch(color=_COLOUR[k], label=_word(k, lang)) for k in keys],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=len(keys),
            frameon=False,
        )
        fig.savefig(path, dpi=min(100, int(30000 / height)), bbox_inches="tight")  # PNG height limit
        plt.close(fig)


def _heatmap_html(results: Sequence[Result], lang: Lang) -> str:
    """A table a browser renders with its own CJK fonts; the status is written in each cell as well as
    coloured, for readers who cannot tell the colours apart; each check's id is kept beside its title.
    """
    columns = check_columns(results)
    titles = _titles(results, columns, lang)
    head = "".join(
        f'<th data-check="{html.escape(c)}" title="{html.escape(c)}">{html.escape(t)}</th>'
        for c, t in zip(columns, titles, strict=True)
    )
    rows = []
    for r in results:
        cells = "".join(
            f'<td style="background:{_COLOUR[k]}">{html.escape(_word(k, lang))}</td>' for k in _cells(r, columns)
        )
        extra = (
            html.escape(r["error"])
            if not isinstance(r, AuditReport)
            else " ".join(html.escape(f.flag_id) for f in r.red_flags)
        )
        rows.append(f"<tr><th>{html.escape(_name(r))}</th>{cells}<td class=x>{extra}</td></tr>")
    title = html.escape(report_word("heatmap_title", lang))
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title><style>'
        "body{font-family:sans-serif}table{border-collapse:collapse}th,td{padding:2px 6px;font-size:13px}"
        "td{color:#fff;text-align:center;border:1px solid #fff}td.x{color:#333;text-align:left}"
        "th{text-align:left;white-space:nowrap}</style></head><body>\n"
        f"<h1>{title}</h1>\n<table><tr><th>{html.escape(report_word('file', lang))}</th>{head}"
        f"<th>{html.escape(report_word('flags_or_error', lang))}</th></tr>\n" + "\n".join(rows) + "\n</table>"
        "</body></html>\n"
    )


# --- the counts on stderr ---------------------------------------------------------------------------


def counts(results: Sequence[Result], from_store: int) -> str:
    """Per check, how many contracts pass, are weak, are missing; red flags; errors."""
    reports = [r for r in results if isinstance(r, AuditReport)]
    errors = len(results) - len(reports)
    tally = Counter((f.check_id, f.status) for r in reports for f in r.findings)
    flagged = [r for r in reports if r.red_flags]
    columns = check_columns(results)
    width = max(len(c) for c in columns)
    lines = [
        f"{len(results)} contracts: {len(results) - from_store} audited, {from_store} from the store, "
        f"{errors} {'error' if errors == 1 else 'errors'}",
        f"{'':{width}}  {'pass':>5} {'weak':>5} {'missing':>8}",
    ]
    lines += [
        f"{c:{width}}  {tally[c, Status.PASS]:>5} {tally[c, Status.WEAK]:>5} {tally[c, Status.MISSING]:>8}"
        for c in columns
    ]
    lines.append(f"red flags: {sum(len(r.red_flags) for r in flagged)} in {len(flagged)} contracts")
    return "\n".join(lines) + "\n"


def listing(reports: Sequence[AuditReport]) -> str:
    """Stored results for a terminal: a status mark per check (columns numbered, legend below), the red
    flags, then the file.
    """
    mark = {**MARK, NOT_RUN: NOT_RUN}
    columns = check_columns(reports)
    lines = [" ".join(str(n) for n in range(1, len(columns) + 1)) + "  red flags / file"]
    for r in reports:
        flags = ",".join(f.flag_id for f in r.red_flags) or "-"
        lines.append(" ".join(mark[s] for s in _cells(r, columns)) + f"  {flags}  {one_line(r.file)}")
    lines.append("  ".join(f"{n} {c}" for n, c in enumerate(columns, start=1)))
    lines.append(f"{len(reports)} contracts")
    return "\n".join(lines) + "\n"
