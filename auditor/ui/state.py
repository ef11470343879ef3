"""What the desk keeps between reruns, and the cached work behind it: the user's input, the interface
language and its words, the audits, Word files and briefs (cached by content, in memory only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import streamlit as st

from auditor.analyse.key_facts import FactError
from auditor.analyse.nlp import warm
from auditor.batch import worker
from auditor.dispute.brief import build_brief
from auditor.dispute.render import to_docx as brief_docx
from auditor.dispute.render import to_markdown as brief_markdown
from auditor.lexicon import lexicon_names, load_lexicon
from auditor.load import LoadError, load_text
from auditor.model import AuditReport, Lang, Perspective
from auditor.negotiate.redline import redline_docx
from auditor.pipeline import audit, audit_document
from auditor.report.annotate import annotated_docx
from auditor.report.words import markdown_safe, report_word, ui_word
from auditor.ui.launch import MAX_UPLOAD_MB

MAX_MB = MAX_UPLOAD_MB  # the server refuses larger uploads too (launch.SERVER_OPTIONS)


@dataclass(frozen=True, slots=True)
class Source:
    """What the user gave us: a file's bytes, or pasted text."""

    name: str
    data: bytes | None = None
    text: str | None = None


def ui_lang() -> Lang:
    """The interface language (Chinese first), separate from the contract's."""
    return st.session_state.get("ui_lang") or "zh"


def t(key: str, **values: object) -> str:
    """A UI word in the interface language."""
    return ui_word(key, ui_lang(), **values)


def w(key: str, **values: object) -> str:
    """A report word (pass, evidence, suggestion…) in the interface language."""
    return report_word(key, ui_lang(), **values)


def kv(label: str, value: object) -> str:
    """A "label: value" line with the colon of the interface language; the value (a party's name, a
    loader message naming the file) is shown as text, never as Markdown.
    """
    return f"{label}{'：' if ui_lang() == 'zh' else ': '}{markdown_safe(str(value))}"


@st.cache_resource(show_spinner=False)
def warm_up() -> None:
    """Build jieba, the English tokenizer rules and every lexicon once per process, before the first audit."""
    for name in lexicon_names():
        load_lexicon(name)
    warm()


Corrections = tuple[tuple[str, str], ...]  # the user's corrections of the key facts, (field, value)


@st.cache_data(max_entries=16, show_spinner=False)
def audit_file(
    data: bytes,
    name: str,
    lang: Lang | None,
    playbook: str | None = None,
    perspective: Perspective = "client",
    facts: Corrections = (),
) -> AuditReport:
    """Audit uploaded bytes; cached by their hash, so reruns and language switches back are instant."""
    return _stoppable(
        partial(audit, data, filename=name, lang=lang, playbook=playbook, perspective=perspective, facts=dict(facts))
    )


@st.cache_data(max_entries=16, show_spinner=False)
def audit_pasted(
    text: str,
    lang: Lang | None,
    playbook: str | None = None,
    perspective: Perspective = "client",
    facts: Corrections = (),
) -> AuditReport:
    """Audit pasted text, cached like a file."""
    doc = load_text(text, "pasted.txt")
    return _stoppable(
        partial(audit_document, doc, lang=lang, playbook=playbook, perspective=perspective, facts=dict(facts))
    )


def _stoppable(audit_call: partial[AuditReport]) -> AuditReport:
    """The audit in a worker process, killed at the time or memory limit, so a hostile file cannot keep
    the server busy after its browser has gone.
    """
    return worker.call(audit_call, timeout=worker.DEFAULT_TIMEOUT, max_memory=worker.DEFAULT_MAX_MEMORY_MB)


def corrections_for(name: str) -> Corrections:
    """The corrections the user made to this file's facts in the desk, if any (see ui/facts.py)."""
    stored: tuple[str, Corrections] | None = st.session_state.get("fact_corrections")
    return stored[1] if stored and stored[0] == name else ()


@st.cache_data(max_entries=16, show_spinner=False)
def word_file(_report: AuditReport, original: bytes | None, text: str, lang: Lang) -> bytes:
    """The annotated Word file; `text` and `lang` (hashed) stand in for the report, which is not hashed."""
    return annotated_docx(_report, original)


@st.cache_data(max_entries=16, show_spinner=False)
def redline_file(_report: AuditReport, original: bytes | None, text: str, lang: Lang) -> bytes:
    """The contract with the suggested clauses as tracked changes; `text` and `lang` (hashed) stand in for
    the report, as for `word_file`.
    """
    return redline_docx(_report, original)


@st.cache_data(max_entries=32, show_spinner=False)
def brief_files(_report: AuditReport, text: str, contract_lang: Lang, scenario: str, lang: Lang) -> tuple[str, bytes]:
    """A dispute brief as Markdown and Word; the text and languages (hashed) stand in for the report."""
    brief = build_brief(_report, scenario, lang)
    return brief_markdown(brief), brief_docx(brief)


def run_audit(source: Source, lang: Lang | None) -> AuditReport | None:
    """The cached audit behind a spinner; a file that cannot be read becomes a message, not a traceback."""
    if source.data is not None and len(source.data) > MAX_MB * 2**20:
        size = math.ceil(len(source.data) / 2**20 * 10) / 10
        st.error(t("too_big", name=markdown_safe(source.name), size=size, mb=MAX_MB), icon=":material/block:")
        return None
    playbook, side = review_options_state()
    name = "pasted.txt" if source.text is not None else source.name
    facts = corrections_for(name)
    try:
        with st.spinner(t("spinner")):
            if source.text is not None:
                return audit_pasted(source.text, lang, playbook, side, facts)
            return audit_file(source.data or b"", source.name, lang, playbook, side, facts)
    except LoadError as err:
        st.error(kv(t("cannot_read"), err), icon=":material/block:")
        return None
    except worker.StoppedError as err:
        st.error(kv(t("cannot_read"), f"{name}: {err}"), icon=":material/block:")
        return None
    except FactError as err:
        st.error(kv(t("facts_invalid"), err), icon=":material/block:")
        st.session_state.pop("fact_corrections", None)
        return None


def review_options_state() -> tuple[str | None, Perspective]:
    """The sidebar's playbook and side, as chosen (the widgets keep them in the session)."""
    choice = st.session_state.get("playbook")
    side: Perspective = "provider" if st.session_state.get("perspective") == "provider" else "client"
    return (None if choice in (None, "none") else str(choice)), side
