"""The rubric's "Reading real contracts" rulings, one test each, over small contracts in our own words.

Each ruling is general (it holds for every check it names), so each is tested where the rubric states it and,
where it is one shared rule, on more than one check.
"""

from __future__ import annotations

import pytest

from auditor import audit_text
from auditor.model import Status

HEAD_ZH = (
    "甲方：青石茶业有限公司\n乙方：星河传媒有限公司\n第一条 服务内容：乙方每周为甲方发布3条原创短视频，服务期为一年。\n"
)
HEAD_EN = (
    "Client: Bluestone Tea LLC\nAgency: Nova Media Inc.\n"
    "1. Services. The Agency shall publish 3 original videos per week for one year.\n"
)


@pytest.mark.parametrize(
    ("body", "check_id"),
    [
        ("第五条 违约责任\n违约责任按国家有关法律规定执行。", "breach_liability"),
        ("第六条 争议的解决办法：＿＿＿＿", "dispute_forum"),
        ("第七条 合同解除\n按法律规定办理。", "termination_penalties"),
    ],
)
def test_rubric_a_heading_with_nothing_behind_it_is_weak_not_missing(body: str, check_id: str) -> None:
    finding = audit_text(HEAD_ZH + body).finding(check_id)
    assert finding.status is Status.WEAK, finding.reasons
    assert finding.evidence


def test_rubric_a_word_inside_a_longer_title_is_not_the_heading() -> None:
    # "Term" is the contract's duration, not a termination clause
    finding = audit_text(HEAD_EN + "2. Term. This Agreement runs for twelve months.").finding("termination_penalties")
    assert finding.status is Status.MISSING


CHOICE = (
    "第九条 争议解决\n因本合同发生的争议，协商不成的，确定按以下第{n}种方式处理：\n"
    "（1）提交杭州仲裁委员会仲裁；\n（2）向甲方所在地人民法院起诉。\n第十条 其他\n本合同一式两份。"
)


def test_rubric_blank_choices_are_an_unfilled_blank_not_arbitration_or_litigation() -> None:
    report = audit_text(HEAD_ZH + CHOICE.format(n="      "))
    flags = {f.flag_id for f in report.red_flags}
    assert "unfilled_blank" in flags and "arbitration_or_litigation" not in flags
    assert report.finding("dispute_forum").status is Status.WEAK


@pytest.mark.parametrize(("n", "status"), [(" 1 ", Status.PASS), (" 2 ", Status.PASS)])
def test_rubric_the_chosen_option_is_judged_not_the_others(n: str, status: Status) -> None:
    report = audit_text(HEAD_ZH + CHOICE.format(n=n))
    finding = report.finding("dispute_forum")
    assert finding.status is status
    chosen = "杭州仲裁委员会" if n.strip() == "1" else "甲方所在地人民法院"
    assert all(chosen in e.text for e in finding.evidence), [e.text for e in finding.evidence]


def test_rubric_only_the_contracts_own_law_is_cited() -> None:
    body = (
        "9. Governing Law. This Agreement is governed by the laws of the State of Delaware.\n"
        "10. Disputes. Any dispute may be submitted to arbitration, or either party may bring it before the courts."
    )
    finding = audit_text(HEAD_EN + body).finding("dispute_forum")
    assert finding.status is Status.WEAK
    text = " ".join(finding.reasons)
    assert "Delaware" in text and "Chinese" not in text and "PRC" not in text


def test_rubric_a_governing_law_clause_alone_is_weak() -> None:
    body = "9. Governing Law. This Agreement is governed by the laws of the State of Delaware."
    assert audit_text(HEAD_EN + body).finding("dispute_forum").status is Status.WEAK


@pytest.mark.parametrize(
    "forum",
    ["因本合同发生的争议，由被告住所地人民法院管辖。", "因本合同发生的争议，由乙方住所地人民法院管辖。"],
)
def test_rubric_the_defendants_or_providers_home_court_is_weak(forum: str) -> None:
    assert audit_text(HEAD_ZH + "第九条 争议解决\n" + forum).finding("dispute_forum").status is Status.WEAK


@pytest.mark.parametrize(
    ("head", "client"),
    [
        ("甲方（提供培训方）：\n乙方（接受培训方）：\n", "乙方"),
        ("甲方（委托方）：\n乙方（受托方）：\n", "甲方"),
    ],
)
def test_rubric_the_client_is_the_party_that_receives_the_service_whatever_it_is_called(head: str, client: str) -> None:
    parties = audit_text(head + "第一条 培训内容：每周授课2次，每次90分钟。").parties
    assert parties.client_alias == client


