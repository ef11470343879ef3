"""Rendering (auditor/report.py): the documented JSON shape, Markdown with every check and the disclaimer,
CSV summary rows (with error rows), JSON Lines. Rendering only shapes what the pipeline decided.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import pytest

from auditor import audit
from auditor.checks import CHECKS
from auditor.lexicon import load_lexicon
from auditor.model import AuditReport
from auditor.report.render import (
    error_entry,
    summary_row,
    to_csv,
    to_json,
    to_jsonl,
    to_markdown,
    to_text,
)
from auditor.report.words import clause_label, markdown_safe
from tests.conftest import SAMPLES

# A zh contract with many red flags and an en one: between them every part of the shape is present.
REPORTS = ["zh_02_douyin_package.txt", "en_03_influencer.txt"]

# The public JSON shape documented in the README (more keys may be added, none of these removed).
REPORT_KEYS = {"file", "language", "parties", "checks", "red_flags"}
CHECK_KEYS = {"id", "status", "reasons", "evidence", "suggestion"}
EVIDENCE_KEYS = {"clause", "text", "page"}
FLAG_KEYS = {"id", "message", "evidence"}


@cache
def _report(name: str) -> AuditReport:
    return audit(SAMPLES / name)


def _error() -> dict[str, str]:
    return error_entry("broken.pdf", "broken.pdf: not a valid PDF")


@pytest.mark.parametrize("name", REPORTS)
def test_report_json_schema_keys(name: str) -> None:
    data = json.loads(to_json(_report(name)))
    assert data.keys() >= REPORT_KEYS
    assert [c["id"] for c in data["checks"]] == [c.id for c in CHECKS]
    for check in data["checks"]:
        assert check.keys() >= CHECK_KEYS
        assert check["status"] in {"pass", "weak", "missing"}
        assert all(e.keys() >= EVIDENCE_KEYS for e in check["evidence"])
    for flag in data["red_flags"]:
        assert flag.keys() >= FLAG_KEYS
        assert all(e.keys() >= EVIDENCE_KEYS for e in flag["evidence"])


@pytest.mark.parametrize("name", REPORTS)
def test_report_json_round_trips(name: str) -> None:
    report = _report(name)
    assert json.loads(to_json(report)) == json.loads(json.dumps(report.to_dict()))


def test_report_json_has_red_flags_with_evidence() -> None:
    data = json.loads(to_json(_report(REPORTS[0])))
    assert data["red_flags"] and all(flag["evidence"] for flag in data["red_flags"])


def test_report_json_keeps_chinese_readable() -> None:
    assert "\\u" not in to_json(_report(REPORTS[0]))


def test_report_json_error_entry() -> None:
    assert json.loads(to_json(_error())) == {"file": "broken.pdf", "error": "broken.pdf: not a valid PDF"}


@pytest.mark.parametrize("name", REPORTS)
def test_report_markdown_has_every_check_title(name: str) -> None:
    report = _report(name)
    md = to_markdown(report)
    for check in CHECKS:
        assert check.lexicon.title[report.language] in md


@pytest.mark.parametrize("name", REPORTS)
def test_report_markdown_has_disclaimer(name: str) -> None:
    report = _report(name)
    assert load_lexicon("report").reason("disclaimer", report.language) in to_markdown(report)


@pytest.mark.parametrize("name", REPORTS)
def test_report_markdown_quotes_evidence_and_suggestion(name: str) -> None:
    report = _report(name)
    md = to_markdown(report)
    for f in report.findings:
        assert all(markdown_safe(e.text) in md for e in f.evidence)  # as text, whatever it holds
        assert f.suggestion is None or f.suggestion in md


def test_report_markdown_lists_red_flags() -> None:
    report = _report(REPORTS[0])
    md = to_markdown(report)
    assert all(markdown_safe(flag.message) in md for flag in report.red_flags)


@pytest.mark.parametrize("name", REPORTS)
def test_report_text_one_line_per_check(name: str) -> None:
    report = _report(name)
    brief = to_text(report, detail="brief")
    assert all(sum(f.title in line for line in brief.splitlines()) == 1 for f in report.findings)


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_report_csv_header() -> None:
    text = to_csv([_report(REPORTS[0])])
    ids = [c.id for c in CHECKS]
    assert text.splitlines()[0].split(",") == ["file", "language", *ids, "red_flags", "red_flag_ids", "error"]


def test_report_csv_one_row_per_report_and_error() -> None:
    rows = _csv_rows(to_csv([_report(n) for n in REPORTS] + [_error()]))
    assert [r["file"] for r in rows] == [*REPORTS, "broken.pdf"]
    assert rows[-1]["error"] == "broken.pdf: not a valid PDF"
    assert rows[-1]["scope_volume"] == ""


@pytest.mark.parametrize("name", REPORTS)
def test_report_csv_row_has_each_status(name: str) -> None:
    report = _report(name)
    row = _csv_rows(to_csv([report]))[0]
    assert {f.check_id: row[f.check_id] for f in report.findings} == {
        f.check_id: f.status.value for f in report.findings
    }
    assert row["red_flag_ids"].split() == [r.flag_id for r in report.red_flags]


def test_report_summary_row_error() -> None:
    assert summary_row(_error()) == {"file": "broken.pdf", "error": "broken.pdf: not a valid PDF"}


def test_report_jsonl_one_line_per_report() -> None:
    entries = [_report(n) for n in REPORTS] + [_error()]
    lines = to_jsonl(entries).splitlines()
    assert len(lines) == len(entries)
    assert [json.loads(line)["file"] for line in lines] == [*REPORTS, "broken.pdf"]


def test_report_markdown_names_pdf_page(files_dir: Path) -> None:
    report = audit(files_dir / "contract_zh.pdf")
    pages = {e.page for f in report.findings for e in f.evidence}
    md = to_markdown(report)
    assert pages and all(load_lexicon("report").reason("page", "zh", page=p) in md for p in pages)


def test_report_text_names_playbook_side_and_severity(samples_dir: Path) -> None:
    report = audit(samples_dir / "zh_01_douyin_operation.docx", playbook="auto")
    text = to_text(report)
    assert "short_video_operation" in text and "甲方（委托方）" in text
    assert "重要性：" in text
    assert "重要性：" not in to_text(audit(samples_dir / "zh_01_douyin_operation.docx"))


# (the segmenter's reference, the report's language, the clause as the contract numbers it)
CLAUSE_LABELS = [
    ("第五条 2", "zh", "第五条第2款"),
    ("第二條 二", "zh", "第二條第二款"),
    ("第五条 （一）", "zh", "第五条（一）"),
    ("七 （一）", "zh", "七（一）"),
    ("七 1", "zh", "七、1"),
    ("4 一", "zh", "4.一"),
    ("2.1 （2）", "zh", "2.1（2）"),
    ("5.2", "zh", "5.2"),
    ("¶6", "zh", "第6段"),
    ("Section 1 (c)", "en", "Section 1(c)"),
    ("3.1 (b)", "en", "3.1(b)"),
    ("Section 3", "en", "Section 3"),
    ("¶6", "en", "para. 6"),
]


@pytest.mark.parametrize(("label", "lang", "cited"), CLAUSE_LABELS)
def test_report_clause_label_as_the_contract_numbers_it(label: str, lang: str, cited: str) -> None:
    assert clause_label(label, lang) == cited  # type: ignore[arg-type]


def test_report_text_cites_clauses_as_the_contract_numbers_them() -> None:
    text = to_text(_report("zh_15_annual_marketing.docx"), detail="full")
    assert "2.1（1）" in text and "2.1 （1）" not in text
