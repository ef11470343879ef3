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
