"""Big-screen (wall) mode of One Map and its compact KPI strip.

?screen=wall on the page URL hides the sidebar, header and toolbar and uses the full width of the screen;
the page keeps working the same way underneath (sign-in of a wall screen is ui/auth.py's business)."""
from __future__ import annotations

from html import escape

import streamlit as st

from layers import theme

WALL_PARAM, WALL_VALUE = "screen", "wall"

# Streamlit's own test ids: hiding them removes the chrome without touching what the page draws.
_WALL_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebarNav"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
    padding: 0.6rem 1rem 0 1rem !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"] > .main, [data-testid="stMain"] { margin-left: 0 !important; }
h1 { font-size: 1.7rem !important; padding: 0 0 0.2rem 0 !important; }
</style>
"""

_STRIP_CSS = f"""
<style>
.onemap-kpis {{ display: flex; gap: 8px; flex-wrap: wrap; margin: 2px 0 6px 0; }}
.onemap-kpi {{ flex: 1 1 0; min-width: 110px; background: {theme.SURFACE}; border: 1px solid {theme.BORDER};
    border-radius: 6px; padding: 6px 10px; }}
.onemap-kpi .k {{ font-size: 0.9rem; color: {theme.TEXT_MUTED}; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }}
.onemap-kpi .v {{ font-size: 2rem; font-weight: 700; color: {theme.TEXT}; line-height: 1.15; }}
.onemap-kpi.alert {{ border-color: {theme.PRIMARY}; }}
.onemap-kpi.alert .v {{ color: {theme.ALERT_TEXT}; }}
.onemap-kpi.rate .v {{ font-size: 1.6rem; }}
.onemap-kpi-sep {{ flex: 0 0 2px; background: {theme.BORDER}; }}
</style>
"""


def is_wall() -> bool:
    return st.query_params.get(WALL_PARAM) == WALL_VALUE


def apply_wall_chrome() -> None:
    """Hide Streamlit's chrome for the wall screen (CSS only: the page's content is unchanged)."""
    st.html(_WALL_CSS)


def kpi_strip(items: list[dict]) -> None:
    """items: {"label", "value" (str), "help", "alert" (bool), "rate" (bool)}; a None item draws a separator.
    One HTML row: big numbers readable across a room, alerts outlined in orange."""
    parts = [_STRIP_CSS, '<div class="onemap-kpis">']
    for item in items:
        if item is None:
            parts.append('<div class="onemap-kpi-sep"></div>')
            continue
        classes = "onemap-kpi" + (" alert" if item.get("alert") else "") + (" rate" if item.get("rate") else "")
        parts.append(f'<div class="{classes}" title="{escape(item.get("help", ""))}">'
                     f'<div class="k">{escape(item["label"])}</div><div class="v">{escape(item["value"])}</div></div>')
    parts.append("</div>")
    st.html("".join(parts))
