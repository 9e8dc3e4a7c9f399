"""Big-screen (wall) mode of One Map and its compact KPI strip.

?screen=wall on the page URL hides the sidebar, header and toolbar and uses the full width of the screen;
the page keeps working the same way underneath (sign-in of a wall screen is ui/auth.py's business)."""
from __future__ import annotations

from html import escape

import streamlit as st

from layers import theme

WALL_PARAM, WALL_VALUE = "screen", "wall"
WALL_MIN_PX = 22  # labels, data time and list on the wall (the long legend 20 px): >= 20 px at 1920x1080

# Streamlit's own test ids: hiding them removes the chrome without touching what the page draws.
_WALL_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebarNav"], [data-testid="stElementToolbar"],
footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
    padding: 0.6rem 1rem 0 1rem !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"] > .main, [data-testid="stMain"] { margin-left: 0 !important; }
h1 { font-size: 1.7rem !important; padding: 0 0 0.2rem 0 !important; }
/* Read across a room at 1920x1080: nothing a viewer must read is smaller than WALL_MIN_PX. */
.onemap-kpi .k { font-size: __LABEL__px !important; white-space: normal !important; line-height: 1.2; }
.onemap-kpi .v { font-size: 40px !important; }
.onemap-kpi.rate .v { font-size: 36px !important; }
.onemap-legend, .onemap-legend-title, .onemap-legend-item { font-size: 20px !important; }
.onemap-legend-title { margin-top: 2px !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: __LABEL__px !important; }
.onemap-wall-top { display: flex; align-items: baseline; gap: 32px; margin: 0 0 4px 0; font-size: __LABEL__px; }
.onemap-wall-top .clock { font-size: 40px; font-weight: 700; font-variant-numeric: tabular-nums; }
.onemap-wall-top .day, .onemap-wall-top .asof { font-size: __LABEL__px; }
.onemap-wall-list { width: 100%; border-collapse: collapse; font-size: __LABEL__px; }
.onemap-wall-list-title { font-size: __LABEL__px; font-weight: 700; margin: 0 0 2px 0; }
.onemap-wall-list td { padding: 0 6px; border-bottom: 1px solid #2A3A55; white-space: nowrap; }
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


def wall_css() -> str:
    return _WALL_CSS.replace("__LABEL__", str(WALL_MIN_PX))


def apply_wall_chrome() -> None:
    """Hide Streamlit's chrome for the wall screen and set its type sizes (CSS only)."""
    st.html(wall_css())


def top_bar(clock_text: str, clock_label: str, day_text: str, data_time: str) -> None:
    """The wall's first line: the app's clock (data/clock.py, China time) and the time of the data shown,
    large, above the KPI strip. Redrawn with every refresh of the page's live fragment."""
    st.html(f'<div class="onemap-wall-top" data-testid="onemap-wall-top">'
            f'<span class="clock" data-testid="onemap-wall-clock">{escape(clock_text)}</span>'
            f'<span class="day">{escape(clock_label)} {escape(day_text)}</span>'
            f'<span class="asof" data-testid="onemap-wall-asof">{escape(data_time)}</span></div>')


def incident_list(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """The wall's incident list as plain HTML in the wall's type size: nothing to scroll, sort or click, and
    only what a room may see (time, severity, hazard, township, status; never a caller or a description)."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    st.html(f'<div class="onemap-wall-list-title">{escape(title)}</div>'
            f'<table class="onemap-wall-list"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


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
