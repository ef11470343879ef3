"""Nothing a contract or its file name says is obeyed: not by a terminal, a spreadsheet, Markdown or a page.

Each test builds its hostile contract at test time (tests/hostile_content.py) and goes through what a user
runs: `contract-audit audit` and `dispute` in-process, the summary files, the rendered Markdown. Markdown
is rendered to HTML with markdown-it (CommonMark with raw HTML, GFM tables and strikethrough) to show
that no tag, link or image comes out of it. The desk's own requests are recorded in tests/test_browser.py.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from auditor.cli import main
from auditor.dispute.brief import build_brief
from auditor.dispute.render import to_markdown as brief_markdown
from auditor.pipeline import audit, audit_text
from auditor.report.render import to_csv, to_markdown, to_text
from auditor.report.words import markdown_safe, one_line, report_word, spreadsheet_safe, terminal_safe
from tests.hostile_content import (
    CITED,
    FORMULA_NAMES,
    MARKUP_PAYLOAD,
    PIXEL,
    TERMINAL_CONTROL,
    TERMINAL_PAYLOAD,
    ZH_TEXT,
    injected_contract,
)

AUDIT = ("--no-db", "--workers", "1")


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)


def _no_markup(markdown: str) -> None:
    """The rendered Markdown holds no tag from the contract: no link, image, script or raw HTML."""
    page = _html(markdown)
    for tag in ("<img", "<a ", "<script", "<b>", 'src="', 'href="'):
        assert tag not in page, (tag, page[page.find(tag) - 200 : page.find(tag) + 200])
    assert not re.search(r"https?://|www\.|[\w.+-]@", page)  # no bare address GFM (the desk's) would link
    assert "pixel.png" in page  # the contract's words are still there, as text


def test_injection_text_report_paints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "合同\x1b[31m\x1b]8;;http:198.51.100.7\x07\n ✔ 通过\u202e.txt"
    path = tmp_path / name
    path.write_text(injected_contract(TERMINAL_PAYLOAD, CITED), encoding="utf-8")
    clean = to_text(audit_text(ZH_TEXT, name="contract.txt")).splitlines()

    assert main(["audit", str(path), *AUDIT, "--verbose"]) == 0  # with the quoted evidence
    out = capsys.readouterr()

    assert not TERMINAL_CONTROL.search(out.out + out.err)
    assert "违约责任 [通过]" in out.out  # the payload's words are printed, as plain text in a quote
    checks = [line for line in out.out.splitlines() if line.startswith((" ✔", " ▲", " ✖"))]
    assert checks == [line for line in clean if line.startswith((" ✔", " ▲", " ✖"))]  # as printed, unpainted
    assert out.out.splitlines()[0] == f"== {one_line(terminal_safe(name))}"  # the name on one line


def test_injection_error_line_is_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "空\x1b[2J\x1b[H\r\nOK: all checks pass\x9b1m.txt"
    path.write_bytes(b"")

    assert main(["audit", str(path), *AUDIT]) == 2
    out = capsys.readouterr()

    assert not TERMINAL_CONTROL.search(out.out + out.err)
    lines = out.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("contract-audit: ") and lines[0].endswith("the file is empty")


def test_injection_dispute_error_is_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "\x1b[2Kbrief\n.txt"
    path.write_bytes(b"   \n")

    assert main(["dispute", str(path), "--scenario", "non_delivery"]) == 2
    err = capsys.readouterr().err

    assert not TERMINAL_CONTROL.search(err) and len(err.splitlines()) == 1 and "no readable text" in err


def test_injection_summary_csv_and_xlsx_hold_no_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name in FORMULA_NAMES:
        (folder / name).write_text(ZH_TEXT, encoding="utf-8")
    (folder / "=cmd|'calc'!A1.txt").write_bytes(b"")  # an error row: its file name and message too
    csv_path, xlsx_path = tmp_path / "summary.csv", tmp_path / "summary.xlsx"

    assert main(["audit", str(folder), *AUDIT, "--format", "csv", "--summary", str(xlsx_path)]) == 2
    printed = capsys.readouterr().out
    assert main(["audit", str(folder), *AUDIT, "--summary", str(csv_path)]) == 2

    for text in (printed, csv_path.read_text(encoding="utf-8-sig")):
        # the summary file's header speaks the batch's language; the file comes first, the error last
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == len(FORMULA_NAMES) + 1 and header[-1] in {"error", report_word("unreadable", "zh")}
        for row in rows:
            assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row if v), row
            assert row[0].startswith("'") or row[-1]  # an error row names the file by its path
    sheet = load_workbook(xlsx_path).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert cells and all(cell.data_type in {"s", "n"} for cell in cells)  # no "f": nothing is a formula
    names = sorted(c.value for c in cells if c.column == 1)
    assert names == sorted([str(folder / "=cmd|'calc'!A1.txt"), *(f"'{n}" for n in FORMULA_NAMES)])


def test_injection_markdown_report_carries_no_markup() -> None:
    report = audit_text(injected_contract(MARKUP_PAYLOAD), name=f"![x]({PIXEL}).md")
    markdown = to_markdown(report)

    _no_markup(markdown)
    assert markdown_safe(PIXEL) in markdown


def test_injection_markdown_report_suggestion_fence_holds(tmp_path: Path) -> None:
    report = audit_text(injected_contract("````\n<img src=x>"), name="fence.txt")
    assert "<img" not in _html(to_markdown(report))


def test_injection_dispute_brief_carries_no_markup() -> None:
    report = audit_text(injected_contract(MARKUP_PAYLOAD), name="brief.txt")
    for scenario in ("non_delivery", "kpi_missed", "early_exit"):
        _no_markup(brief_markdown(build_brief(report, scenario)))


def test_injection_dispute_cli_prints_no_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.txt"
    path.write_text(injected_contract(MARKUP_PAYLOAD + TERMINAL_PAYLOAD, CITED), encoding="utf-8")
    assert main(["dispute", str(path), "--scenario", "non_delivery"]) == 0
    out = capsys.readouterr().out
    _no_markup(out)
    assert not TERMINAL_CONTROL.search(out)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'=1"),
        ("合同.txt", "合同.txt"),
        (3, 3),
        (None, None),
    ],
)
def test_injection_spreadsheet_safe_follows_owasp(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected


def test_injection_csv_of_audited_reports_is_neutralised() -> None:
    report = audit(ZH_TEXT.encode(), filename="=2+5.txt")
    assert "'=2+5.txt" in to_csv([report])


def test_injection_desk_error_display_links_nowhere() -> None:
    """Streamlit puts "Ask Google / ChatGPT" links carrying an error's text (which may quote the contract)
    under any error shown on localhost; the desk turns them off.
    """
    from auditor.ui.launch import command

    assert "--client.showErrorLinks=false" in command()
