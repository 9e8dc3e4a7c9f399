"""Analyst workbench (研判分析): filters that live in the URL, cross-filtering charts, a map, a paged table, exports.

Every number comes from a named query in queries/analysis_*.sql sharing one filter block; the filters are bound
parameters (ui/filters.py builds them). Charts are built in ui/analysis_charts.py, map layers in layers/."""
from __future__ import annotations

import math
import tempfile
from dataclasses import replace

import streamlit as st

import i18n
import settings
from data import accounts
from data.clock import now_cst
from layers import base, theme
from layers.legend import legend_html
from reports import tabular
from ui import analysis_charts as charts
from ui import auth, county, database, language, navigation
from ui import filters as flt
from views import incident_map, map_view

user = navigation.require("analysis")
t = language.t
lang = language.lang()
label_column = i18n.label_column(lang)
map_cfg = settings.load()["map"]
PAGE_SIZE = 50
MIN_ARRIVALS = 5  # a unit's percentiles need a few arrivals to mean anything
MAX_UNITS = 15


def export_auditor():
    """Writes who exported what into the audit log. The download runs later in the server's request thread,
    outside the session, so the user and client are captured now."""
    client = auth.client_address()
    return lambda con, detail: accounts.audit(con, user.username, user.role, "export", detail=detail, client=client)


county.header(t("analysis.heading"))
st.caption(t("analysis.intro"))

# ------------------------------------------------------------------ filter options (code tables) and the form
hazards = database.query("hazard_types")
severities = database.query("severity_levels")
townships = database.query("analysis_townships")
channels = database.query("analysis_channels")
statuses = database.query("analysis_statuses")
all_cells = database.query("analysis_grid_cells", townships=[])
options = flt.Options(hazards=tuple(hazards["code"]), townships=tuple(int(v) for v in townships["township_id"]),
                      grid_cells=tuple(int(v) for v in all_cells["grid_cell_id"]),
                      channels=tuple(channels["code"]), statuses=tuple(statuses["code"]))
problems = flt.seed_from_url(options)

# Grid cells offered: those of the chosen townships (all when none is chosen).
chosen_townships = st.session_state.get(flt.WIDGET_KEYS["townships"], [])
cells = all_cells[all_cells["township_id"].isin(chosen_townships)] if chosen_townships else all_cells
flt.keep_only_options("grid_cells", list(cells["grid_cell_id"]))
options = replace(options, grid_cells=tuple(int(v) for v in cells["grid_cell_id"]))

# Option labels are fixed dicts, not lambdas calling t(): a widget may format its options outside this run.
hazard_names = i18n.code_names(hazards, lang)
township_names = dict(zip(townships["township_id"], townships["name"]))
cell_names = dict(zip(all_cells["grid_cell_id"], all_cells["code"] + " " + all_cells["name"]))
labels = {
    "hazards": hazard_names.get,
    "townships": township_names.get,
    "grid_cells": cell_names.get,
    "channels": i18n.code_names(channels, lang).get,
    "statuses": i18n.code_names(statuses, lang).get,
    "severities": dict(zip(severities["level"], severities["roman"] + " " + severities[label_column])).get,
    "hours": lambda h: f"{h:02d}:00",
    "weekdays": {d: t(f"analysis.weekday.{d}") for d in flt.WEEKDAYS}.get,
}
filters = flt.render(options, labels, t)
flt.write_url(filters)

if problems:
    lines = [t(f"analysis.problem.{p.kind}", field=t(f"analysis.field.{p.field}"), detail=p.detail) for p in problems]
    st.warning(t("analysis.problem.heading") + "\n\n" + "\n".join(f"- {line}" for line in lines))

now = now_cst()
params = filters.sql_params(now)
start, end = filters.window(now)
summary = database.query("analysis_summary", **params).iloc[0]
total = int(summary["incidents"])
if filters.period == "all" and total:  # "all" starts at a placeholder date: show the data's own span
    shown_start, shown_end = summary["first_received"], summary["last_received"]
else:
    shown_start, shown_end = start, end
st.caption(t("analysis.window", start=f"{shown_start:%Y-%m-%d %H:%M}", end=f"{shown_end:%Y-%m-%d %H:%M}")
           + " · " + t("analysis.url_hint"))

if total == 0:
    st.info(t("analysis.empty"))
    st.stop()

k1, k2, k3, k4 = st.columns(4)
k1.metric(t("analysis.kpi.incidents"), f"{total:,}")
k2.metric(t("analysis.kpi.open"), f"{int(summary['open_incidents']):,}")
k3.metric(t("analysis.kpi.major"), f"{int(summary['major_incidents']):,}")
k4.metric(t("analysis.kpi.townships"), f"{int(summary['townships']):,}")


