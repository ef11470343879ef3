"""The recognisers (auditor/analyse.py): money, percentages, durations, per-period quantities, counts, the
parties and the contract price, each read once with its span in the original text.
"""

from __future__ import annotations

import pytest

from auditor.analyse.facts import analyse, extract_facts
from auditor.analyse.parties import extract_parties
from auditor.load import load_text
from auditor.model import Clause, Fact, Parties
from auditor.text.segment import segment


def _clauses(text: str) -> tuple[Clause, ...]:
    return segment(load_text(text, "t.txt"))


def _facts(text: str, lang: str, kind: str) -> list[Fact]:
    return [f for f in extract_facts(_clauses(text), lang) if f.kind == kind]  # type: ignore[arg-type]


def _parties(text: str, lang: str) -> Parties:
    return extract_parties(_clauses(text), lang)  # type: ignore[arg-type]


def _value(text: str, lang: str, kind: str) -> tuple[str, float | None]:
    found = _facts(text, lang, kind)
    assert len(found) == 1, found
    return found[0].text, found[0].value


# (text, lang, the span read, its value in yuan / the currency's units)
MONEY = [
    ("服务费为人民币叁万陆仟元整。", "zh", "人民币叁万陆仟元整", 36000),
    ("服务费¥36,000。", "zh", "¥36,000", 36000),
    ("服务费3.6万元。", "zh", "3.6万元", 36000),
    ("服务费5万元。", "zh", "5万元", 50000),
    ("服务费壹万贰仟元。", "zh", "壹万贰仟元", 12000),
    ("服務費為人民幣參拾陸萬元整。", "zh", "人民幣參拾陸萬元整", 360000),
    ("服務費為新臺幣貳拾參萬伍仟元整。", "zh", "新臺幣貳拾參萬伍仟元整", 235000),
    ("服务费为人民币叁拾陆万圆整。", "zh", "人民币叁拾陆万圆整", 360000),
    ("服务费为人民币贰拾万零伍仟元整。", "zh", "人民币贰拾万零伍仟元整", 205000),
    ("服务费为人民币三十六万元。", "zh", "人民币三十六万元", 360000),
    ("服务费为人民币360,000元。", "zh", "人民币360,000元", 360000),
    ("服务费为人民币３６０，０００元。", "zh", "人民币３６０，０００元", 360000),
    ("服务费为３．６万元。", "zh", "３．６万元", 36000),
    ("服务费为港币叁万元。", "zh", "港币叁万元", 30000),
    ("服务费为壹亿贰仟万元整。", "zh", "壹亿贰仟万元整", 120_000_000),
    ("服务费为人民币叁万元正。", "zh", "人民币叁万元正", 30000),
    ("服务费RMB 10,000。", "zh", "RMB 10,000", 10000),
    ("The fee is USD 12,000.", "en", "USD 12,000", 12000),
    ("The fee is $5,000 per month.", "en", "$5,000", 5000),
    ("The fee is RMB 10,000.", "en", "RMB 10,000", 10000),
]


@pytest.mark.parametrize(("text", "lang", "span", "value"), MONEY, ids=[m[2] for m in MONEY])
def test_analyse_money(text: str, lang: str, span: str, value: float) -> None:
    assert _value(text, lang, "money") == (span, value)


def test_analyse_money_wan_after_price_word() -> None:
    assert analyse(_clauses("合同总金额为5万，分两期支付。"), "zh").contract_value == 50000


FOREIGN_IN_ZH = [
    ("服务费为12,000美元。", "12,000美元", 12000),
    ("服务费为HK$180,000。", "HK$180,000", 180000),
]


@pytest.mark.parametrize(("text", "span", "value"), FOREIGN_IN_ZH)
def test_analyse_money_foreign_currency_in_chinese(text: str, span: str, value: float) -> None:
    assert _value(text, "zh", "money") == (span, value)


def test_analyse_wan_without_price_word_is_not_money() -> None:
    assert _facts("账号粉丝约5万，单月曝光量不少于80万次。", "zh", "money") == []


PERCENT = [
    ("首付30%。", "zh", "30%", 30),
    ("首付百分之三十。", "zh", "百分之三十", 30),
    ("退还服务费的百分之十五。", "zh", "百分之十五", 15),
    ("Client pays fifty percent (50%) on signing.", "en", "50%", 50),
    ("A refund of 20 percent of the fee.", "en", "20 percent", 20),
]


