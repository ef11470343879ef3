"""Dispute mode (auditor/dispute.py): briefs built from the labelled sample contracts, whose clauses were read
by hand; the expected clause numbers, amounts, periods and forum paths below come from those texts.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
from docx import Document

from auditor import cli
from auditor.dispute.brief import build_brief
from auditor.dispute.model import SCENARIOS, DisputeBrief
from auditor.dispute.reading import scenario_title
from auditor.dispute.render import to_dict, to_docx, to_markdown
from auditor.lexicon import load_lexicon
from auditor.model import AuditReport
from auditor.pipeline import audit, audit_text

SAMPLES = Path(__file__).resolve().parent.parent / "sample_contracts"
ALL_SAMPLES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))

# shared/domain.md, "Legal references that may be cited": nothing else may appear in a brief.
ALLOWED_LAW = {
    "cc470",
    "cc496_498",
    "cc510_511",
    "cc563",
    "cc566",
    "cc577",
    "cc582",
    "cc584",
    "cc585",
    "cc586",
    "cc587",
    "cc588",
    "cc590",
    "arb16_18",
    "cpl35",
    "sps65",
}
# A short platform-ordered contract (not in the corpus): the issue's own example, 合同总额的20% of ¥60,000.
PLATFORM_CONTRACT = """星图达人推广合作协议

甲方：广州小满食品有限公司
乙方：杭州青藤文化传媒有限公司

