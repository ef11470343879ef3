"""The provider perspective (auditor/perspective.py, auditor/checks_provider/): the same contracts read for
the other side flip the findings, and the provider's checks are registered like the client's.
"""

from __future__ import annotations

import pytest

from auditor.checks import CHECKS, PROVIDER_CHECKS
from auditor.lexicon import LEXICON_DIR
from auditor.model import AuditReport, Status
from auditor.pipeline import audit
from tests.conftest import SAMPLES

CLIENT_FRIENDLY = "zh_01_douyin_operation.docx"  # labelled pass on every client check
PROVIDER_FRIENDLY = "zh_02_douyin_package.txt"  # full prepayment, disclaimers, client forfeits everything


def _non_pass(report: AuditReport) -> set[str]:
    return {f.check_id for f in report.findings if f.status is not Status.PASS}


@pytest.fixture(scope="module")
def reports() -> dict[tuple[str, str], AuditReport]:
    return {
        (name, side): audit(SAMPLES / name, perspective=side)  # type: ignore[arg-type]
        for name in (CLIENT_FRIENDLY, PROVIDER_FRIENDLY)
        for side in ("client", "provider")
    }


def test_perspective_provider_checks_have_lexicons_and_docstrings() -> None:
    for check in PROVIDER_CHECKS:
        assert check.id.startswith("provider_")
        assert (LEXICON_DIR / f"{check.id}.toml").is_file()
        assert "What it checks:" in check.doc and "Why it matters:" in check.doc


def test_perspective_provider_lists_provider_findings_instead(reports: dict[tuple[str, str], AuditReport]) -> None:
    report = reports[(CLIENT_FRIENDLY, "provider")]
    assert [f.check_id for f in report.findings] == [c.id for c in PROVIDER_CHECKS]
    assert report.perspective == "provider"
    assert report.to_dict()["perspective"] == "provider"


def test_perspective_flips_on_the_sample_pair(reports: dict[tuple[str, str], AuditReport]) -> None:
    # for the client, the client-friendly contract is clean and the provider-friendly one is not
    assert not _non_pass(reports[(CLIENT_FRIENDLY, "client")])
    assert len(_non_pass(reports[(PROVIDER_FRIENDLY, "client")])) == len(CHECKS)
    # for the provider, it is the other way round
    assert len(_non_pass(reports[(CLIENT_FRIENDLY, "provider")])) > len(
        _non_pass(reports[(PROVIDER_FRIENDLY, "provider")])
    )


def test_perspective_client_friendly_contract_hurts_the_provider(reports: dict[tuple[str, str], AuditReport]) -> None:
    report = reports[(CLIENT_FRIENDLY, "provider")]
    cap = report.finding("provider_liability_cap")
    assert cap.status is Status.MISSING
    assert "没有赔偿总额上限" in cap.reasons[0]
    assert cap.evidence and cap.suggestion and "累计不超过" in cap.suggestion
    assert report.finding("provider_client_cooperation").status is Status.WEAK


def test_perspective_provider_friendly_contract_protects_the_provider(
    reports: dict[tuple[str, str], AuditReport],
) -> None:
    report = reports[(PROVIDER_FRIENDLY, "provider")]
    assert report.finding("provider_payment_terms").status is Status.PASS  # paid in full on signing
    assert report.finding("provider_client_termination").status is Status.PASS  # client's exit forfeits all
    assert report.finding("provider_client_cooperation").status is Status.PASS  # no KPI promised


def test_perspective_provider_keeps_only_shared_red_flags(reports: dict[tuple[str, str], AuditReport]) -> None:
    assert reports[(PROVIDER_FRIENDLY, "client")].red_flags
    assert not reports[(PROVIDER_FRIENDLY, "provider")].red_flags


def test_perspective_provider_check_en_uncapped_and_capped() -> None:
    assert (
        audit(SAMPLES / "en_04_software_sow.docx", perspective="provider").finding("provider_liability_cap").status
        is Status.PASS
    )


def test_perspective_app_sidebar_playbook_and_side() -> None:
    from streamlit.testing.v1 import AppTest

    from auditor.report.words import markdown_safe

    at = AppTest.from_file(str(SAMPLES.parent / "app.py"), default_timeout=120)
    at.run()
    at.radio(key="mode").set_value("sample").run()
    at.selectbox(key="playbook").set_value("auto").run()
    assert not at.exception
    assert any(markdown_safe("short_video_operation") in c.value for c in at.caption)  # shown as text
    at.segmented_control(key="perspective").set_value("provider").run()
    assert not at.exception
    assert any("乙方" in c.value for c in at.caption)
