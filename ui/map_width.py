"""The width of a map's column in the browser, so the county's initial view fits the map actually shown (1920,
1440 or 1024 pixels wide screens, sidebar open or not) instead of one fixed size. A few lines of JavaScript
(components v2, no iframe, nothing drawn) report the column's width, rounded to 10 px, once and after a resize;
until the first report (and in AppTests) the caller's default size is used.

    width = map_width.measure("one_map")   # call inside the map's column, before the chart
"""
from __future__ import annotations

import streamlit as st

_JS = """
export default function ({ parentElement, setStateValue, data }) {
  const here = parentElement.host || parentElement;  // a shadow root (isolated styles) or the element
  const column = here.closest('[data-testid="stColumn"]') || here.closest('[data-testid="stVerticalBlock"]');
  if (!column) return;
  let sent = data.known || 0;
  const report = () => {
    const width = Math.round(column.getBoundingClientRect().width / 10) * 10;
    if (width >= 200 && Math.abs(width - sent) >= 20) {  // a scrollbar's come and go is no reason to refit
      sent = width;
      setStateValue("width", width);
    }
  };
  const observer = new ResizeObserver(report);
  observer.observe(column);
  report();
  return () => observer.disconnect();
}
"""


def measure(name: str) -> int | None:
    """The width in CSS pixels of the column this is called in, as last reported by the browser; None before
    the first report."""
    key = f"map_width_{name}"
    known = st.session_state.get(key, {}) or {}
    width = known.get("width") if hasattr(known, "get") else None
    component = st.components.v2.component("onemap_map_width", js=_JS)
    component(data={"known": width or 0}, key=key, height=0, on_width_change=lambda: None)
    value = (st.session_state.get(key, {}) or {})
    width = value.get("width") if hasattr(value, "get") else None
    return int(width) if isinstance(width, (int, float)) and width >= 200 else None
