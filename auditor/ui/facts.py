"""The desk's key-facts panel: what the suggestions were filled with, and a form to correct any of it.

A correction is kept per file in the session (`fact_corrections`) and handed to the audit, which runs
again with it, as `--fact` does on the command line.
"""

from __future__ import annotations

import streamlit as st

from auditor.analyse.key_facts import FACT_FIELDS
from auditor.model import AuditReport
from auditor.report.facts import fact_rows
from auditor.rules.wording import format_number
from auditor.ui.state import kv, t, ui_lang

EDITABLE = ("value", "currency", "start", "end", "governing_law", "type", "client", "provider")


def facts_panel(report: AuditReport) -> None:
    """The key facts as read (or corrected), and a form that re-runs the audit with the user's values."""
    facts = report.key_facts
    if facts is None:
        return
    with st.expander(t("facts_title"), icon=":material/fact_check:"):
        st.caption(" · ".join(kv(label, value) for label, value in fact_rows(facts, ui_lang())[:-1]))
        read = {
            **facts.to_dict(),
            "value": format_number(facts.value) if facts.value is not None else "",
            "client": report.parties.client,
            "provider": report.parties.provider,
        }
        with st.form("facts_form", border=False):
            columns = st.columns(4)
            typed = {
                key: columns[i % 4].text_input(t(f"fact_{key}"), value=str(read.get(key) or ""), key=f"fact_{key}")
                for i, key in enumerate(EDITABLE)
            }
            if st.form_submit_button(t("facts_apply"), icon=":material/refresh:"):
                changed = tuple(
                    (key, value.strip().replace(",", ""))
                    for key, value in typed.items()
                    if key in FACT_FIELDS and value.strip() != str(read.get(key) or "")
                )
                st.session_state["fact_corrections"] = (report.file, changed)
                st.rerun()