# ------------------------------------------------------------------ cross-filter callbacks (run before the rerun)
def _on_time_select() -> None:
    selection = st.session_state.get("analysis_chart_time")
    span = flt.bucket_span(charts.selected_x(selection), flt.current().granularity)
    if span:
        flt.narrow(period="custom", date_from=span[0], date_to=span[1],
                   hazards=tuple(charts.selected_values(selection)) or flt.current().hazards)


def _on_township_select() -> None:
    chosen = charts.selected_values(st.session_state.get("analysis_chart_township"))
    if chosen:
        flt.narrow(townships=tuple(int(v) for v in chosen), grid_cells=())


def _on_heatmap_select() -> None:
    selection = st.session_state.get("analysis_chart_heatmap")
    weekdays = charts.selected_values(selection, 0)
    hours = charts.selected_values(selection, 1)
    if weekdays:
        flt.narrow(weekdays=tuple(sorted(int(v) for v in weekdays)), hours=tuple(sorted(int(v) for v in hours)))


def _on_channel_select() -> None:
    chosen = charts.selected_values(st.session_state.get("analysis_chart_channel"))
    if chosen:
        flt.narrow(channels=tuple(chosen))


text = lambda key: t(f"analysis.chart.{key}")  # noqa: E731 - chart axis labels
st.caption(t("analysis.chart.select_hint"))

# ------------------------------------------------------------------ over time
head, switch = st.columns([3, 1])
head.subheader(t("analysis.chart.over_time"))
switch.radio(t("analysis.granularity.label"), flt.GRANULARITIES, key=flt.WIDGET_KEYS["granularity"], horizontal=True,
             format_func={g: t(f"analysis.granularity.{g}") for g in flt.GRANULARITIES}.get)
over_time = database.query("analysis_over_time", granularity=filters.granularity, **params)
st.plotly_chart(charts.over_time(over_time, hazards, label_column, text, filters.granularity),
                key="analysis_chart_time", on_select=_on_time_select, selection_mode=("points", "box"))

left, right = st.columns(2)
with left:
    st.subheader(t("analysis.chart.by_township"))
    st.plotly_chart(charts.by_township(database.query("analysis_by_township", **params), text),
                    key="analysis_chart_township", on_select=_on_township_select, selection_mode=("points", "box"))
    st.subheader(t("analysis.chart.channel_mix"))
    mix = database.query("analysis_channel_mix", **params)
    st.plotly_chart(charts.channel_mix(mix, label_column, text), key="analysis_chart_channel",
                    on_select=_on_channel_select, selection_mode=("points", "box"))
with right:
    st.subheader(t("analysis.chart.heatmap"))
    heat = database.query("analysis_hour_weekday", **params)
    weekday_labels = {d: t(f"analysis.weekday.{d}") for d in flt.WEEKDAYS}
    st.plotly_chart(charts.hour_weekday(heat, weekday_labels, text), key="analysis_chart_heatmap",
                    on_select=_on_heatmap_select, selection_mode=("points", "box"))
    st.subheader(t("analysis.chart.response"))
    response = database.query("analysis_response_times", min_dispatches=MIN_ARRIVALS, max_units=MAX_UNITS, **params)
    if response.empty:
        st.info(t("analysis.chart.response_empty"))
    else:
        st.plotly_chart(charts.response_times(response, text), key="analysis_chart_response")
        st.caption(t("analysis.chart.response_note", n=MIN_ARRIVALS))

# ------------------------------------------------------------------ map: points or squares, as on One Map
st.subheader(t("analysis.map.heading"))
townships_geo = database.query("township_boundaries")
outline = database.query("county_outline").iloc[0]["geojson"]
below = [base.county_layer(outline)] if isinstance(outline, str) else []
below.append(base.township_layer(townships_geo))
above = [base.township_label_layer(townships_geo)]
view = map_view.initial_view(database.query, map_cfg, map_view.WIDE_MAP)
map_modes = {m: t(f"analysis.map.mode.{m}") for m in ("auto", "density")}
map_mode = st.radio(t("analysis.map.mode_label"), list(map_modes), format_func=map_modes.get, horizontal=True,
                    key="analysis_map_mode")
if map_mode == "density":  # squares counted in DuckDB, drawn as heat: the same few KB at any number of incidents
    step = float(map_cfg.get("density_step_deg", 0.005))
    density = incident_map.density_from_frame(database.query("analysis_map_squares", step=step, **params), step)
    deck = base.make_deck(below + density.layers + above, view, theme.tooltip())
    built = incident_map.IncidentMap(deck, "density", density.drawn, incident_map.payload_bytes(deck))