一、合作内容
1. 乙方通过巨量星图平台为甲方安排达人发布推广视频，每月发布不少于4条。
二、费用
1. 本协议合同总额为人民币60,000元，由甲方在巨量星图平台下单支付。
三、违约责任
1. 乙方未按约定数量发布视频的，应向甲方支付违约金，违约金为合同总额的20%。
四、解除
1. 乙方失联超过7日或连续两周未发布视频的，甲方有权书面通知解除本协议，乙方应在5日内退还未履行部分的费用。
五、争议解决
因本协议发生的争议，提交广州仲裁委员会仲裁。
"""
STATUTORY_COURT_ZH = "合同纠纷由被告住所地或者合同履行地人民法院管辖（民事诉讼法的一般规定）"


@cache
def _report(name: str) -> AuditReport:
    return audit(SAMPLES / name)


@cache
def _brief(name: str, scenario: str, lang: str | None = None) -> DisputeBrief:
    return build_brief(_report(name), scenario, lang)  # type: ignore[arg-type]


def _keys(points: tuple) -> list[str]:  # type: ignore[type-arg]
    return [p.key for p in points]


def _term(brief: DisputeBrief, kind: str, clause: str) -> list:  # type: ignore[type-arg]
    return [t for t in brief.terms if t.kind == kind and t.clause == clause]


# --- API and lexicon -------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_dispute_scenario_titles_in_both_languages(scenario: str) -> None:
    zh, en = scenario_title(scenario, "zh"), scenario_title(scenario, "en")
    assert zh and en and zh != en
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)


def test_dispute_unknown_scenario_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'refund_me'.*early_exit"):
        build_brief(_report("zh_02_douyin_package.txt"), "refund_me")
    with pytest.raises(ValueError, match="unknown scenario"):
        scenario_title("refund_me", "zh")


def test_dispute_lexicon_refers_only_to_what_exists() -> None:
    lex = load_lexicon("dispute")
    roles, reasons = lex.values["roles"], lex.reasons
    for role, spec in roles.items():
        assert f"role_{role}" in reasons
        for source in spec["find"]:
            context = (*source.get("with", ()), *source.get("without", ()))
            names = [source.get("cue", ""), *(n for c in context for n in c.split("|"))]
            for name in filter(None, names):
                lexicon, key = name.split(".")
                assert key in load_lexicon(lexicon).cues, name
    for scenario in SCENARIOS:
        spec = lex.values["scenarios"][scenario]
        assert set(spec["roles"]) <= set(roles)
        for claim in spec["claims"]:
            assert claim["role"] in roles and claim.get("reason", f"claim_{claim['role']}") in reasons
        assert all(g["role"] in roles and g["reason"] in reasons for g in spec["gaps"])
        for item in spec["evidence"]:
            assert item["reason"] in reasons and item.get("otherwise", item["reason"]) in reasons
        assert all(f"warn_{flag}" in reasons for flag in spec["flags"])
        cited = {
            *spec["law"],
            *(k for g in spec["gaps"] for k in g["law"]),
            *(k for c in spec["claims"] for k in c.get("law", ())),
        }
        assert cited <= ALLOWED_LAW
    assert {k for kinds in lex.values["exposure_law"].values() for k in kinds} <= ALLOWED_LAW
    assert {k for kinds in lex.values["forum_law"].values() for k in kinds} <= ALLOWED_LAW
    assert {k for kinds in lex.values["flag_law"].values() for k in kinds} <= ALLOWED_LAW
    assert {k.removeprefix("lawname_") for k in reasons if k.startswith("lawname_")} <= ALLOWED_LAW


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_dispute_every_sample_and_scenario_builds_and_cites_only_allowed_law(name: str) -> None:
    for scenario in SCENARIOS:
        brief = _brief(name, scenario)
        markdown = to_markdown(brief)
        json.dumps(to_dict(brief), ensure_ascii=False)
        assert {p.law[0] for p in brief.law} <= ALLOWED_LAW
        assert "第24条" not in markdown and "第二十四条" not in markdown
        assert "{" not in markdown.replace("{{", "")  # no placeholder left unfilled
        assert all(q.text in _report(name).text for q in brief.quotes)  # quotes are the original words


# --- the forum path ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "forum_name", "clause", "law"),
    [
        ("zh_01_douyin_operation.docx", "arbitration", "杭州仲裁委员会", "9.1", ()),
        ("zh_07_brand_design.pdf", "arbitration", "长沙仲裁委员会", "八", ()),
        ("zh_15_annual_marketing.docx", "arbitration", "中国国际经济贸易仲裁委员会", "9.2", ()),
        ("zh_03_xiaohongshu_operation.pdf", "invalid", "甲方所在地人民法院", "九", ("arb16_18",)),
        ("zh_14_livestream_host.pdf", "invalid", "甲方所在地人民法院", "九", ("arb16_18",)),
        ("zh_05_kol_promotion.txt", "missing", None, None, ()),
        ("zh_09_seo_service.txt", "missing", None, None, ()),
        ("zh_02_douyin_package.txt", "vague_court", None, "八", ()),
        ("zh_10_content_writing.txt", "negotiation_only", None, "7", ()),
        ("zh_08_miniprogram_dev.docx", "unnamed_arbitration", None, "7", ("arb16_18",)),
        ("zh_11_douyin_template.pdf", "blank", None, "第十七条", ()),
        ("zh_04_livestream_selling.txt", "provider_court", "乙方住所地人民法院", "7", ("cpl35",)),
        ("zh_12_shipinhao_operation.txt", "agreed_court", "合同签订地人民法院", "八", ("cpl35",)),
        ("zh_21_operation_intent.txt", "agreed_court", "甲方住所地人民法院", "六", ("cpl35",)),
    ],
)
def test_dispute_forum_path(
    name: str, kind: str, forum_name: str | None, clause: str | None, law: tuple[str, ...]
) -> None:
    forum = _brief(name, "non_delivery").forum
    assert (forum.kind, forum.name, forum.law) == (kind, forum_name, law)
    assert forum.clauses == ((clause,) if clause else ())
    if kind == "arbitration":
        assert "法院不受理本合同争议的起诉" in forum.text and STATUTORY_COURT_ZH not in forum.text
    elif kind in ("agreed_court", "provider_court"):
        assert forum_name in forum.text and STATUTORY_COURT_ZH not in forum.text
    else:
        assert STATUTORY_COURT_ZH in forum.text


def test_dispute_invalid_forum_names_both_routes_and_the_arbitration_law() -> None:
    brief = _brief("zh_03_xiaohongshu_operation.pdf", "non_delivery")
    assert "同时约定了仲裁和诉讼，仲裁协议无效" in brief.forum.text
    # the court the clause also names: whether it stands alone is left to the court seised
    assert "甲方所在地人民法院" in brief.forum.text
    assert "仲裁法第16、18条" in to_markdown(brief)
    assert _keys(brief.steps)[-1] == "forum_invalid"


def test_dispute_named_commission_closes_the_courts_in_english_too() -> None:
    forum = _brief("en_04_software_sow.docx", "non_delivery").forum
    assert (forum.kind, forum.name) == ("arbitration", "Singapore International Arbitration Centre")
    assert "the courts will not hear the claim" in forum.text


# --- one test per scenario ---------------------------------------------------------------------------


def test_dispute_non_delivery_cites_quantities_deductions_exit_refund_and_handover() -> None:
    brief = _brief("zh_01_douyin_operation.docx", "non_delivery")
    quoted = [q.clause for q in brief.quotes]
    assert {"2.1 （2）", "7.1", "7.2", "8.1", "8.2", "8.4", "9.1"} <= set(quoted)
    assert quoted[-1] == "9.1"
    quantities = [t.figure for t in _term(brief, "quantity", "2.1 （2）")]
    assert quantities == ["每周发布原创短视频不少于3条", "每月合计不少于12条"]
    assert [t.figure for t in _term(brief, "deduction", "7.1")] == ["5%", "3,000元"]
    assert [t.figure for t in _term(brief, "refund_period", "8.2")] == ["十个工作日"]
    claims = {p.key: p for p in brief.claims}
    assert list(claims) == ["claim_breach", "claim_termination", "claim_refund", "claim_handover"]
    assert claims["claim_termination"].clauses == ("4.3", "8.1")
    assert "乙方连续十日未发布任何视频" in claims["claim_termination"].text
    assert claims["claim_refund"].clauses == ("8.2",) and claims["claim_handover"].clauses == ("8.4",)
    assert brief.gaps == ()
    assert _keys(brief.steps) == ["step_notice", "step_complaint", "step_negotiate", "forum_arbitration"]
    assert "第10.2条" in brief.steps[0].text  # notices are served as the contract says
    assert "三十日" in brief.steps[2].text


def test_dispute_non_delivery_computes_penalty_and_deposit_from_the_price() -> None:
    brief = _brief("zh_14_livestream_host.pdf", "non_delivery")
    assert brief.contract_value == 270000
    penalty = _term(brief, "penalty", "七 （二）")[0]
    assert (penalty.figure, penalty.amount, penalty.working) == ("20%", 54000, "20% × ¥270,000 = ¥54,000")
    deposit = [t for t in brief.terms if t.kind == "deposit" and t.value == 81000][0]
    assert "定金占合同价款的30%" in deposit.working and "超过20%（¥54,000）" in deposit.working
    assert deposit.law == ("cc586",)
    assert [p.law for p in brief.claims if p.key == "claim_deposit"] == [("cc587", "cc588")]
    assert {"cc586", "cc587", "cc588", "arb16_18"} <= {p.law[0] for p in brief.law}


def test_dispute_non_delivery_per_day_penalty_and_cap() -> None:
    brief = _brief("zh_07_brand_design.pdf", "non_delivery")
    assert [t.working for t in _term(brief, "penalty", "六 （一）")] == ["0.3% × ¥68,000 = ¥204（每日）"]
    assert [t.working for t in _term(brief, "cap", "六 （一）")] == ["10% × ¥68,000 = ¥6,800"]
    assert [t.figure for t in brief.terms if t.kind == "deadline"] == [
        "2024年4月25日前",
        "2024年6月10日前",
        "2024年6月30日前",
    ]


def test_dispute_non_delivery_where_the_contract_is_silent() -> None:
    brief = _brief("zh_02_douyin_package.txt", "non_delivery")
    assert [(p.key, p.law) for p in brief.gaps] == [
        ("gap_breach", ("cc577", "cc584")),
        ("gap_termination", ("cc563",)),
        ("gap_refund", ("cc566",)),
    ]
    assert "ev_delivered_plain" in _keys(brief.evidence)
    assert {"warn_full_prepayment", "warn_unilateral_change"} <= set(_keys(brief.warnings))
    assert [p.law[0] for p in brief.law] == ["cc577", "cc563", "cc566", "cc584", "cc496_498"]


def test_dispute_kpi_missed_quotes_targets_remedy_and_data_source() -> None:
    brief = _brief("zh_01_douyin_operation.docx", "kpi_missed")
    assert [(t.clause, t.figure) for t in brief.terms if t.kind == "kpi"] == [
        ("4.1 （1）", "不少于15,000人"),
        ("4.1 （2）", "不低于25%"),
    ]
    assert [q.roles for q in brief.quotes if q.clause == "4.1"] == [("kpi", "data_source")]
    remedy = [p for p in brief.claims if p.key == "claim_kpi_remedy"][0]
    assert remedy.clauses == ("4.2",) and "乙方退还该季度服务费的20%" in remedy.text
    evidence = {p.key: p.text for p in brief.evidence}
    # export the very data the contract counts
    assert "以抖音创作者服务中心后台导出数据为准" in evidence["ev_data_source"]
    assert "不少于15,000人" in evidence["ev_kpi_targets"]


def test_dispute_kpi_missed_without_kpis_says_so() -> None:
    brief = _brief("zh_02_douyin_package.txt", "kpi_missed")
    assert _keys(brief.gaps) == ["gap_kpi"]
    assert {"ev_data_plain", "ev_promises"} <= set(_keys(brief.evidence))
    assert [p.clauses for p in brief.warnings if p.key == "warn_effect_disclaimer"] == [("三 1", "三 2")]


def test_dispute_kpi_missed_english_contract_under_foreign_law() -> None:
    brief = _brief("en_08_seo_content.docx", "kpi_missed")
    kpis = [t.figure for t in brief.terms if t.kind == "kpi" and t.clause == "4.1"]
    assert kpis == ["at least thirty per cent (30%)"]
    assert "Google Analytics 4" in {p.key: p.text for p in brief.evidence}["ev_data_source"]
    assert [p.clauses for p in brief.claims if p.key == "claim_kpi_remedy"] == [("4.3",)]
    assert "foreign_law" in _keys(brief.warnings) and brief.law == () and brief.forum.law == ()
    assert "governed by the law of England and Wales" in brief.forum.text


def test_dispute_poor_quality_warns_of_the_short_acceptance_window() -> None:
    brief = _brief("zh_16_promo_video.txt", "poor_quality")
    assert [t.figure for t in _term(brief, "acceptance", "3.2")] == ["3日"]
    assert [p.clauses for p in brief.warnings if p.key == "warn_deemed_acceptance"] == [("3.2",)]
    assert "claim_acceptance" in _keys(brief.claims) and "ev_objection" in _keys(brief.evidence)
    assert [(p.key, p.law) for p in brief.gaps] == [("gap_breach", ("cc577", "cc584"))]
    assert brief.law[0].law == ("cc582",)


def test_dispute_provider_gone_exit_refund_handover_and_account() -> None:
    brief = _brief("zh_03_xiaohongshu_operation.pdf", "provider_gone")
    claims = {p.key: p.clauses for p in brief.claims}
    assert claims["claim_termination"] == ("八 （一）",) and claims["claim_refund"] == ("八 （二）",)
    assert claims["claim_handover"] == ("八 （二）",)
    assert [p.clauses for p in brief.evidence if p.key == "ev_account"] == [("六 （一）", "六 （二）")]
    assert "即使对方失联" in brief.steps[0].text
    assert _keys(brief.gaps) == ["gap_notice_address"]
    assert [t.figure for t in _term(brief, "refund_period", "八 （二）")] == ["十日"]


def test_dispute_early_exit_stage_based_compensation_in_money() -> None:
    brief = _brief("zh_07_brand_design.pdf", "early_exit")
    exposure = brief.exposure
    assert exposure is not None and (exposure.kind, exposure.clauses) == ("stages", ("七 （二）",))
    assert [s.clause for s in exposure.stages] == ["七 （二） 1", "七 （二） 2", "七 （二） 3", "七 （二） 4"]
    assert [s.amount for s in exposure.stages] == [None, 20400, 47600, 68000]
    assert exposure.stages[1].working == "30% × ¥68,000 = ¥20,400"
    assert "2,000元" in exposure.stages[0].text
    assert [p.clauses for p in brief.claims if p.key == "claim_breach_route"] == [("六 （一）", "七 （一）")]
    assert _keys(brief.steps) == ["step_exit_notice", "forum_arbitration"]


def test_dispute_early_exit_stages_with_notice_period() -> None:
    brief = _brief("zh_01_douyin_operation.docx", "early_exit")
    assert brief.exposure is not None and brief.exposure.kind == "stages"
    assert [s.clause for s in brief.exposure.stages] == ["8.3 （1）", "8.3 （2）", "8.3 （3）"]
    assert brief.exposure.stages[1].figure == "600元"
    assert "（三十日）" in brief.steps[0].text


def test_dispute_early_exit_inline_stages_in_english() -> None:
    brief = _brief("en_04_software_sow.docx", "early_exit")
    assert brief.exposure is not None and brief.exposure.kind == "stages"
    assert [s.clause for s in brief.exposure.stages] == ["7.1 (a)", "7.1 (b)", "7.1 (c)"]
    assert brief.exposure.stages[1].figure == "SGD 1,100"


@pytest.mark.parametrize(
    ("name", "clauses"),
    [
        ("zh_15_annual_marketing.docx", ("8.1", "8.2")),
        ("zh_02_douyin_package.txt", ("七 2",)),
        ("en_06_design_retainer.pdf", ("Section 7 (b)",)),
    ],
)
def test_dispute_early_exit_that_forfeits_everything(name: str, clauses: tuple[str, ...]) -> None:
    brief = _brief(name, "early_exit")
    assert brief.exposure is not None
    assert (brief.exposure.kind, brief.exposure.clauses) == ("forfeit", clauses)
    assert "exposure_excessive" in _keys(brief.exposure.notes)


def test_dispute_early_exit_forfeit_of_a_full_prepayment_states_the_sum() -> None:
    exposure = _brief("zh_02_douyin_package.txt", "early_exit").exposure
    assert exposure is not None and exposure.law == ("cc585", "sps65")
    assert [p.text for p in exposure.notes if p.key == "exposure_prepaid"] == [
        "合同约定一次性预付全款（¥36,000），现在解约，这笔钱按合同约定全部不退。"
    ]


def test_dispute_early_exit_remaining_fees_and_no_right() -> None:
    remaining = _brief("zh_04_livestream_selling.txt", "early_exit")
    assert remaining.exposure is not None and remaining.exposure.kind == "remaining"
    assert remaining.exposure.clauses == ("6.2",)
    none = _brief("zh_16_promo_video.txt", "early_exit")
    assert none.exposure is not None and none.exposure.kind == "no_right"
    assert _keys(none.steps) == ["step_exit_agree", "forum_arbitration"]
    assert {"cc577", "cc584"} <= {p.law[0] for p in none.law}


def test_dispute_platform_order_penalty_in_money_and_platform_complaint() -> None:
    report = audit_text(PLATFORM_CONTRACT, name="xingtu.txt")
    brief = build_brief(report, "non_delivery")
    penalty = _term(brief, "penalty", "三 1")[0]
    assert (penalty.amount, penalty.working) == (12000, "20% × ¥60,000 = ¥12,000")
    assert _keys(brief.steps) == ["step_notice", "step_complaint_platform", "forum_arbitration"]
    assert brief.steps[1].clauses == ("一 1", "二 1") and "12315" in brief.steps[1].text
    gone = build_brief(report, "provider_gone")
    assert [(p.key, p.clauses) for p in gone.claims][:2] == [
        ("claim_termination", ("四 1",)),
        ("claim_refund", ("四 1",)),
    ]
    assert _keys(gone.gaps) == ["gap_handover", "gap_notice_address"]


def test_dispute_brief_is_pure() -> None:
    report = _report("zh_03_xiaohongshu_operation.pdf")
    assert build_brief(report, "provider_gone") == build_brief(report, "provider_gone")


# --- output ------------------------------------------------------------------------------------------


def test_dispute_brief_in_english_for_a_chinese_contract() -> None:
    brief = _brief("zh_07_brand_design.pdf", "early_exit", "en")
    assert brief.title == "Dispute brief: Client wants to leave early"
    assert brief.quotes[0].text.startswith("（二）甲方因自身原因提前解除合同的")  # the original words
    markdown = to_markdown(brief)
    assert "## What leaving now costs" in markdown and "30% × ¥68,000 = ¥20,400" in markdown
    assert brief.exposure is not None
    assert brief.exposure.text == (
        "clause 七（二） settles an early exit by the stage reached; the cost at each stage is below."
    )


def test_dispute_markdown_sections() -> None:
    markdown = to_markdown(_brief("zh_14_livestream_host.pdf", "non_delivery"))
    headings = ("相关条款（原文）", "合同约定的数值", "依合同可以主张的", "需要收集的证据", "维权路径", "法律条文指引")
    assert all(f"## {heading}" in markdown for heading in headings)
    assert "> **七（二）（违约责任、定金）**" in markdown
    assert "| 违约金/赔偿 | 20% |" in markdown and "¥54,000" in markdown
    assert markdown.rstrip().endswith("重要决定请咨询律师。*")


def test_dispute_docx_reopens_with_the_same_content() -> None:
    brief = _brief("zh_07_brand_design.pdf", "early_exit")
    doc = Document(io.BytesIO(to_docx(brief)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert brief.title in text and "现在解约的代价" in text and "长沙仲裁委员会" in text
    cells = {c.text for table in doc.tables for row in table.rows for c in row.cells}
    assert "30% × ¥68,000 = ¥20,400" in cells and "七 （二） 3" in cells


# --- the command line --------------------------------------------------------------------------------


def test_dispute_cli_markdown_json_and_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = str(SAMPLES / "zh_07_brand_design.pdf")
    assert cli.main(["dispute", contract, "--scenario", "early_exit"]) == 0
    assert "# 争议应对简报：甲方想提前解约" in capsys.readouterr().out
    out, docx = tmp_path / "brief.json", tmp_path / "brief.docx"
    code = cli.main(
        [
            "dispute",
            contract,
            "--scenario",
            "early_exit",
            "--format",
            "json",
            "--lang",
            "en",
            "--out",
            str(out),
            "--docx",
            str(docx),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["scenario"], data["lang"], data["forum"]["kind"]) == ("early_exit", "en", "arbitration")
    assert [s["amount"] for s in data["exposure"]["stages"]] == [None, 20400, 47600, 68000]
    assert Document(str(docx)).paragraphs[0].text == "Dispute brief: Client wants to leave early"


def test_dispute_cli_unknown_scenario_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dispute", str(SAMPLES / "zh_02_douyin_package.txt"), "--scenario", "refund_me"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown scenario 'refund_me'" in err


def test_dispute_cli_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dispute", str(tmp_path / "missing.pdf"), "--scenario", "non_delivery"]) == 2
    assert capsys.readouterr().err.startswith("contract-audit: ")
