"""Contract Auditor review desk (Streamlit): widgets and layout only.

The audit lives in `auditor.pipeline`, the rendering of evidence and the Word annotations in
`auditor.report.annotate`, the words in `lexicons/ui.toml` and `lexicons/report.toml`. Uploads stay in memory;
nothing here touches the network or the disk.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import streamlit as st

from auditor.dispute.model import SCENARIOS
from auditor.dispute.reading import scenario_title
from auditor.lexicon import load_lexicon
from auditor.load.source import reason
from auditor.model import AuditReport, Evidence, Finding, Lang, Status
from auditor.report.html import anchor, clause_at, contract_html, evidence_html
from auditor.report.render import to_json, to_markdown
from auditor.report.words import MARK, markdown_safe, money, where
from auditor.ui.compare import compare_tab
from auditor.ui.facts import facts_panel
from auditor.ui.sidebar import sidebar
from auditor.ui.state import Source, brief_files, kv, redline_file, run_audit, t, ui_lang, w, warm_up, word_file

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The tab's icon: an emoji becomes an inline SVG, where a ":material/…:" page icon makes the browser fetch
# it from fonts.gstatic.com (icons inside the page use the font Streamlit ships, so they stay local).
PAGE_ICON = "⚖️"


STATUS_CLASS = {Status.PASS: "ca-pass", Status.WEAK: "ca-weakcard", Status.MISSING: "ca-missing"}


CSS = """<style>
.ca-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(112px,1fr));gap:.5rem;
  margin:.25rem 0 .75rem}
