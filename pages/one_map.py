"""One Map: the county situation map (foundation version: base map, last 24 h incidents, headline counts)."""
from datetime import timedelta

import streamlit as st

import settings
from data.clock import now_cst
from layers import base, incidents
from ui import state

state.require_navigation()
t = state.t
cfg = settings.load()["map"]
st.title(t("onemap.heading"))

end = now_cst() + timedelta(minutes=1)
start = end - timedelta(hours=24)
counts = state.query("overview_counts", start=start, end=end).iloc[0]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("onemap.incidents_24h"), f"{counts.new_incidents:,}")
c2.metric(t("onemap.open_incidents"), f"{counts.open_incidents:,}")
c3.metric(t("onemap.major_incidents"), f"{counts.major_incidents:,}")
c4.metric(t("onemap.cameras_online"), f"{counts.cameras_online:,} / {counts.cameras_total:,}")

townships = state.query("township_boundaries")
outline = state.query("county_outline").iloc[0]["geojson"]
points = state.query("incidents_in_window", start=start, end=end, max_rows=int(cfg["point_threshold"]))
hazards = state.query("hazard_types")
severities = state.query("severity_levels")
name_col = "name_en" if state.lang() == "en" else "name_zh"
layer_list = [
    base.county_layer(outline),
    base.township_layer(townships),
    incidents.incident_points(points, hazards, severities,
                              labels={"hazard": dict(zip(hazards["code"], hazards[name_col]))}),
    base.township_label_layer(townships),
]
tooltip = {"html": "{hazard_label} · {received_at}", "style": {"backgroundColor": "#141E30", "color": "#E6EDF7"}}
deck = base.make_deck(layer_list, base.view_state(cfg["centre_lon"], cfg["centre_lat"], cfg["zoom"]), tooltip)
st.pydeck_chart(deck, height=640, key="one_map_deck")
st.caption(t("app.estimated_note"))
