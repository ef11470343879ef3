"""The text report a busy owner reads: the counts and the fixes that matter most first, red flags by
severity, then the checks; evidence only with --verbose; --fail-on names what tripped it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.cli import main
from auditor.model import Status
from auditor.pipeline import audit
from auditor.report.render import TOP_FIXES, to_text, top_fixes

SAMPLES = Path(__file__).resolve().parent.parent / "sample_contracts"
NAMES = sorted(p.name for p in SAMPLES.glob("*_*.*") if p.suffix in (".txt", ".pdf", ".docx"))


@pytest.mark.parametrize("name", NAMES)
def test_text_report_opens_with_counts_and_top_fixes(name: str) -> None:
    report = audit(SAMPLES / name)
    lines = to_text(report).splitlines()
    fixes = top_fixes(report)
    assert lines[1].strip().startswith(("共 ", f"{len(report.findings)} checks"))
    assert len(fixes) == min(TOP_FIXES, sum(f.status is not Status.PASS for f in report.findings))
    ranks = [f.status.rank for f in fixes]
    assert ranks == sorted(ranks, reverse=True)  # missing before weak
    for i, f in enumerate(fixes, 1):
        assert lines[2 + i].strip().startswith(f"{i}. {f.title}")


@pytest.mark.parametrize("name", NAMES)
def test_text_report_flags_by_severity_and_evidence_only_in_full(name: str) -> None:
    report = audit(SAMPLES / name)
    standard, full = to_text(report), to_text(report, detail="full")
    flags = [line for line in standard.splitlines() if line.startswith("   ! ")]
    assert len(flags) == len(report.red_flags)
    order = [next(r.severity for r in report.red_flags if r.message in line) for line in flags]
    assert order == sorted(order, reverse=True)
    assert "     > " not in standard
    quoted = any(f.evidence for f in report.findings) or any(r.evidence for r in report.red_flags)
    assert ("     > " in full) == quoted


def test_text_report_fail_on_names_the_checks(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "zh_02_douyin_package.txt"
    assert main(["audit", str(path), "--no-db", "--workers", "1", "--fail-on", "missing"]) == 1
    err = capsys.readouterr().err
    assert "--fail-on missing: zh_02_douyin_package.txt: kpi_remedies (missing), staged_payment (missing)" in err


def test_text_report_verbose_quotes_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "zh_02_douyin_package.txt"
    assert main(["audit", str(path), "--no-db", "--workers", "1", "--verbose"]) == 0
    assert "     > " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("zh_22_livestream_commission.txt", "甲方所在地: 浙江省杭州市余杭区文一西路88号"),
        ("en_02_marketing_agency.docx", "Provider's address: 800 Brazos Street, Suite 1100, Austin, Texas 78701"),
    ],
)
def test_text_report_heads_with_where_each_party_is(name: str, line: str) -> None:
    assert line in to_text(audit(SAMPLES / name))


def test_text_report_writes_the_term_as_the_contract_writes_dates() -> None:
    assert "合同期限: 2025年3月1日 至 2025年5月31日" in to_text(audit(SAMPLES / "zh_22_livestream_commission.txt"))
