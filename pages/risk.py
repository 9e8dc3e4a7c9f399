"""Risk: a score per grid cell for flood / landslide / forest fire / all, explained component by component
(weights in config/risk_weights.toml), the riskiest cells with who to call, and replay of a past date
(?hazard=flood&date=2025-09-15 opens it directly)."""
from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

import i18n
import settings
from config import risk_config
from data.clock import now_cst
from layers import base, theme
from layers import risk as risk_layers
from layers.legend import legend_html
from ui import county, database, language, navigation
from views import incident_map, map_view

navigation.require("risk")
t = language.t
cfg = settings.load()
rcfg = risk_config.load()
county.header(t("risk.heading"))

now = now_cst()
earliest = now.date() - timedelta(days=366 * int(rcfg["risk"]["history_years"]))
wanted_hazard = st.query_params.get("hazard", "all")
wanted_date, date_error = now.date(), None
if "date" in st.query_params:
    try:
        wanted_date = date.fromisoformat(st.query_params["date"])
    except ValueError:
        date_error = t("risk.bad_date", value=st.query_params["date"])
    else:
        if not earliest <= wanted_date <= now.date():
            date_error = t("risk.date_out_of_range", first=earliest, last=now.date())
            wanted_date = now.date()
if date_error:
    st.error(date_error)

c1, c2, c3 = st.columns([2, 2, 1])
# Labels resolved now: a format_func that looks up the language later may run outside the session.
hazard_labels = {h: t(f"risk.hazard_name.{h}") for h in risk_config.RISK_HAZARDS}
hazards_offered = list(hazard_labels)
hazard = c1.selectbox(t("risk.hazard"), hazards_offered, key="risk_hazard",
                      index=hazards_offered.index(wanted_hazard) if wanted_hazard in hazards_offered else 3,
                      format_func=hazard_labels.get)
day = c2.date_input(t("risk.as_of"), value=wanted_date, min_value=earliest, max_value=now.date(), key="risk_date")
top_n = c3.number_input(t("risk.top_n"), min_value=5, max_value=100, value=int(rcfg["risk"]["top_cells"]), step=5,
                        key="risk_top_n")
# Today: the live score; a past day: as it stood at the end of that day (only data before then counts).
as_of = now if day >= now.date() else datetime.combine(day + timedelta(days=1), time())
st.query_params.update({"hazard": hazard, "date": day.isoformat()})

params = risk_config.risk_params(hazard, as_of, rcfg)
cells = database.query("risk_cells", **params)
window_days = int(rcfg["risk"]["map_incident_days"])
recent = database.query("risk_incidents_as_of", as_of=as_of, hazards=params["hazards"], window_days=window_days,
                        max_rows=int(cfg["map"]["point_threshold"]))

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("risk.as_of_metric"), f"{as_of:%Y-%m-%d %H:%M}")
m2.metric(t("risk.top_score"), "—" if cells.empty else f"{cells['score'].max():.1f}")
m3.metric(t("risk.cells_high"), f"{int((cells['score'] >= 60).sum())} / {len(cells)}")
m4.metric(t("risk.recent_incidents", days=window_days), f"{len(recent):,}",
          help=t("risk.recent_open", n=int((recent['status_then'] == 'open').sum())))
county.not_loaded(["grid_cells"] if cells.empty else [])  # the score is per grid cell

top = cells.head(int(top_n))
hazard_codes = database.query("hazard_types")
severities = database.query("severity_levels")
lang = language.lang()
name_col = i18n.label_column(lang)
townships = database.query("township_boundaries")
outline = database.query("county_outline").iloc[0]["geojson"]
below = [base.county_layer(outline)] if isinstance(outline, str) else []
if not cells.empty:
    below.append(risk_layers.risk_cell_layer(cells, set(int(i) for i in top["grid_cell_id"])))
