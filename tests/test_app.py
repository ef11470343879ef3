"""The review desk through Streamlit's AppTest: sample, paste, upload, languages, downloads, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auditor.checks import CHECKS
from auditor.dispute.model import SCENARIOS
from auditor.dispute.reading import scenario_title
from auditor.model import Status
from auditor.pipeline import audit
from auditor.report.words import markdown_safe

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_contracts"
SAMPLE = "zh_02_douyin_package.txt"
TIMEOUT = 60  # the first run builds the spaCy/jieba pipelines


def _start() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()


def _with_sample(name: str = SAMPLE) -> AppTest:
    at = _start()
    at.sidebar.radio(key="mode").set_value("sample").run()
    at.sidebar.selectbox(key="sample").select(name).run()
    return at


def _upload(name: str, content: bytes) -> AppTest:
    at = _start()
    at.sidebar.file_uploader[0].upload(name, content).run()
    return at


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def _non_pass(name: str) -> int:
    return sum(f.status is not Status.PASS for f in audit(SAMPLES / name).findings)


def test_app_opens_on_welcome_with_the_not_legal_advice_note() -> None:
    at = _start()
    assert not at.exception
    assert "上传合同" in at.info[0].value
    assert "不提供法律意见" in _captions(at)


def test_app_sample_pick_shows_scorecard_checks_and_suggestions() -> None:
    at = _with_sample()
    assert not at.exception
    assert not at.error
    assert at.subheader[0].value == "审查概览"
    assert any(f"共 {len(CHECKS)} 项" in m.value for m in at.markdown)
    assert len(at.expander) == len(CHECKS) + 1  # the contract's facts, then one per check
    assert len(at.code) == _non_pass(SAMPLE)
    assert [t.label for t in at.tabs] == ["审查结果", "合同原文", "纠纷应对", "对比两版", "下载"]


def test_app_paste_text_is_audited() -> None:
    at = _start()
    at.sidebar.radio(key="mode").set_value("paste").run()
    at.sidebar.text_area(key="paste_text").input((SAMPLES / SAMPLE).read_text(encoding="utf-8"))
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert len(at.expander) == len(CHECKS) + 1
    assert "pasted.txt" in _captions(at)


def test_app_empty_paste_asks_for_text() -> None:
    at = _start()
    at.sidebar.radio(key="mode").set_value("paste").run()
    at.sidebar.text_area(key="paste_text").input("   \n ")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert "请先粘贴合同文本" in at.sidebar.warning[0].value
    assert not at.expander


def test_app_interface_language_switches_to_english() -> None:
    at = _with_sample()
    at.session_state["tab"] = "下载"
    at.sidebar.segmented_control(key="ui_lang").set_value("en").run()
    assert not at.exception
    assert at.subheader[0].value == "Scorecard"
    assert [t.label for t in at.tabs] == ["Findings", "Contract text", "Dispute", "Compare", "Downloads"]
    assert all(" · weak" in e.label or " · missing" in e.label or " · pass" in e.label for e in at.expander[1:])
    assert "Contract language: Chinese (detected)" in _captions(at)


def test_app_contract_language_override_reruns_the_audit() -> None:
    at = _with_sample()
    at.sidebar.segmented_control(key="contract_lang").set_value("en").run()
    assert not at.exception
    assert "合同语言：英文（手动指定）" in _captions(at)
    assert any("Scope and volume" in e.label for e in at.expander)


def test_app_offers_each_download() -> None:
    at = _with_sample()
    buttons = {b.key: b.label for b in at.download_button}
    assert buttons["dl_md"] == "Markdown 报告"
    assert buttons["dl_json"] == "JSON 数据"
    assert buttons["dl_docx"] == "Word 批注版"
    assert buttons["dl_redline"] == "Word 修订版"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_app_dispute_tab_shows_the_brief_for_the_chosen_scenario(scenario: str) -> None:
    at = _with_sample()
    at.radio(key="scenario").set_value(scenario).run()
    assert not at.exception
    assert any(scenario_title(scenario, "zh") in m.value for m in at.markdown)
    keys = {b.key for b in at.download_button}
    assert {"dl_brief_md", "dl_brief_docx"} <= keys


def test_app_jump_opens_the_contract_text_at_the_clause() -> None:
    at = _with_sample()
    jump = next(b for b in at.button if b.key and b.key.startswith("jump-"))
    jump.click().run()
    assert not at.exception
    assert at.session_state["tab"] == "合同原文"
    assert "已定位到" in at.info[0].value


def test_app_upload_docx_is_audited() -> None:
    at = _upload("zh_06_ad_agency.docx", (SAMPLES / "zh_06_ad_agency.docx").read_bytes())
    assert not at.exception
    assert not at.error
    assert len(at.expander) == len(CHECKS) + 1
    assert markdown_safe("zh_06_ad_agency.docx") in _captions(at)  # shown as text, its "_" escaped


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<", "damaged"),
        ("sheet.docx", b"PK\x05\x06" + bytes(18), "sheet.docx"),
        ("huge.txt", b"a" * (20 * 2**20 + 1), "超过 20 MB 的上限"),
    ],
)
def test_app_bad_upload_shows_a_message_not_a_traceback(name: str, content: bytes, message: str) -> None:
    at = _upload(name, content)
    assert not at.exception
    assert not at.expander
    assert message in at.error[0].value


def test_app_corrected_fact_reruns_the_audit_with_it() -> None:
    at = _with_sample()
    assert not at.exception
    at.text_input(key="fact_value").set_value("90000")
    at.text_input(key="fact_currency").set_value("TWD")
    next(b for b in at.button if b.label.startswith("按更正")).click().run()
    assert not at.exception
    assert any("新台币90,000元" in c.value for c in at.code)
    assert "90,000" in _captions(at)


def test_app_impossible_fact_is_a_message_not_a_traceback() -> None:
    at = _with_sample()
    at.text_input(key="fact_start").set_value("next spring")
    next(b for b in at.button if b.label.startswith("按更正")).click().run()
    assert not at.exception
    assert any("not a date" in e.value for e in at.error)


def test_app_compare_tab_says_an_identical_draft_is_the_same() -> None:
    at = _with_sample()
    at.file_uploader(key="compare_upload").upload(SAMPLE, (SAMPLES / SAMPLE).read_bytes()).run()
    assert not at.exception
    assert "两版内容相同" in at.success[0].value
    assert "dl_compare_docx" in {b.key for b in at.download_button}


def test_app_compare_tab_puts_what_weakens_the_client_first() -> None:
    at = _with_sample()
    revised = audit(SAMPLES / SAMPLE).text.replace("本协议自甲方付款之日起生效。", "本协议期满后自动续约一年。")
    at.file_uploader(key="compare_upload").upload("revised.txt", revised.encode()).run()
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings.index("对甲方不利的修改") < headings.index("审查结论变化") < headings.index("条款变化")
    assert any("自动续约" in x.value for x in at.text)
