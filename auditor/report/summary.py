"""The portfolio view of a batch: the summary table (CSV/xlsx), the status heatmap (PNG/HTML), and the
counts printed on stderr when a batch ends.

Rows are the batch's results in path order; columns are the checks in rubric order. Statuses are only
read here, never computed. The table and the heatmap are for people: they speak the batch's language (the
`--lang` asked for, else the one most of its contracts are written in), with the checks' titles and the
status words of the reports; the HTML keeps each check's id beside its title.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.checks import all_checks
from auditor.model import AuditReport, Lang, Status
from auditor.report import render
from auditor.report.render import Result, columns, table_fields
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


@dataclass(frozen=True, slots=True)
class Row:
    """What the portfolio view and the counts need of one result: its summary row, not the report.

    A batch keeps one of these per contract for --summary and --chart (a few hundred bytes, where the
    report is tens of KB), so the reports themselves can be written out and dropped as they come.
    """

    fields: dict[str, Any]  # render.summary_row: file, language, a status per check, red flags; or the error
    statuses: dict[str, str]  # check id → status (a Status value), in the report's order; empty for an error
    titles: dict[str, str]  # check id → title for the checks the registry does not know (a playbook's items)

    @classmethod
    def of(cls, result: Result) -> Row:
        """The row of a report or of an error entry."""
        if not isinstance(result, AuditReport):
            return cls(render.summary_row(result), {}, {})
        registered = _registered()
        return cls(
            render.summary_row(result),
            {f.check_id: f.status for f in result.findings},
            {f.check_id: f.title for f in result.findings if f.check_id not in registered},
        )

    @property
    def name(self) -> str:
        """The file's name, as the report gives it."""
        return str(self.fields["file"])

    @property
    def error(self) -> str | None:
        """Why the file could not be audited, or None for a report."""
        return self.fields.get("error")

    @property
    def flags(self) -> int:
        """How many red flags the report raised."""
        return int(self.fields.get("red_flags", 0))


@functools.cache
def _registered() -> dict[str, Any]:
    """The registered checks by id (the registry is fixed: built once, asked once per result)."""
    return {c.id: c for c in all_checks()}


def _columns(rows: Sequence[Row]) -> tuple[str, ...]:
    """The batch's check columns (`render.check_columns`), from its rows."""
    return columns(c for r in rows for c in r.statuses)


def _cells(row: Row, columns: Sequence[str]) -> list[str]:  # Status values are str
    """The row's colour keys: one status per column, or "error" across the row."""
    if row.error is not None:
        return [ERROR] * len(columns)
    return [row.statuses.get(c, NOT_RUN) for c in columns]


def batch_lang(rows: Sequence[Row], lang: Lang | None = None) -> Lang:
    """The language of a batch's portfolio view: `lang` when asked for, else the language most of its
    contracts are written in (Chinese on a tie).
    """
    if lang is not None:
        return lang
    written = Counter(r.fields["language"] for r in rows if r.error is None)
    return "en" if written["en"] > written["zh"] else "zh"


def _titles(rows: Sequence[Row], columns: Sequence[str], lang: Lang) -> list[str]:
    """Each column's check title in `lang`; a playbook's required item keeps the title its report gave it
    (the last report's, when reports differ).
    """
    registered = _registered()
    given = {c: t for r in rows for c, t in r.titles.items()}
    return [registered[c].lexicon.title[lang] if c in registered else given.get(c) or c for c in columns]


def _word(key: str, lang: Lang) -> str:
    """A status (pass, weak, missing), "error" or "-" as the reports say it."""
    return NOT_RUN if key == NOT_RUN else report_word("unreadable" if key == ERROR else key, lang)


# --- the summary table ------------------------------------------------------------------------------


def write_summary(results: Sequence[Row], path: Path, lang: Lang | None = None) -> None:
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