.ca-card{border-radius:.5rem;padding:.5rem .7rem;text-decoration:none!important;border:1px solid transparent}
.ca-card .t{font-weight:600;font-size:.92rem;color:#1f2933}
.ca-card .s{font-size:.85rem;margin-top:.15rem}
.ca-pass{background:#e7f5ec;border-color:#b7e0c4}.ca-pass .s{color:#1e7b3c}
.ca-weakcard{background:#fff4e0;border-color:#f5d29a}.ca-weakcard .s{color:#9a5b00}
.ca-missing{background:#fdecea;border-color:#f3b8b2}.ca-missing .s{color:#b3261e}
.ca-flags{margin:0;padding-left:0;list-style:none}.ca-flags li{margin:.3rem 0}
.ca-sev{display:inline-block;min-width:1.6rem;text-align:center;border-radius:.3rem;color:#fff;font-size:.8rem;
  padding:0 .3rem;margin-right:.4rem}
.ca-sev3{background:#c62828}.ca-sev2{background:#e07b00}.ca-sev1{background:#b8a200}
[data-testid="stMainBlockContainer"]{padding-top:2.5rem}
.ca-where{color:#6b7280;font-size:.85rem}
.ca-reasons{margin:.1rem 0 .4rem 1.1rem;padding:0}
.ca-evidence{background:#fafafa;border-left:3px solid #d1d5db;padding:.4rem .6rem;line-height:1.7;
  margin-bottom:.3rem}
mark.ca-ok{background:#d8f0df}mark.ca-weak{background:#ffe4b3}mark.ca-flag{background:#ffd0cc}
b.ca-cue{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.ca-contract{line-height:1.8;font-size:.95rem}
.ca-clause{padding:.2rem .6rem;margin:.1rem 0;border-left:3px solid transparent;scroll-margin-top:4rem}
.ca-heading{font-weight:700;margin-top:.6rem}.ca-table_row{font-family:monospace;font-size:.88rem}
.ca-ok-clause{border-left-color:#7cc58f}.ca-weak-clause{border-left-color:#f0a830}
.ca-flag-clause{border-left-color:#e5534b}.ca-focus{outline:2px solid #2563eb;border-radius:.3rem}
.ca-chip{display:inline-block;font-size:.75rem;border-radius:.6rem;padding:0 .45rem;margin:.1rem .25rem 0 0}
.ca-chip.ca-ok{background:#e7f5ec}.ca-chip.ca-weak{background:#fff4e0}.ca-chip.ca-flag{background:#fdecea}
.ca-page{float:right;color:#9ca3af;font-size:.75rem}
</style>"""


def _focus(file: str, index: int, label: str) -> None:
    st.session_state["focus"] = (file, index, label)
    st.session_state["tab"] = t("tab_text")


def overview(report: AuditReport, lang_override: Lang | None) -> None:
    """File facts, the summary line, a badge per check and the red flags, most serious first."""
    p = report.parties
    facts = [f":material/description: {markdown_safe(report.file)}"]
    if report.pages:
        facts.append(f"{w('pages')} {report.pages}")
    how = t("how_set" if lang_override else "how_auto")
    facts.append(t("detected", language=t(f"lang_{report.language}"), how=how))
    if p.client or p.client_alias:
        facts.append(kv(w("client"), p.client or p.client_alias))
    if p.provider or p.provider_alias:
        facts.append(kv(w("provider"), p.provider or p.provider_alias))
    if report.contract_value:
        facts.append(kv(w("contract_value"), money(report.contract_value)))
    st.caption(" · ".join(facts))
    if report.contract_type is not None:
        st.caption(
            t(
                "playbook_used",
                playbook=markdown_safe(report.playbook or t("playbook_none")),
                side=t(f"perspective_{report.perspective}"),
                proposed=markdown_safe(report.contract_type.playbook),
                why=markdown_safe(report.contract_type.reason),
            )
        )
    st.subheader(t("scorecard"))
    counts = {status: sum(f.status is status for f in report.findings) for status in Status}
    summary = w(
        "summary",
        total=len(report.findings),
        passed=counts[Status.PASS],
        weak=counts[Status.WEAK],
        missing=counts[Status.MISSING],
        flags=len(report.red_flags),
    )
    st.markdown(f"**{summary}**")
    cards = "".join(
        f"<a class='ca-card {STATUS_CLASS[f.status]}' href='#ca-f-{f.check_id}'><div class='t'>"
        f"{html.escape(f.title)}</div><div class='s'>{MARK[f.status]} {w(f.status.value)}</div></a>"
        for f in report.findings
    )
    st.html(f"<div class='ca-cards'>{cards}</div>")
    st.markdown(f"**{w('red_flags')}**")
    if not report.red_flags:
        st.success(w("no_red_flags"))
        return
    items = "".join(
        f"<li><span class='ca-sev ca-sev{flag.severity}'>{t(f'severity_{flag.severity}')}</span>"
        f"{html.escape(flag.message)} "
        f"<span class='ca-where'>{html.escape(_places(flag.evidence))}</span></li>"
        for flag in report.red_flags
    )
    st.html(f"<ul class='ca-flags'>{items}</ul>")


def _places(evidence: tuple[Evidence, ...]) -> str:
    return " · ".join(dict.fromkeys(_where(ev) for ev in evidence if _where(ev)))


def _where(ev: Evidence) -> str:
    return where(ev.clause, ev.page, ui_lang())


def _bullets(items: tuple[str, ...]) -> str:
    return "<ul class='ca-reasons'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def findings_tab(report: AuditReport) -> None:
    """Each check: reasons, notes, evidence in its clause with the cue marked, and the suggested wording."""
    for f in report.findings:
        st.html(f"<div id='ca-f-{f.check_id}'></div>")
        label = f"{MARK[f.status]} {markdown_safe(f.title)} · {w(f.status.value)}"
        with st.expander(label, expanded=f.status is not Status.PASS):
            finding_body(report, f)


def finding_body(report: AuditReport, f: Finding) -> None:
    """The inside of one check's panel."""
    st.markdown(f"**{w('reasons')}**")
    st.html(_bullets(f.reasons))
    if f.notes:
        st.markdown(f"**{w('notes')}**")
        st.html(_bullets(f.notes))
    st.markdown(f"**{w('evidence')}**")
    if not f.evidence:
        st.caption(t("nothing_found"))
    for i, ev in enumerate(f.evidence):
        head, button = st.columns([5, 1], vertical_alignment="center")
        head.caption(markdown_safe(_where(ev)) or "—")
        clause = clause_at(report, ev.start)
        if clause is not None:
            button.button(
                t("jump"),
                key=f"jump-{f.check_id}-{i}",
                type="tertiary",
                icon=":material/north_east:",
                on_click=_focus,
                args=(report.file, clause.index, clause.label),
            )
        st.html(evidence_html(report, ev, f.check_id, f.status))
    if f.suggestion:
        st.markdown(f"**{w('suggestion')}**")
        st.code(f.suggestion, language=None, wrap_lines=True)
        st.caption(t("copy_hint"))


def text_tab(report: AuditReport) -> None:
    """The whole contract with cited clauses marked; a jump from a finding outlines and scrolls to it."""
    focus: tuple[str, int, str] | None = st.session_state.get("focus")
    index = focus[1] if focus and focus[0] == report.file else None
    left, right = st.columns([2, 3], vertical_alignment="center")
    cited_only = left.toggle(t("cited_only"), key="cited_only")
    right.html(
        f"<span class='ca-where'>{t('legend')} <mark class='ca-flag'>{t('legend_flag')}</mark> "
        f"<mark class='ca-weak'>{t('legend_weak')}</mark> <mark class='ca-ok'>{t('legend_ok')}</mark> "
        f"<b class='ca-cue'>{t('legend_cue')}</b></span>"
    )
    if focus is not None and index is not None:
        st.info(t("focused", clause=markdown_safe(focus[2])), icon=":material/my_location:")
    with st.container(height=640, border=True):
        st.html(contract_html(report, cited_only=cited_only, focus=index))
    if index is not None:
        target = anchor(report.clauses[index])
        st.html(
            "<script>setTimeout(() => document.getElementById("
            f"'{target}')?.scrollIntoView({{block: 'center'}}), 300);</script>",
            unsafe_allow_javascript=True,
        )


def redline_button(report: AuditReport, original: bytes | None, stem: str) -> None:
    """The redline download: the user's own Word file with the suggested clauses as tracked changes."""
    st.download_button(
        t("download_redline"),
        redline_file(report, original, report.text, report.language),
        f"{stem}-redline.docx",
        DOCX_MIME,
        icon=":material/edit_note:",
        key="dl_redline",
        help=t("download_redline_help"),
        on_click="ignore",  # a rerun could replace the file before the browser has fetched it
    )


def downloads_tab(report: AuditReport, source: Source) -> None:
    """Markdown, JSON and the annotated Word file, all in the contract's language."""
    st.caption(t("download_intro"))
    stem = Path(source.name).stem
    original = source.data if source.name.lower().endswith(".docx") else None
    try:
        docx_bytes: bytes | None = word_file(report, original, report.text, report.language)
    except Exception as err:  # noqa: BLE001 - a part of the user's file python-docx cannot take
        docx_bytes = None
        st.warning(kv(t("docx_failed"), reason(err)), icon=":material/info:")
    md, js, wd = st.columns(3)
    md.download_button(
        t("download_md"),
        to_markdown(report),
        f"{stem}-audit.md",
        "text/markdown",
        icon=":material/article:",
        key="dl_md",
        width="stretch",
    )
    js.download_button(
        t("download_json"),
        to_json(report),
        f"{stem}-audit.json",
        "application/json",
        icon=":material/data_object:",
        key="dl_json",
        width="stretch",
    )
    if docx_bytes is None:
        return
    redline_button(report, original, stem)
    wd.download_button(
        t("download_docx"),
        docx_bytes,
        f"{stem}-annotated.docx",
        DOCX_MIME,
        icon=":material/rate_review:",
        key="dl_docx",
        width="stretch",
        type="primary",
    )


def dispute_tab(report: AuditReport, source: Source) -> None:
    """The contract read for the situation the client is in, in the interface language, with downloads."""
    if report.perspective != "client":
        st.info(t("dispute_client_only"), icon=":material/info:")
        return
    st.caption(t("dispute_intro"))
    scenario = st.radio(
        t("dispute_pick"),
        SCENARIOS,
        format_func=lambda s: scenario_title(s, ui_lang()),
        key="scenario",
        horizontal=True,
    )
    markdown, word = brief_files(report, report.text, report.language, scenario, ui_lang())
    stem = f"{Path(source.name).stem}-{scenario}"
    md, wd, _ = st.columns(3)
    md.download_button(
        t("download_brief_md"),
        markdown,
        f"{stem}.md",
        "text/markdown",
        icon=":material/article:",
        key="dl_brief_md",
        width="stretch",
    )
    wd.download_button(
        t("download_brief_docx"),
        word,
        f"{stem}.docx",
        DOCX_MIME,
        icon=":material/description:",
        key="dl_brief_docx",
        width="stretch",
    )
    with st.container(border=True):
        st.markdown(re.sub(r"^#", "###", markdown, flags=re.MULTILINE))  # headings sized for a panel


def main() -> None:
    """One page: sidebar input, header, scorecard and red flags, then the tabs."""
    st.set_page_config(page_title="合同条款审计 · Contract Auditor", page_icon=PAGE_ICON, layout="wide")
    st.html(CSS)
    warm_up()
    source, lang = sidebar()
    st.title(f":material/fact_check: {load_lexicon('ui').title[ui_lang()]}")
    st.caption(f"{t('tagline')}  \n:material/balance: **{t('not_advice')}**")
    if source is None:
        st.info(t("welcome"), icon=":material/arrow_back:")
        return
    report = run_audit(source, lang)
    if report is None:
        return
    overview(report, lang)
    facts_panel(report)
    if report.warnings:
        st.warning("\n".join(f"- {markdown_safe(x)}" for x in report.warnings), icon=":material/info:")
    labels = [t("tab_findings"), t("tab_text"), t("tab_dispute"), t("tab_compare"), t("tab_downloads")]
    findings, text, dispute, comparison, downloads = st.tabs(labels, key="tab", on_change="rerun")
    with findings:
        findings_tab(report)
    with text:
        text_tab(report)
    with downloads:
        downloads_tab(report, source)
    with dispute:  # last, so that the report's own tabs are complete whatever the brief does
        dispute_tab(report, source)
    with comparison:
        compare_tab(report, source)


if __name__ == "__main__":  # `streamlit run` runs the script as __main__
    main()
