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
