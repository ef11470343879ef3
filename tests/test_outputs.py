"""Every output shows whatever checks ran: the client's checklist, the provider's, a playbook's selection
and its required items, or a check registered tomorrow — each with its own column, never a copy of a list.

The last test registers a throwaway check (module-free: a `Check` with its own lexicon file) and finds it
in the JSON, the CSV, the XLSX, the heatmap, `report --check` and the review desk.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from auditor import checks, lexicon
from auditor.checks import CHECKS, PROVIDER_CHECKS, Check
from auditor.cli import main
from auditor.dispute.brief import build_brief
from auditor.model import Finding, Status
from auditor.pipeline import audit
from auditor.report import render, summary
from auditor.report.words import report_word
from auditor.rules.reading import CheckInput
from tests.conftest import ROOT, SAMPLES

SAMPLE = "zh_02_douyin_package.txt"
THROWAWAY = "throwaway_clause"


def _csv_header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["audit", str(SAMPLES / SAMPLE), "--no-db", "--format", "json", *args]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_outputs_provider_side_fills_every_status_column(tmp_path: Path) -> None:
    report = audit(SAMPLES / SAMPLE, perspective="provider")
    ids = [c.id for c in PROVIDER_CHECKS]
    rows = list(csv.DictReader(io.StringIO(render.to_csv([report]))))
    assert _csv_header(render.to_csv([report]))[2 : 2 + len(ids)] == ids
    assert all(rows[0][i] in {"pass", "weak", "missing"} for i in ids)
    summary.write_chart([summary.Row.of(report)], tmp_path / "h.png")  # was KeyError: 'scope_volume'
    summary.write_chart([summary.Row.of(report)], tmp_path / "h.html")
    assert all(i in (tmp_path / "h.html").read_text(encoding="utf-8") for i in ids)
    summary.write_summary([summary.Row.of(report)], tmp_path / "s.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "s.xlsx").active
    assert [c.value for c in ws[2]][2 : 2 + len(ids)] == [report_word(f.status.value, "zh") for f in report.findings]


def test_outputs_playbook_required_items_reach_the_csv(capsys: pytest.CaptureFixture[str]) -> None:
    report = audit(SAMPLES / SAMPLE, playbook="short_video_operation")
    required = [f.check_id for f in report.findings if f.check_id not in {c.id for c in CHECKS}]
    assert required
    header = _csv_header(render.to_csv([report]))
    assert set(required) <= set(header)
    assert set(required) <= {c["id"] for c in _cli_json(capsys, "--playbook", "short_video_operation")["checks"]}  # type: ignore[index, union-attr]


def test_outputs_dispute_brief_when_a_playbook_turns_the_forum_check_off(tmp_path: Path) -> None:
    playbook = tmp_path / "no_forum.yaml"
    playbook.write_text(
        "name: no_forum\ntitle: {zh: 不审争议条款, en: No forum check}\nchecks:\n  dispute_forum: {enabled: false}\n",
        encoding="utf-8",
    )
    report = audit(SAMPLES / "zh_01_douyin_operation.docx", playbook=str(playbook))
    assert "dispute_forum" not in [f.check_id for f in report.findings]
    brief = build_brief(report, "kpi_missed")  # was KeyError: 'dispute_forum'
    assert brief.forum.kind == "arbitration"
    assert brief.forum.name and "仲裁委员会" in brief.forum.name


def _throwaway_run(inp: CheckInput) -> Finding:
    hits = inp.hits("present")
    return inp.finding(
        Status.PASS if hits else Status.MISSING, [inp.reason("present" if hits else "absent")], inp.evidence(hits)
    )


@pytest.fixture()
def throwaway_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Check]:
    """One more registered check: its lexicon beside the bundled ones, one line in the registry."""
    folder = tmp_path / "lexicons"
    shutil.copytree(ROOT / "lexicons", folder)
    (folder / f"{THROWAWAY}.toml").write_text(
        '[meta]\ntitle = { zh = "临时条款", en = "Throwaway clause" }\n'
        '[cues.present]\nzh = ["争议"]\nen = ["dispute"]\n'
        '[reasons]\npresent = { zh = "有争议条款。", en = "A dispute clause." }\n'
        'absent = { zh = "没有争议条款。", en = "No dispute clause." }\n'
        '[suggestion]\nzh = "写上争议条款。"\nen = "Add a dispute clause."\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(lexicon, "LEXICON_DIR", folder)
    lexicon.load_lexicon.cache_clear()
    check = Check(id=THROWAWAY, run=_throwaway_run)
    monkeypatch.setattr(checks, "CHECKS", (*CHECKS, check))
    st.cache_data.clear()  # audits the desk cached before, without the new check
    yield check
    lexicon.load_lexicon.cache_clear()
    st.cache_data.clear()  # and the one made with it


def test_outputs_a_new_check_reaches_every_output(
    throwaway_check: Check, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _cli_json(capsys)
    assert [c["id"] for c in data["checks"]][-1] == THROWAWAY  # type: ignore[index]
    report = audit(SAMPLES / SAMPLE)
    assert _csv_header(render.to_csv([report]))[-4] == THROWAWAY
    assert THROWAWAY in render.to_text(report) or "临时条款" in render.to_text(report)
    summary.write_chart([summary.Row.of(report)], tmp_path / "h.html")
    assert THROWAWAY in (tmp_path / "h.html").read_text(encoding="utf-8")
    summary.write_chart([summary.Row.of(report)], tmp_path / "h.png")
    db = tmp_path / "a.sqlite"
    assert main(["audit", str(SAMPLES / SAMPLE), "--db", str(db), "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--check", THROWAWAY, "--status", "pass", "--format", "csv"]) == 0
    assert SAMPLE in capsys.readouterr().out
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.radio(key="mode").set_value("sample").run()
    at.sidebar.selectbox(key="sample").select(SAMPLE).run()
    assert not at.exception
    assert len(at.expander) == len(CHECKS) + 2  # the throwaway check and the facts panel
    assert any("临时条款" in e.label for e in at.expander)
