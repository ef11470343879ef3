"""Reasons that agree with the contract (auditor/rules/claims.py): a reason saying the contract is silent is
not shown when it speaks, two reasons that contradict each other are not shown together, and quotes come
from the clause that does the check's job — over every sample and fixture, not one example.
"""

from __future__ import annotations

import pytest

from auditor.checks import get_check
from auditor.lexicon import LexiconError, _parse
from auditor.model import AuditReport, Finding, Status
from auditor.pipeline import audit_text
from auditor.rules.claims import contradictions, foreign_quotes, reason_key
from auditor.rules.reading import CheckInput
from auditor.rules.wording import typed_lexicon
from tests.conftest import audited, every_contract

HEAD = "甲方：上海云杉商贸有限公司\n乙方：杭州青禾文化传媒有限公司\n"
SCOPE = "第一条 服务内容\n乙方为甲方提供抖音账号代运营服务，每周发布3条原创短视频。"
TERM = "服务期自2025年1月1日至2025年12月31日。"


def _bound(report: AuditReport, finding: Finding) -> CheckInput:
    """The contract read through the lexicon the finding's check ran with."""
    assert report.contract is not None
    facts = report.contract.key_facts
    lexicon = typed_lexicon(get_check(finding.check_id).lexicon, facts.type, facts.governing_law)
    return CheckInput(report.contract, lexicon)


def _keys(report: AuditReport, check_id: str) -> list[str | None]:
    finding = report.finding(check_id)
    inp = _bound(report, finding)
    return [reason_key(inp, text) for text in (*finding.reasons, *finding.notes)]


@pytest.mark.parametrize("name", every_contract())
def test_claims_no_reason_contradicts_the_contract_or_another_reason(name: str) -> None:
    report = audited(name)
    for finding in report.findings:
        inp = _bound(report, finding)
        assert contradictions(finding, inp) == [], finding.check_id
        assert foreign_quotes(finding, inp) == [], finding.check_id
        assert finding.status is Status.PASS or finding.reasons, finding.check_id


def test_claims_ad_spend_the_contract_excludes_is_not_called_open() -> None:
    settled = audit_text(HEAD + SCOPE + TERM + "投流费用不包含在服务费内，由甲方另行承担。")
    silent = audit_text(HEAD + SCOPE + TERM + "乙方负责投流。")
    assert "ad_spend_open" not in _keys(settled, "scope_volume")
    assert "ad_spend_open" in _keys(silent, "scope_volume")


def test_claims_a_fee_left_to_agree_is_neither_one_payment_nor_instalments() -> None:
    report = audit_text(HEAD + SCOPE + TERM + "\n第二条 费用\n服务费用由双方另行协商确定，甲方按约定支付。")
    assert _keys(report, "staged_payment") == ["dates_open"]


def test_claims_one_payment_without_a_date_is_said_as_one() -> None:
    report = audit_text(HEAD + SCOPE + TERM + "\n第二条 费用\n甲方向乙方支付服务费人民币30,000元。")
    keys = _keys(report, "staged_payment")
    assert "single_payment" in keys and "no_trigger" not in keys and "no_due_date" in keys


def test_claims_a_law_the_contract_names_is_not_said_missing() -> None:
    text = HEAD + SCOPE + TERM + "\n第三条 争议\n本合同受香港法律管辖。争议提交香港国际仲裁中心仲裁。"
    report = audit_text(text)
    assert report.key_facts is not None and report.key_facts.governing_law == "HK"
    assert "no_governing_law" not in _keys(report, "dispute_forum")


def test_claims_a_force_majeure_clause_is_not_quality_evidence() -> None:
    quality = "\n第二条 验收\n视频分辨率不低于1080P，甲方于3个工作日内验收。"
    force_majeure = "\n第三条 不可抗力\n因不可抗力不能按标准交付的，乙方不承担责任。"
    text = HEAD + SCOPE + TERM + quality + force_majeure
    finding = audit_text(text).finding("quality_standards")
    assert finding.evidence and not any("不可抗力" in e.text for e in finding.evidence)


@pytest.mark.parametrize(
    ("claim", "error"),
    [
        ({"absent": ["nowhere"]}, "no cue named 'nowhere'"),
        ({"unless": ["nothing"]}, "no reason named 'nothing'"),
        ({"known": ["price"]}, "no fact named 'price'"),
        ({"because": ["x"]}, "use only"),
    ],
)
def test_claims_a_claim_names_what_its_lexicon_has(claim: dict[str, list[str]], error: str) -> None:
    data = {
        "cues": {"seen": {"zh": ["x"], "en": ["x"]}},
        "reasons": {"said": {"zh": "x", "en": "x"}},
        "claims": {"said": claim},
    }
    with pytest.raises(LexiconError, match=error):
        _parse("t", data)


def test_claims_an_exit_with_a_refund_is_not_said_to_settle_nothing() -> None:
    exit_clause = "\n第二条 解除\n乙方逾期超过＿日的，甲方有权解除本合同，要求乙方退回未完成工作部分对应的款项。"
    keys = _keys(audit_text(HEAD + SCOPE + TERM + exit_clause), "termination_penalties")
    assert "exit_blank" in keys and "no_refund" not in keys


def test_claims_a_forfeit_on_the_clients_own_exit_is_not_called_unsettled() -> None:
    exits = "\n第二条 解除\n乙方违约的，甲方有权解除本合同。\n甲方提前解除合同的，已支付的全部费用不予退还。"
    keys = _keys(audit_text(HEAD + SCOPE + TERM + exits), "termination_penalties")
    assert "forfeit_all" in keys and "no_refund_on_breach" in keys and "no_refund" not in keys