def _table(results: Sequence[Row], lang: Lang) -> tuple[list[str], list[list[object]]]:
    """The summary's header and rows in `lang`: a check's title over its column, the status words."""
    columns = _columns(results)
    fields = table_fields(columns)
    titles = dict(zip(columns, _titles(results, columns, lang), strict=True))
    names = {"red_flags": "red_flag_count", "red_flag_ids": "red_flags", "error": "unreadable"}
    header = [titles.get(f) or report_word(names.get(f, f), lang) for f in fields]
    rows = []
    for result in results:
        cells = dict(zip(columns, _cells(result, columns), strict=True)) if result.error is None else {}
        rows.append([_word(cells[f], lang) if f in cells else result.fields.get(f) for f in fields])
    return header, rows


def _write_xlsx(results: Sequence[Row], header: list[str], rows: list[list[object]], path: Path) -> None:
    """Coloured status cells, a frozen header and file column, and filters on every column; every text
    cell is a string cell, never a formula, whatever the file name or error says.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    columns = _columns(results)
    fields = table_fields(columns)
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
            elif field == "error" and result.error is not None:
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


def write_chart(results: Sequence[Row], path: Path, lang: Lang | None = None) -> None:
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


def _heatmap_png(results: Sequence[Row], path: Path, lang: Lang) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    keys = [Status.PASS, Status.WEAK, Status.MISSING, ERROR, NOT_RUN]
    columns = _columns(results)
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
        ax.set_yticks(range(len(results)), [r.name for r in results], fontsize=8)
        ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(results))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        for y, r in enumerate(results):
            if r.flags:
                flags = report_word("flag_count", lang, n=r.flags)
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


def _heatmap_html(results: Sequence[Row], lang: Lang) -> str:
    """A table a browser renders with its own CJK fonts; the status is written in each cell as well as
    coloured, for readers who cannot tell the colours apart; each check's id is kept beside its title.
    """
    columns = _columns(results)
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
        extra = html.escape(r.error) if r.error is not None else html.escape(r.fields["red_flag_ids"])
        rows.append(f"<tr><th>{html.escape(r.name)}</th>{cells}<td class=x>{extra}</td></tr>")
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


class Counts:
    """The counts printed on stderr when a batch ends, added up as the results come, so that no report
    (nor row) has to be kept for them.
    """

    def __init__(self) -> None:
        self.contracts = 0
        self.errors = 0
        self._tally: Counter[tuple[str, str]] = Counter()
        self._checks: dict[str, None] = {}  # every check id met, first met first
        self._flags = 0
        self._flagged = 0

    def add(self, row: Row) -> None:
        """Count one more result."""
        self.contracts += 1
        self.errors += row.error is not None
        self._tally.update(row.statuses.items())
        self._checks.update(dict.fromkeys(row.statuses))
        self._flags += row.flags
        self._flagged += row.flags > 0

    def text(self, from_store: int) -> str:
        """Per check, how many contracts pass, are weak, are missing; red flags; errors."""
        checks = columns(self._checks)
        width = max(len(c) for c in checks)
        tally = self._tally
        lines = [
            f"{self.contracts} contracts: {self.contracts - from_store} audited, {from_store} from the store, "
            f"{self.errors} {'error' if self.errors == 1 else 'errors'}",
            f"{'':{width}}  {'pass':>5} {'weak':>5} {'missing':>8}",
        ]
        lines += [
            f"{c:{width}}  {tally[c, Status.PASS]:>5} {tally[c, Status.WEAK]:>5} {tally[c, Status.MISSING]:>8}"
            for c in checks
        ]
        lines.append(f"red flags: {self._flags} in {self._flagged} contracts")
        return "\n".join(lines) + "\n"


def listing(reports: Sequence[AuditReport]) -> str:
    """Stored results for a terminal: a status mark per check (columns numbered, legend below), the red
    flags, then the file.
    """
    mark = {**MARK, NOT_RUN: NOT_RUN}
    rows = [Row.of(r) for r in reports]
    checks = _columns(rows)
    lines = [" ".join(str(n) for n in range(1, len(checks) + 1)) + "  red flags / file"]
    for r, row in zip(reports, rows, strict=True):
        flags = ",".join(f.flag_id for f in r.red_flags) or "-"
        lines.append(" ".join(mark[s] for s in _cells(row, checks)) + f"  {flags}  {one_line(r.file)}")
    lines.append("  ".join(f"{n} {c}" for n, c in enumerate(checks, start=1)))
    lines.append(f"{len(reports)} contracts")
    return "\n".join(lines) + "\n"
