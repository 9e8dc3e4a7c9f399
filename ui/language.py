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
    if chosen == "zh-CN":
        st.html(_CHROME_ZH)
    if chosen != current:
        _keep_choices()
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()
    return chosen


# Streamlit writes its own few words in English (the file uploader's button and limits); in the Chinese UI they
# are hidden and said in Chinese (hidden with display:none, so they are not in the page's text either).
_CHROME_ZH = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] { display: none; }
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after { content: "选择文件"; }
[data-testid="stFileUploaderDropzoneInstructions"] span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "拖放或选择文件，单个文件不超过 200MB"; font-size: 0.8rem; }
</style>"""


def _keep_choices() -> None:
    """Choice widgets (select boxes, radios, multiselects) hand the browser their options' labels and read labels
    back; after a language change the old labels match no option, and a format_func meets a value it cannot name
    (a TypeError on One Map's layer list). Setting each widget's value again from Python, while it still holds
    the codes the last run read, makes the next run send the new language's labels."""
    from streamlit.errors import StreamlitAPIException

    for key in list(st.session_state.keys()):
        if key == "lang_select":
            continue
        value = st.session_state[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float, list, tuple)):
            continue  # buttons and toggles carry no label; other state is not a widget value
        try:
            st.session_state[key] = value
        except StreamlitAPIException:  # a button or a form's submit button: its value cannot be set
            pass