else:
    built = incident_map.build(
        total, map_cfg,
        points=lambda max_rows: incident_map.points_from_frame(
            database.query("analysis_map_points", max_rows=max_rows, **params), hazards, severities, statuses, lang),
        cells=lambda step: incident_map.cells_from_frame(
            database.query("analysis_map_squares", step=step, **params), step, hazards, lang),
        frame=lambda incident_layers: base.make_deck(below + incident_layers + above, view, theme.tooltip()))
if built.mode == "density":
    st.caption(t("analysis.map.density", n=f"{total:,}"))
elif built.mode == "points":
    st.caption(t("analysis.map.points", n=f"{built.drawn:,}", approx=f"{int(summary['approximate']):,}"))
else:
    st.caption(t("analysis.map.squares", n=f"{total:,}", km=round(built.cell_step * 111, 1)))
st.pydeck_chart(built.deck, height=520, key="analysis_map")
st.html(legend_html(incident_map.legend_sections(built.mode, hazards, severities, lang)))

# ------------------------------------------------------------------ table, one page at a time
st.subheader(t("analysis.table.heading"))
pages = max(1, math.ceil(total / PAGE_SIZE))
if st.session_state.get("analysis_page", 1) > pages:  # the filtered set shrank under the viewer
    st.session_state["analysis_page"] = 1
page = st.number_input(t("analysis.table.page"), min_value=1, max_value=pages, step=1, key="analysis_page")
# The workbench shows and exports callers masked whatever the role: its work is patterns, not people.
rows = database.query("analysis_table_page", lang=lang, show_personal=False, page_size=PAGE_SIZE,
                      page_offset=(int(page) - 1) * PAGE_SIZE, **params)
st.dataframe(rows.rename(columns=lambda c: t(f"analysis.col.{c}")), hide_index=True, width="stretch")
st.caption(t("analysis.table.page_of", page=int(page), pages=f"{pages:,}", total=f"{total:,}")
           + " · " + t("analysis.table.masked_note"))

# ------------------------------------------------------------------ exports of the whole filtered set
st.subheader(t("analysis.export.heading"))
if not auth.can("export"):
    st.info(t("analysis.export.not_permitted"))
else:
    export_con = database.cursor()  # the download runs later, in the server's request thread
    # Masked unless the role may see callers and the user asks, with a reason that goes to the audit log.
    personal_reason = ""
    if auth.can("view_personal") and st.checkbox(t("analysis.export.personal"), key="analysis_export_personal",
                                                 help=t("analysis.export.personal_help")):
        personal_reason = st.text_input(t("analysis.export.personal_reason"), key="analysis_export_reason").strip()
        if not personal_reason:
            st.warning(t("analysis.export.personal_reason_missing"))
    show_personal = bool(personal_reason)
    export_params = {**params, "lang": lang, "show_personal": show_personal}
    masking = f"UNMASKED, reason: {personal_reason}" if show_personal else "masked"
    headers = {c: t(f"analysis.col.{c}") for c in
               ("incident_id", "source_ref", "received_at", "dispatched_at", "on_scene_at", "closed_at", "hazard",
                "severity", "status", "channel", "township", "grid_cell", "address", "description", "caller_name",
                "caller_phone", "location_precision", "lon", "lat")}

    audit = export_auditor()
    url_state = "&".join(f"{k}={v}" for k, v in flt.to_query(filters).items())

    def export_file(fmt: str):
        def build() -> bytes:
            # Written batch by batch to disk; only the finished file is read back, as Streamlit serves bytes.
            with tempfile.TemporaryFile() as out:
                rows = tabular.export(export_con, "analysis_export", fmt, out, headers, **export_params)
                audit(export_con, f"analysis.{fmt}, {rows} rows, {masking}, filters: {url_state or 'default'}")
                out.seek(0)
                return out.read()
        return build

    st.caption(t("analysis.export.note_personal" if show_personal else "analysis.export.note", total=f"{total:,}"))
    stem = f"{t('analysis.export.file_stem')}_{start:%Y%m%d}-{end:%Y%m%d}"
    columns = st.columns(3)
    for column, fmt in zip(columns, ("csv", "xlsx", "geojson")):
        mime, suffix = tabular.FORMATS[fmt]
        column.download_button(t(f"analysis.export.{fmt}"), data=export_file(fmt), file_name=f"{stem}.{suffix}",
                               mime=mime, key=f"analysis_export_{fmt}", on_click="ignore", icon=":material/download:")