@pytest.mark.parametrize(("text", "lang", "span", "value"), PERCENT, ids=[p[2] for p in PERCENT])
def test_analyse_percent(text: str, lang: str, span: str, value: float) -> None:
    assert _value(text, lang, "percent") == (span, value)


# (text, lang, span, days)
DURATIONS = [
    ("甲方应在10个工作日内验收。", "zh", "10个工作日", 14),
    ("乙方应在24小时内回复。", "zh", "24小时", 1),
    ("服务期为三个月。", "zh", "三个月", 90),
    ("乙方应在十五日内整改。", "zh", "十五日", 15),
    ("The Client shall pay within thirty (30) days of invoice.", "en", "thirty (30) days", 30),
    ("Acceptance within 10 business days.", "en", "10 business days", 14),
    ("Replies within 24 hours.", "en", "24 hours", 1),
]


@pytest.mark.parametrize(("text", "lang", "span", "days"), DURATIONS, ids=[d[2] for d in DURATIONS])
def test_analyse_duration_in_days(text: str, lang: str, span: str, days: float) -> None:
    assert _value(text, lang, "duration") == (span, pytest.approx(days))


NOT_DURATIONS = [
    ("本合同于2024年3月1日签订。", "zh"),
    ("服务期自2024年起。", "zh"),
    ("甲方应于每月5日前付款。", "zh"),
    ("In 2024 the parties met.", "en"),
]


@pytest.mark.parametrize(("text", "lang"), NOT_DURATIONS)
def test_analyse_dates_are_not_durations(text: str, lang: str) -> None:
    assert _facts(text, lang, "duration") == []


# (text, lang, span, count, unit per period)
QUANTITIES = [
    ("乙方每周发布3条原创短视频。", "zh", "每周发布3条", 3, "条/week"),
    ("乙方每月不少于12条。", "zh", "每月不少于12条", 12, "条/month"),
    ("乙方一周两场直播。", "zh", "一周两场", 2, "场/week"),
    ("乙方每月直播四场。", "zh", "每月直播四场", 4, "场/month"),
    ("The Agency shall publish twelve (12) posts per month.", "en", "twelve (12) posts per month", 12, "posts/month"),
    ("Creator will host 2 live streams per week.", "en", "2 live streams per week", 2, "live streams/week"),
]


@pytest.mark.parametrize(("text", "lang", "span", "count", "unit"), QUANTITIES, ids=[q[2] for q in QUANTITIES])
def test_analyse_quantity_per_period(text: str, lang: str, span: str, count: float, unit: str) -> None:
    found = _facts(text, lang, "quantity")
    assert [(f.value, f.unit) for f in found] == [(count, unit)]
    assert span in found[0].text  # a verb before an English number may be taken in: "publish twelve (12) …"


def test_analyse_quantity_is_not_also_a_count() -> None:
    assert _facts("乙方每周发布3条原创短视频。", "zh", "count") == []


COUNTS = [
    ("乙方交付宣传片1部。", "zh", "1部", 1, "部"),
    ("乙方交付精修剧照20张。", "zh", "20张", 20, "张"),
    ("直播间观看不少于5,000人。", "zh", "5,000人", 5000, "人"),
    ("Designer delivers 3 logo concepts.", "en", "3 logo", 3, "logo"),
]


@pytest.mark.parametrize(("text", "lang", "span", "count", "unit"), COUNTS, ids=[c[2] for c in COUNTS])
def test_analyse_count(text: str, lang: str, span: str, count: float, unit: str) -> None:
    found = _facts(text, lang, "count")
    assert [(f.text, f.value, f.unit) for f in found] == [(span, count, unit)]


NOT_COUNTS = ["第一条 服务内容", "依照本合同第3条执行。", "提前30天通知。", "完播率30%。"]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_analyse_not_a_count(text: str) -> None:
    assert _facts(text, "zh", "count") == []


def test_analyse_fact_spans_quote_original() -> None:
    text = "第一條 服務費\n服務費為人民幣叁萬陸仟元整，每週發佈３條視頻，首付百分之三十，十五日內付清。"
    doc = load_text(text, "t.txt")
    facts = extract_facts(segment(doc), "zh")
    assert {f.kind for f in facts} >= {"money", "quantity", "percent", "duration"}
    assert all(doc.text[f.start : f.end] == f.text for f in facts)


def test_analyse_fact_knows_its_clause() -> None:
    clauses = _clauses("第一条 服务\n乙方每周发布3条视频。\n第二条 费用\n服务费人民币5000元。")
    money = [f for f in extract_facts(clauses, "zh") if f.kind == "money"]
    assert [clauses[f.clause].number for f in money if f.clause is not None] == ["第二条"]


