"""Playbooks (auditor/playbook.py): bundled ones validate, a custom one changes outcomes as configured,
invalid ones are rejected with the line and field named, and no playbook leaves the report untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.checks import CHECKS
from auditor.pipeline import audit, audit_text
from auditor.review.playbook import PlaybookError, bundled_names, load_playbook, parse_playbook
from tests.conftest import SAMPLES

BUNDLED = ("en_services", "general_services", "influencer_livestream", "short_video_operation", "software_development")

# 40% is paid on signing: within the rubric's 50% ceiling, above a stricter team's 30%.
FORTY_UPFRONT = """服务合同
甲方（委托方）：武汉楚天粮油有限公司
乙方（服务方）：武汉江城映像文化传媒有限公司
第五条 付款方式
5.1 合同签订后5个工作日内，甲方支付合同总价的40%作为预付款。
5.2 全部视频经甲方验收合格后10个工作日内，甲方支付剩余60%。
"""

STRICT = """name: strict_team
title: {zh: 严格付款, en: Strict payment}
thresholds:
  max_upfront_percent: 30
checks:
  staged_payment:
    severity: high
    suggestion:
      zh: 本团队付款条款：{client}预付不超过30%。
      en: "Our payment clause: {client} pays at most 30% up front."
  kpi_remedies: {enabled: false}
required_items:
  - id: confidentiality
    title: {zh: 保密, en: Confidentiality}
    cues: {zh: ['保密'], en: ['confidential']}
    suggestion: {zh: 双方应保密。, en: The parties keep this confidential.}
