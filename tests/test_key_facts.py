"""Key facts and the advice filled with them, over every bundled sample and test fixture: the suggestions
follow the contract's script and currency, no blank survives for a fact the contract states, a clause
against the client never appears as a claim; the samples' facts are read as labelled, and the user's
corrections re-run the audit.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from auditor.analyse.key_facts import FactError
from auditor.checks import CHECKS
from auditor.dispute.brief import build_brief
from auditor.dispute.model import SCENARIOS
from auditor.lexicon import load_lexicon
from auditor.model import AuditReport
from auditor.pipeline import audit, audit_text
from auditor.review.contract_type import TYPES
from auditor.rules.adverse import Adverse
from auditor.rules.reading import CheckInput
from auditor.rules.wording import fill, format_money, in_script, typed_lexicon
from auditor.text.normalise import is_traditional
from tests.conftest import audited, every_contract

SAMPLES = Path(__file__).resolve().parent.parent / "sample_contracts"
LABELS = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))["files"]
NAMES = sorted(LABELS)
PARTY_WORDS = ("client", "provider")  # their blanks (甲方, the Client) are how a contract names its parties


@cache
def _audit(name: str) -> AuditReport:
    return audit(SAMPLES / name)


def _suggestions(report: AuditReport) -> list[str]:
    return [f.suggestion for f in report.findings if f.suggestion]


@pytest.mark.parametrize("name", every_contract())
def test_key_facts_suggestions_follow_the_contracts_script_and_currency(name: str) -> None:
    report = audited(name)
    facts = report.key_facts
    assert facts is not None
    money: dict[str, str] = load_lexicon("wording").values["money"][report.language]
    others = {
        in_script(form.split("{n}")[0], facts)
        for code, form in money.items()
        if code not in (facts.currency or "", "other") and form != money.get(facts.currency or "")
    } - {""}
    for text in _suggestions(report):
        if facts.script == "en":
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        else:
            assert is_traditional(text) == (facts.script == "zh-Hant"), text
        assert not [other for other in others if re.search(rf"(?<![A-Za-z]){re.escape(other)}", text)], text


@pytest.mark.parametrize("name", every_contract())
def test_key_facts_no_blank_survives_for_a_known_fact(name: str) -> None:
    report = audited(name)
    facts = report.key_facts
    assert facts is not None and report.contract is not None
    blanks = load_lexicon("wording").values["blanks"][report.language]
    known = CheckInput(report.contract, load_lexicon("_common")).wording_facts()
    filled = [key for key, value in known.items() if value and key in blanks and key not in PARTY_WORDS]
    for text in _suggestions(report):
        assert [key for key in filled if in_script(blanks[key], facts) in text] == [], text
        if facts.value is not None:
            amount = in_script(format_money(facts.value, report.language, facts.currency) or "", facts)
            assert amount in text or blanks["amount"] not in text


@pytest.mark.parametrize("name", every_contract())
def test_key_facts_an_adverse_clause_is_never_a_claim(name: str) -> None:
    report = audited(name)
    assert report.contract is not None
    adverse = Adverse(CheckInput(report.contract, load_lexicon("_common")))
    against = [report.text[slice(*adverse.inp.sentences.around(h.start, h.end))].strip() for _, h in adverse.hits]
    for scenario in SCENARIOS:
        brief = build_brief(report, scenario)
        for claim in brief.claims:
            assert not any(sentence and sentence in claim.text for sentence in against), (scenario, claim.text)
        assert len(brief.against_client) == len(dict.fromkeys(against))


@pytest.mark.parametrize("name", NAMES)
def test_key_facts_read_as_labelled(name: str) -> None:
    report = _audit(name)
    assert report.key_facts is not None
    got = {**report.key_facts.to_dict(), "client": report.parties.client, "provider": report.parties.provider}
    gold = LABELS[name]["facts"]
    assert {key: got[key] for key in gold} == gold


def test_key_facts_total_beside_a_remainder_and_the_clause_against_the_client() -> None:
    report = _audit("zh_22_livestream_commission.txt")
    assert report.key_facts is not None and report.key_facts.value == 90000
    assert report.parties.client_alias == "声浪公司"
    brief = build_brief(report, "kpi_missed")
    assert any("拒付" in p.text for p in brief.against_client)
    assert not any("拒付" in p.text for p in brief.claims)


def test_key_facts_traditional_contract_gets_traditional_wording_in_its_currency() -> None:
    report = _audit("zh_23_tw_software.txt")
    assert report.key_facts is not None
    assert (report.key_facts.script, report.key_facts.currency) == ("zh-Hant", "TWD")
    suggestions = " ".join(f.suggestion or "" for f in report.findings)  # whichever checks still suggest
    assert "新臺幣1,200,000元" in suggestions and "人民币" not in suggestions


def test_key_facts_a_correction_re_runs_the_audit_with_it() -> None:
    report = audit(SAMPLES / "zh_02_douyin_package.txt", facts={"value": "90000", "currency": "TWD"})
    assert report.key_facts is not None and report.key_facts.value == 90000 and report.contract_value == 90000
    assert any("新台币90,000元" in text for text in _suggestions(report))
    assert report.to_dict()["facts"]["currency"] == "TWD"
    with pytest.raises(FactError, match="not an amount"):
        audit(SAMPLES / "zh_02_douyin_package.txt", facts={"value": "about 9"})


def test_key_facts_a_corrected_price_reaches_the_brief() -> None:
    report = audit(SAMPLES / "zh_10_content_writing.txt", facts={"value": "38400"})
    brief = build_brief(report, "early_exit")
    assert brief.contract_value == 38400


@pytest.mark.parametrize("kind", [*TYPES, "general"])
@pytest.mark.parametrize("law", [None, "HK", "TW"])
def test_key_facts_every_type_and_law_has_complete_wording(kind: str, law: str | None) -> None:
    for check in CHECKS:
        lexicon = typed_lexicon(check.lexicon, kind, law)
        for lang in ("zh", "en"):
            text = fill(lexicon.template(lang), {}, lang)  # type: ignore[arg-type]
            assert text.strip() and not re.search(r"\{[^{}]*\}", text), (kind, check.id, lang)


@pytest.mark.parametrize(
    ("text", "currency"),
    [("技术咨询费总额为：¥     元。", "CNY"), ("服務費總額為新臺幣＿＿＿＿元。", "TWD"), ("服务费为【 】元。", "CNY")],
)
def test_key_facts_a_price_left_blank_still_says_its_currency(text: str, currency: str) -> None:
    facts = audit_text("甲方：上海云杉商贸有限公司\n乙方：杭州青禾文化传媒有限公司\n第一条 费用\n" + text).key_facts
    assert facts is not None and (facts.value, facts.currency) == (None, currency)