def test_analyse_institution_is_org_fact() -> None:
    orgs = _facts("第九条 争议解决\n争议提交上海仲裁委员会仲裁。", "zh", "org")
    assert [f.text for f in orgs] == ["上海仲裁委员会"]


def test_analyse_institution_english_org_fact() -> None:
    orgs = _facts("12. Disputes. Disputes shall be arbitrated by CIETAC in Beijing.", "en", "org")
    assert [f.text for f in orgs] == ["CIETAC"]


ZH_HEAD = "抖音代运营服务合同\n"
ZH_BODY = "\n第一条 服务内容\n乙方为甲方提供短视频代运营服务。\n第二条 费用\n甲方应向乙方支付服务费。"
CLIENT, PROVIDER = "上海云杉商贸有限公司", "杭州青禾文化传媒有限公司"

# (contract opening, lang, client, provider, client alias, provider alias)
PARTIES = [
    pytest.param(
        f"{ZH_HEAD}甲方（委托方）：{CLIENT}\n乙方（服务方）：{PROVIDER}{ZH_BODY}",
        "zh",
        CLIENT,
        PROVIDER,
        "甲方",
        "乙方",
        id="zh-two-lines",
    ),
    pytest.param(
        f"{ZH_HEAD}甲方（委托方）：{CLIENT} / 乙方（服务方）：{PROVIDER}{ZH_BODY}",
        "zh",
        CLIENT,
        PROVIDER,
        "甲方",
        "乙方",
        id="zh-one-line",
    ),
    pytest.param(
        f"{ZH_HEAD}委托方（甲方）：{CLIENT}\n受托方（乙方）：{PROVIDER}{ZH_BODY}",
        "zh",
        CLIENT,
        PROVIDER,
        "甲方",
        "乙方",
        id="zh-role-first",
    ),
    pytest.param(
        f"{ZH_HEAD}{CLIENT}（以下简称“甲方”）\n{PROVIDER}（以下简称“乙方”）{ZH_BODY}",
        "zh",
        CLIENT,
        PROVIDER,
        "甲方",
        "乙方",
        id="zh-defined",
    ),
    pytest.param(
        "SERVICES AGREEMENT\nThis Agreement is made by and between Summit Social LLC, a Texas "
        'limited liability company ("Agency"), and Acme Foods Inc., a Delaware corporation '
        '("Client").\n1. Services. Agency shall publish posts.\n'
        "2. Fees. Client shall pay Agency monthly.",
        "en",
        "Acme Foods Inc.",
        "Summit Social LLC",
        "Client",
        "Agency",
        id="en-recital",
    ),
    pytest.param(
        "SPONSORSHIP AGREEMENT\nThis Agreement is entered into by and between Harbour Rowing Club, Inc., a "
        'Maine nonprofit corporation ("Harbour"), and Kestrel Outdoor Gear, LLC, a Maine limited liability '
        'company (maker and seller of tents and stoves) ("Kestrel").\n1. Fees. Kestrel shall pay Harbour a fee.',
        "en",
        "Kestrel Outdoor Gear",
        "Harbour Rowing Club",
        "Kestrel",
        "Harbour",
        id="en-names-as-aliases-roles-by-payment",
    ),
    pytest.param(
        'CONSULTING AGREEMENT\nMade between Lumen Labs Ltd. (hereinafter referred to as "Lumen") and '
        'Ortega Advisory LLC (the "Adviser").\n1. Engagement. Lumen hereby engages the Adviser to review its '
        "pricing.",
        "en",
        "Lumen Labs Ltd.",
        "Ortega Advisory LLC",
        "Lumen",
        "Adviser",
        id="en-engagement",
    ),
    pytest.param(
        "SERVICES AGREEMENT\nClient: Acme Foods Inc. / Agency: Summit Social LLC\n1. Services.",
        "en",
        "Acme Foods Inc.",
        "Summit Social LLC",
        "Client",
        "Agency",
        id="en-one-line",
    ),
    pytest.param(
        "APPEARANCE AGREEMENT\nSponsor: Marigold Tea Company Ltd.\nTalent: Ronan Achterberg\n1. Appearances.",
        "en",
        "Marigold Tea Company Ltd.",
        "Ronan Achterberg",
        "Sponsor",
        "Talent",
        id="en-person-labelled-by-role",
    ),
    pytest.param(
        'SUPPORT AGREEMENT\nThis Agreement is made by and between Northwind Systems, Inc. ("NSI") and Northwind '
        'Services LLC ("NSL"; collectively with NSI, "Northwind"), on the one hand, and Paloma Retail, Inc. '
        '("Paloma"), on the other hand.\n1. Services. Northwind shall provide support to Paloma, and Paloma shall '
        "pay Northwind the fees below.",
        "en",
        "Paloma Retail",
        "Northwind Systems",
        "Paloma",
        "Northwind",
        id="en-collective-alias",
    ),
]


