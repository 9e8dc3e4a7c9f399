"""The UI language of a browser session: chosen in the sidebar, kept in the URL, used by every label."""
from __future__ import annotations

import streamlit as st

import i18n


def lang() -> str:
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        st.session_state["lang"] = wanted if wanted in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return st.session_state["lang"]


def t(key: str, **values) -> str:
    return i18n.translate(key, lang(), **values)


def language_switch() -> str:
    """Sidebar selector; the choice also goes into the URL so a shared link keeps the language."""
    current = lang()
    options = list(i18n.LANGUAGES)
    chosen = st.sidebar.selectbox(t("app.language"), options, index=options.index(current),
                                  format_func=i18n.LANGUAGES.get, key="lang_select")
    if chosen != current:
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()
    return chosen
