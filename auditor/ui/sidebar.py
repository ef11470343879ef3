"""The desk's sidebar: upload, paste or a bundled sample; the contract's and the interface's language;
the playbook and the side to review for.
"""

from __future__ import annotations

import streamlit as st

from auditor.load import SUPPORTED_SUFFIXES
from auditor.model import Lang, Perspective
from auditor.resources import sample, sample_names
from auditor.review.playbook import bundled_names
from auditor.ui.state import MAX_MB, Source, t


def _on_ui_lang() -> None:
    st.session_state.pop("tab", None)  # the selected tab is stored by label, which just changed language


def sidebar() -> tuple[Source | None, Lang | None]:
    """Input (upload / paste / sample), contract language override, interface language."""
    with st.sidebar:
        st.segmented_control(
            t("ui_language"),
            ["zh", "en"],
            key="ui_lang",
            default="zh",
            required=True,
            format_func=lambda k: {"zh": "中文", "en": "English"}[k],
            on_change=_on_ui_lang,
        )
        modes = {"upload": t("mode_upload"), "paste": t("mode_paste"), "sample": t("mode_sample")}
        mode = st.radio(t("source"), list(modes), format_func=lambda k: modes[k], key="mode", horizontal=True)
        source = {"upload": _upload, "paste": _paste, "sample": _sample}[mode]()
        langs = {"auto": t("lang_auto"), "zh": t("lang_zh"), "en": t("lang_en")}
        lang = _choice(t("contract_lang"), langs, "contract_lang")
        review_options()
        st.divider()
        st.caption(f":material/lock: {t('privacy')}")
        st.caption(f":material/balance: {t('not_advice')}")
    chosen: Lang | None = "zh" if lang == "zh" else "en" if lang == "en" else None
    return source, chosen


def review_options() -> tuple[str | None, Perspective]:
    """The playbook (none: the rubric as bundled; auto: proposed from the contract type) and the side."""
    books = ["none", "auto", *bundled_names()]
    labels = {"none": t("playbook_none"), "auto": t("playbook_auto")}
    choice = st.selectbox(t("playbook"), books, key="playbook", format_func=lambda b: labels.get(b, b))
    sides = {"client": t("perspective_client"), "provider": t("perspective_provider")}
    side = _choice(t("perspective"), sides, "perspective")
    return (None if choice in (None, "none") else choice), ("provider" if side == "provider" else "client")


def _upload() -> Source | None:
    """The uploader; Streamlit itself refuses other file types and, by the config, larger files."""
    types = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]
    label = t("upload_label", types=", ".join(x.upper() for x in types), mb=MAX_MB)
    upload = st.file_uploader(label, type=types, key="upload")
    return None if upload is None else Source(upload.name, data=upload.getvalue())


def _paste() -> Source | None:
    """A text box in a form, so the audit runs on 开始审查 and not on every keystroke."""
    with st.form("paste_form", border=False):
        text = st.text_area(t("paste_label"), height=220, key="paste_text")
        if st.form_submit_button(t("paste_button"), type="primary"):
            st.session_state["pasted"] = text
    pasted = st.session_state.get("pasted")
    if pasted is None:
        return None
    if not pasted.strip():
        st.warning(t("empty_paste"))
        return None
    return Source("pasted.txt", text=pasted)


def _zh_first(name: str) -> tuple[bool, str]:
    return not name.startswith("zh"), name


def _sample() -> Source | None:
    """The bundled labelled corpus, Chinese contracts first, to see the tool work at once."""
    names = sorted(sample_names(), key=_zh_first)
    name = st.selectbox(t("sample_label"), names, key="sample")
    return Source(name, data=sample(name).read_bytes()) if name else None


def _choice(label: str, options: dict[str, str], key: str) -> str:
    """A required one-of-few choice shown as segments, labelled in the interface language, first by default."""
    chosen = st.segmented_control(
        label, list(options), format_func=lambda k: options[k], key=key, default=next(iter(options)), required=True
    )
    return str(chosen)