@pytest.mark.parametrize(("text", "lang", "client", "provider", "client_alias", "provider_alias"), PARTIES)
def test_analyse_parties(
    text: str, lang: str, client: str, provider: str, client_alias: str, provider_alias: str
) -> None:
    p = _parties(text, lang)
    assert (p.client, p.provider, p.client_alias, p.provider_alias) == (client, provider, client_alias, provider_alias)


def test_analyse_parties_recital_name_ending_in_a() -> None:
    text = (
        "SERVICES AGREEMENT\nThis Agreement is made by and between Bright Media LLC, a Texas limited "
        'liability company ("Agency"), and Acme Foods Inc., a Delaware corporation ("Client").\n'
        "1. Services. Agency shall publish posts."
    )
    assert _parties(text, "en").provider == "Bright Media LLC"


def test_analyse_parties_provider_named_jiafang() -> None:
    text = (
        f"{ZH_HEAD}甲方（服务方）：{PROVIDER}\n乙方（委托方）：{CLIENT}\n"
        "第一条 甲方为乙方提供短视频代运营服务。\n第二条 乙方应向甲方支付服务费。"
    )
    p = _parties(text, "zh")
    assert (p.client, p.provider) == (CLIENT, PROVIDER)


def test_analyse_parties_bare_jiafang_who_is_paid() -> None:
    """Bare 甲方/乙方 state no role: the one told to pay is the client, and "向甲方支付" is not 甲方 paying."""
    text = (
        f"{ZH_HEAD}甲方：{PROVIDER}\n乙方：{CLIENT}\n"
        "第一条 甲方为乙方提供企业咨询服务。\n第二条 乙方向甲方支付年度服务费。\n"
        "第三条 本协议签订之日，乙方需向甲方支付首期服务费。"
    )
    p = _parties(text, "zh")
    assert (p.client, p.provider, p.client_alias) == (CLIENT, PROVIDER, "乙方")


def test_analyse_parties_bare_yifang_told_to_pay_once() -> None:
    """Unstated roles and a single instruction to pay, by 乙方 only (a licence or publishing deal where
    甲方 is the author): that one sentence decides, since nothing points the other way.
    """
    text = (
        f"{ZH_HEAD}甲方（作者）：{PROVIDER}\n乙方（出版单位）：{CLIENT}\n"
        "第一条 甲方将作品的专有出版权授予乙方。\n第二条 乙方向甲方支付稿酬，标准为版税百分之八。"
    )
    p = _parties(text, "zh")
    assert (p.client, p.provider, p.client_alias) == (CLIENT, PROVIDER, "乙方")


def test_analyse_parties_one_role_stated_other_is_its_opposite() -> None:
    text = f"{ZH_HEAD}甲方（服务方）：{PROVIDER}\n乙方：{CLIENT}\n第一条 甲方为乙方提供咨询服务。"
    p = _parties(text, "zh")
    assert (p.client, p.provider, p.client_alias) == (CLIENT, PROVIDER, "乙方")


CONTRACT_VALUES = [
    ("第三条 费用\n本合同总金额为人民币叁万陆仟元整，分两期支付。", "zh", 36000),
    ("第三条 费用\n合同总金额：¥36,000元。", "zh", 36000),
    ("3. Fees. The total fee is USD 12,000, payable in two instalments.", "en", 12000),
    ("第三条 费用\n甲方每月支付服务费5000元。", "zh", None),
]


@pytest.mark.parametrize(("text", "lang", "value"), CONTRACT_VALUES)
def test_analyse_contract_value(text: str, lang: str, value: float | None) -> None:
    assert analyse(_clauses(text), lang).contract_value == value  # type: ignore[arg-type]


def test_analyse_sentences_inside_clauses() -> None:
    clauses = _clauses("第一条 服务\n乙方每周发布3条视频；每月直播2场。甲方按月付款。")
    spans = analyse(clauses, "zh").sentences
    body = clauses[1]
    inside = [(s, e) for s, e in spans if body.start <= s and e <= body.end]
    assert len(inside) == 3