"""


def test_playbook_bundled_names() -> None:
    assert bundled_names() == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_playbook_bundled_validates(name: str) -> None:
    playbook = load_playbook(name)
    assert playbook.name == name
    assert playbook.title.zh and playbook.title.en


@pytest.mark.parametrize("name", BUNDLED)
def test_playbook_bundled_runs_on_a_sample(name: str) -> None:
    report = audit(SAMPLES / "zh_01_douyin_operation.docx", playbook=name)
    assert report.playbook == name
    assert all(f.severity for f in report.findings)


def test_playbook_custom_stricter_upfront_turns_pass_into_weak() -> None:
    assert audit_text(FORTY_UPFRONT).finding("staged_payment").status.value == "pass"
    finding = audit_text_with(FORTY_UPFRONT, parse_playbook(STRICT)).finding("staged_payment")
    assert finding.status.value == "weak"
    assert any("40%" in r for r in finding.reasons)
    assert finding.suggestion == "本团队付款条款：甲方预付不超过30%。"
    assert finding.severity == "high"


def test_playbook_custom_disables_a_check_and_adds_a_required_item() -> None:
    report = audit_text_with(FORTY_UPFRONT, parse_playbook(STRICT))
    ids = [f.check_id for f in report.findings]
    assert "kpi_remedies" not in ids
    item = report.finding("confidentiality")
    assert item.status.value == "missing"
    assert item.suggestion == "双方应保密。"
    with_it = audit_text_with(FORTY_UPFRONT + "第九条 乙方应对甲方资料保密。\n", parse_playbook(STRICT))
    assert with_it.finding("confidentiality").status.value == "pass"
    assert with_it.finding("confidentiality").evidence


def test_playbook_software_rejects_forty_percent_up_front() -> None:
    finding = audit_text_with(FORTY_UPFRONT, load_playbook("software_development")).finding("staged_payment")
    assert finding.status.value == "weak"
    assert any("30%" in r for r in finding.reasons)


def test_playbook_none_keeps_the_report_unchanged() -> None:
    path = SAMPLES / "zh_02_douyin_package.txt"
    data = audit(path).to_dict()
    assert [c["id"] for c in data["checks"]] == [c.id for c in CHECKS]
    assert not {"playbook", "perspective", "contract_type"} & data.keys()
    assert all("severity" not in c for c in data["checks"])


def test_playbook_json_carries_playbook_and_contract_type() -> None:
    data = json.loads(json.dumps(audit(SAMPLES / "zh_02_douyin_package.txt", playbook="auto").to_dict()))
    assert data["playbook"] == "short_video_operation"
    assert data["perspective"] == "client"
    assert data["contract_type"]["kind"] == "short_video"
    assert "代运营" in data["contract_type"]["cues"]


@pytest.mark.parametrize(
    ("sample", "kind", "playbook"),
    [
        ("zh_01_douyin_operation.docx", "short_video", "short_video_operation"),
        ("zh_08_miniprogram_dev.docx", "software_development", "software_development"),
        ("en_03_influencer.txt", "influencer_promotion", "influencer_livestream"),
        ("zh_09_seo_service.txt", "marketing", "general_services"),
        ("zh_20_service_fee_receipt.txt", "general", "general_services"),
        ("en_04_software_sow.docx", "software_development", "software_development"),
    ],
)
def test_playbook_contract_type_detected_with_evidence(sample: str, kind: str, playbook: str) -> None:
    report = audit(SAMPLES / sample, playbook="auto")
    assert report.contract_type is not None
    assert (report.contract_type.kind, report.contract_type.playbook) == (kind, playbook)
    assert report.playbook == playbook
    assert report.contract_type.reason
    if kind != "general":
        assert len(report.contract_type.cues) >= 2


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (
            "name: x\ntitle: {zh: a, en: b}\nthresholds:\n  max_upfront_percent: 150\n",
            4,
            "thresholds.max_upfront_percent",
            "less than or equal to 100",
        ),
        (
            "name: x\ntitle: {zh: a, en: b}\nchecks:\n  staged_payment:\n    severity: urgent\n",
            5,
            "checks.staged_payment.severity",
            "'high', 'medium' or 'low'",
        ),
        ("name: x\ntitle: {zh: a}\n", 2, "title.en", "Field required"),
        (
            "name: x\ntitle: {zh: a, en: b}\nchecks:\n  no_such_check: {severity: high}\n",
            4,
            "checks.no_such_check",
            "unknown check",
        ),
        (
            "name: x\ntitle: {zh: a, en: b}\nchecks:\n  staged_payment:\n    values:\n      max_upfrnt: 30\n",
            6,
            "checks.staged_payment.values.max_upfrnt",
            "unknown value",
        ),
        (
            "name: x\ntitle: {zh: a, en: b}\nrequired_items:\n  - id: nda\n    title: {zh: a, en: b}\n"
            "    cues: {zh: ['保密('], en: ['x']}\n    suggestion: {zh: a, en: b}\n",
            6,
            "required_items.0.cues.zh",
            "does not compile",
        ),
        (
            "name: x\ntitle: {zh: a, en: b}\nthreshold:\n  max_upfront_percent: 30\n",
            3,
            "threshold",
            "Extra inputs are not permitted",
        ),
        ("name: x\ntitle: [zh: a\n", 3, "", "not valid YAML"),
    ],
)
def test_playbook_invalid_names_line_and_field(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(PlaybookError) as err:
        parse_playbook(text, "mine.yaml")
    message = str(err.value)
    assert message.startswith("mine.yaml: ")
    assert f"line {line}: {field}" in message
    assert words in message


def test_playbook_unknown_bundled_name_lists_the_bundled_ones() -> None:
    with pytest.raises(PlaybookError, match="short_video_operation"):
        load_playbook("nope")


def test_playbook_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "strict.yaml"
    path.write_text(STRICT, encoding="utf-8")
    assert load_playbook(path).name == "strict_team"


def audit_text_with(text: str, playbook: object) -> object:
    """`audit_text` has no playbook parameter: go through the loaded document."""
    from auditor.load import load_text
    from auditor.pipeline import audit_document

    return audit_document(load_text(text, "t.txt"), playbook=playbook)  # type: ignore[arg-type]


def test_playbook_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.cli import main

    assert main(["playbook", "list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in BUNDLED)


def test_playbook_cli_show_is_a_valid_start(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from auditor.cli import main

    assert main(["playbook", "show", "software_development"]) == 0
    copy = tmp_path / "mine.yaml"
    copy.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["playbook", "check", str(copy)]) == 0
    assert main(["playbook", "show", "nope"]) == 2


def test_playbook_cli_check_invalid_exits_2_with_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from auditor.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\ntitle: {zh: a, en: b}\nchecks:\n  staged_payment:\n    severity: urgent\n", encoding="utf-8"
    )
    assert main(["playbook", "check", str(bad)]) == 2
    assert "line 5: checks.staged_payment.severity" in capsys.readouterr().err


def test_playbook_cli_audit_with_playbook_and_perspective(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from auditor.cli import main

    strict = tmp_path / "strict.yaml"
    strict.write_text(STRICT, encoding="utf-8")
    contract = tmp_path / "c.txt"
    contract.write_text(FORTY_UPFRONT, encoding="utf-8")
    common = ["--no-db", "--workers", "1", "--format", "json"]
    assert main(["audit", str(contract), *common, "--playbook", str(strict)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["playbook"] == "strict_team"
    assert {c["id"]: c["status"] for c in data["checks"]}["staged_payment"] == "weak"
    assert main(["audit", str(contract), *common, "--perspective", "provider"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["perspective"] == "provider"
    assert data["checks"][0]["id"] == "provider_liability_cap"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    assert main(["audit", str(contract), *common, "--playbook", str(bad)]) == 2
    assert "title: Field required" in capsys.readouterr().err
