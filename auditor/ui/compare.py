"""The desk's "对比两版 / Compare" tab: the contract on the desk against a revised draft the user uploads,
read as `contract-audit compare` reads them (`auditor/negotiate/compare.py`), with the JSON and the
revision as tracked changes to download.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from auditor.batch import worker
from auditor.lexicon import load_lexicon
from auditor.load import SUPPORTED_SUFFIXES, LoadError
from auditor.model import AuditReport
from auditor.negotiate.compare import Comparison, compare, marked, pair_label, to_dict, tracked_docx
from auditor.report.words import MARK, markdown_safe
from auditor.ui.state import Source, audit_file, kv, review_options_state, t

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def compare_tab(report: AuditReport, source: Source) -> None:
    """Upload the other side's revision; show what weakens the client first, then the audit delta, the
    red flags and the clause changes.
    """
    st.caption(t("compare_intro"))
    types = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]
    upload = st.file_uploader(t("compare_upload"), type=types, key="compare_upload")
    if upload is None:
        return
    playbook, side = review_options_state()
    try:
        with st.spinner(t("spinner")):
            revised = audit_file(upload.getvalue(), upload.name, None, playbook, side, ())
            result = compare(report, revised)
    except (LoadError, ValueError) as err:
        st.error(kv(t("cannot_read"), err), icon=":material/block:")
        return
    except worker.StoppedError as err:
        st.error(kv(t("cannot_read"), f"{upload.name}: {err}"), icon=":material/block:")
        return
    _show(result)
    original = source.data if source.name.lower().endswith(".docx") else None
    stem = f"{Path(source.name).stem}-vs-{Path(upload.name).stem}"
    js, wd, _ = st.columns(3)
    js.download_button(
        t("download_json"),
        json.dumps(to_dict(result), ensure_ascii=False, indent=2),
        f"{stem}.json",
        "application/json",
        icon=":material/data_object:",
        key="dl_compare_json",
        width="stretch",
        on_click="ignore",
    )
    wd.download_button(
        t("download_compare_docx"),
        tracked_docx(result, report, original),
        f"{stem}.docx",
        DOCX_MIME,
        icon=":material/difference:",
        key="dl_compare_docx",
        width="stretch",
        on_click="ignore",
    )


def _show(result: Comparison) -> None:
    """The comparison as the CLI's text report orders it, contract text shown as text."""
    words = load_lexicon("negotiate")

    def word(key: str) -> str:
        return words.reason(key, result.lang)

    if result.unchanged:
        st.success(word("unchanged"), icon=":material/check_circle:")
        return
    if result.weakened:
        st.subheader(word("heading_weakened"))
        for item in result.weakened:
            with st.container(border=True):
                st.markdown(f"**⚠ {markdown_safe(item.why)}**")
                st.text(f"{word('before')}: {item.before}\n{word('after')}: {item.after}")
    st.subheader(word("heading_checks"))
    rows = [
        f"{' → '.join(MARK[s] if s else '—' for s in (c.before, c.after))} {c.title}: {c.why}" for c in result.checks
    ]
    st.text("\n".join(rows))
    if result.flags_added or result.flags_removed:
        st.subheader(word("heading_flags"))
        flags = [f"+ {word('flag_came')}: {m}" for m in result.flags_added]
        st.text("\n".join(flags + [f"- {word('flag_went')}: {m}" for m in result.flags_removed]))
    st.subheader(word("heading_changes"))
    st.text("\n".join(f"[{word('kind_' + str(p.kind))}] {pair_label(p)}: {marked(p)}" for p in result.changes))
