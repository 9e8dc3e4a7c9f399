"""The first line of every page: run under app.py's navigation, signed in, and allowed on that page."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from data.accounts import User
from ui import auth
from ui.language import t

REFUSED_KEY = "nav_refused"  # the title of a page this role may not open, asked for by URL


def require(page: str) -> User:
    """Return the signed-in user if their role may open `page` (a data/roles.py PAGES key); otherwise show the
    sign-in form or a refusal and stop, so a direct URL gets the same answer as the navigation.

    Streamlit 1.67 has no supported way to keep a folder named pages/ beside app.py from being read as old-style
    page files: until some session calls st.navigation, a page opened by URL runs alone (no page config, no
    language switch, file names as navigation). The private class flag below is what st.navigation itself clears;
    clearing it and rerunning puts this session under app.py. tests/ui/test_navigation.py pins the behaviour."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return auth.enforce(page)


def refused(title: str, home) -> Callable[[], None]:
    """The stand-in for a page the role may not open, at that page's URL (a shared or bookmarked link): it
    sends the user to One Map, which says why, instead of Streamlit's "page not found"."""
    def send_home() -> None:
        st.session_state[REFUSED_KEY] = title
        st.switch_page(home)
    return send_home


def show_refusal() -> None:
    """Say, once, that the page a link asked for is not open to this role (app.py, before the page runs)."""
    title = st.session_state.pop(REFUSED_KEY, None)
    if title:
        st.warning(t("nav.refused", page=title))