above = [base.township_layer(townships), base.township_label_layer(townships)]
view = map_view.initial_view(database.query, cfg["map"], map_view.WIDE_MAP)
# The incidents as they stood at as_of: open or closed only.
recent = recent.assign(status=recent["status_then"], is_open=recent["status_then"] == "open")
closed = database.query("onemap_incident_statuses").set_index("code").loc["closed", name_col]
statuses_then = pd.DataFrame({"code": ["open", "closed"], name_col: [t("one_map.kpi.open"), closed]})
built = incident_map.build(
    len(recent), cfg["map"],
    points=lambda max_rows: incident_map.points_from_frame(recent, hazard_codes, severities, statuses_then, lang),
    cells=lambda step: incident_map.cells_from_frame(incident_map.square_counts(recent, step, hazard_codes), step,
                                                     hazard_codes, lang),
    frame=lambda incident_layers: base.make_deck(below + incident_layers + above, view, theme.tooltip()),
    show=not recent.empty)
st.pydeck_chart(built.deck, height=560, key="risk_map")
legend = " ".join(f"<span style='background:{colour};padding:0 10px;margin-right:4px'></span>{label}"
                  for label, colour in risk_layers.risk_legend())
st.markdown(f"{t('risk.legend')} {legend}", unsafe_allow_html=True)
st.html(legend_html(incident_map.legend_sections(built.mode, hazard_codes, severities, lang)))
st.caption(t("risk.map_note", days=window_days))

weights = risk_config.weights(hazard, rcfg)
w_sum = sum(weights.values())
components = list(risk_config.COMPONENTS)
st.subheader(t("risk.weights_heading"))
st.dataframe(pd.DataFrame({
    t("risk.col.component"): [t(f"risk.component.{c}") for c in components],
    t("risk.col.weight"): [weights[c] for c in components],
    t("risk.col.max_points"): [round(100 * weights[c] / w_sum, 1) for c in components],
    t("risk.col.measures"): [t(f"risk.component_help.{c}") for c in components]}), hide_index=True)
st.caption(t("risk.weights_note"))

st.subheader(t("risk.ranked_heading", n=len(top)))
share_columns = {f"share_{c}": f"{t(f'risk.component.{c}')} ({weights[c]:g})" for c in components}
st.dataframe(top[["rank", "name", "township", "score", *share_columns, "incidents", "alarms", "members"]]
             .round(1).rename(columns={"rank": t("risk.col.rank"), "name": t("risk.col.cell"),
                                       "township": t("risk.col.township"), "score": t("risk.col.score"),
                                       "incidents": t("risk.col.incidents"), "alarms": t("risk.col.alarms"),
                                       "members": t("risk.col.members"), **share_columns}),
             hide_index=True, height=38 + 35 * min(len(top), 20))  # the default top 20 without scrolling

st.subheader(t("risk.explain_heading"))
if cells.empty:
    st.stop()  # nothing to explain until the grid cells are loaded (said above)
cell_labels = {int(r.grid_cell_id): f"{r.rank}. {r.name} · {r.score:.1f}" for r in top.itertuples()}
chosen = st.selectbox(t("risk.pick_cell"), list(cell_labels), format_func=cell_labels.get, key="risk_cell")
row = cells[cells["grid_cell_id"] == chosen].iloc[0]
values = {"history": row.history, "reservoir": row.reservoir, "geo_points": row.geo_points_norm,
          "alarms": row.alarms_norm, "population": row.population_norm}
raw = {"history": t("risk.raw.history", n=int(row.incidents)),
       "reservoir": t("risk.raw.reservoir", name=row.reservoir_name) if isinstance(row.reservoir_name, str) else "",
       "geo_points": t("risk.raw.geo_points", n=int(row.geo_points)),
       "alarms": t("risk.raw.alarms", n=int(row.alarms), days=params["alarm_days"]),
       "population": t("risk.raw.population", n=int(row.population))}
explained = pd.DataFrame({
    t("risk.col.component"): [t(f"risk.component.{c}") for c in components],
    t("risk.col.value"): [round(float(values[c]), 3) for c in components],
    t("risk.col.weight"): [weights[c] for c in components],
    t("risk.col.share"): [round(float(row[f"share_{c}"]), 2) for c in components],
    t("risk.col.evidence"): [raw[c] for c in components]})
left, right = st.columns([3, 2])
left.dataframe(explained, hide_index=True)
left.markdown(t("risk.sum_line", score=f"{row.score:.2f}", members=row.members or t("risk.no_members")))
right.bar_chart(explained.set_index(t("risk.col.component"))[t("risk.col.share")], horizontal=True, height=260)