def test_rubric_a_blank_caps_only_the_check_that_needs_it() -> None:
    # the count is blank: scope is weak; the total price blank beside filled shares leaves payment alone
    body = (
        "第一条 服务内容：乙方每周为甲方发布＿＿条原创短视频，服务期为一年。\n"
        "第三条 费用：服务费总额为人民币＿＿＿＿元，签约后支付30%，验收合格后支付70%。"
    )
    report = audit_text("甲方：青石茶业有限公司\n乙方：星河传媒有限公司\n" + body)
    assert report.finding("scope_volume").status is Status.WEAK
    assert report.finding("staged_payment").status is Status.PASS
    assert "unfilled_blank" in {f.flag_id for f in report.red_flags}


def test_rubric_filling_notes_are_not_clauses() -> None:
    notes = "填写说明\n1. 违约金可约定为合同总额的20%，解除合同时应退还未履行部分的费用。\n"
    finding = audit_text(notes + HEAD_ZH).finding("termination_penalties")
    assert finding.status is Status.MISSING, finding.reasons


@pytest.mark.parametrize(
    ("annex", "status"), [("", Status.WEAK), ("附件一 收费说明\n签约后支付40%，验收后支付60%。", Status.PASS)]
)
def test_rubric_a_term_in_an_absent_annex_is_weak_and_a_present_annex_counts(annex: str, status: Status) -> None:
    body = "第三条 费用：服务费按附件一支付。\n" + annex
    finding = audit_text(HEAD_ZH + body).finding("staged_payment")
    assert finding.status is status, finding.reasons


def test_rubric_a_redacted_number_is_agreed_not_blank() -> None:
    body = "3. Fees. The Client pays [***]% on signing and [***]% on acceptance of the final videos."
    report = audit_text(HEAD_EN + body)
    assert report.finding("staged_payment").status is Status.PASS
    assert "unfilled_blank" not in {f.flag_id for f in report.red_flags}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("第五条 乙方未按约定数量发布视频的，免收当月服务费。", Status.PASS),
        ("第五条 乙方侵犯第三方知识产权的，应赔偿甲方因第三方索赔而遭受的损失。", Status.WEAK),
    ],
)
def test_rubric_a_fee_waiver_is_a_consequence_and_a_third_party_indemnity_alone_is_weak(
    body: str, status: Status
) -> None:
    assert audit_text(HEAD_ZH + body).finding("breach_liability").status is status


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("第七条 本合同期满自然终止。", Status.MISSING),
        ("第七条 因不可抗力致使合同无法履行的，双方均可解除本合同。", Status.WEAK),
        ("第七条 经双方协商一致，可以解除本合同。", Status.WEAK),
        ("第七条 甲方提前解除合同的，已支付的全部服务费均不予退还。乙方违约的，甲方有权解除合同。", Status.WEAK),
    ],
)
def test_rubric_termination_missing_only_without_any_early_exit(body: str, status: Status) -> None:
    assert audit_text(HEAD_ZH + body).finding("termination_penalties").status is status


@pytest.mark.parametrize(
    ("body", "status", "flag"),
    [
        ("第三条 本合同为资源互换，双方互不支付任何费用。", Status.MISSING, False),
        ("第三条 甲方于乙方交付全部视频并经甲方验收合格后，一次性支付全部服务费人民币3万元。", Status.PASS, False),
        ("第三条 甲方于本合同签订之日一次性支付全部服务费人民币3万元。", Status.MISSING, True),
        ("第三条 甲方于每年服务开始前一次性支付当年全部服务费人民币12万元。", Status.WEAK, True),
    ],
)
def test_rubric_how_the_whole_price_is_paid_decides_staged_payment(body: str, status: Status, flag: bool) -> None:
    report = audit_text(HEAD_ZH + body)
    assert report.finding("staged_payment").status is status, report.finding("staged_payment").reasons
    assert ("full_prepayment" in {f.flag_id for f in report.red_flags}) is flag


@pytest.mark.parametrize(("days", "flag"), [("7日", True), ("15日", False)])
def test_rubric_deemed_acceptance_is_a_red_flag_at_seven_days_or_less(days: str, flag: bool) -> None:
    body = f"第四条 验收：甲方应在收到视频后{days}内验收，逾期未提出异议的，视为验收合格。"
    report = audit_text(HEAD_ZH + body)
    assert ("deemed_acceptance" in {f.flag_id for f in report.red_flags}) is flag


def test_rubric_the_evidence_quoted_is_the_original_text() -> None:
    # full-width digits and Traditional script are folded for matching, never in the quote
    body = "第五條 乙方未按約定數量發布視頻的，應退還當月服務費的５０％。"
    report = audit_text("甲方：青石茶業有限公司\n乙方：星河傳媒有限公司\n" + body)
    quotes = [e.text for e in report.finding("breach_liability").evidence]
    assert quotes and all(q in report.contract.text for q in quotes) and any("５０％" in q for q in quotes)
