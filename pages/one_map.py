"""One Map (一张图): the commander's situation map. ?screen=wall turns it into the wall screen."""
from datetime import datetime

import pandas as pd
import streamlit as st

import i18n
import settings
from data import clock, domain
from data.clock import now_cst
from layers.legend import legend_html
from ui import county, database, incident_panel, language, live_feed, map_width, navigation, one_map_detail, wall
from views import one_map as view

navigation.require("one_map")
t = language.t
cfg = settings.load()
on_wall = wall.is_wall()
if on_wall:
    wall.apply_wall_chrome()
feeding = live_feed.start(database.cursor())
refresh_s = int(cfg["wall"]["refresh_seconds"])
if feeding:  # the demo feed should be seen moving: refresh at least as often as it inserts
    refresh_s = max(2, min(refresh_s, int(live_feed.interval_seconds())))

county.header(t("one_map.heading"))

# ---------------------------------------------------------------- filters (sidebar; URL parameters on the wall)
window = st.query_params.get("window", "24h")
if window not in view.WINDOWS:
    st.warning(t("one_map.bad_window", value=window))
    window = "24h"
hazard_table = database.query("hazard_types")
hazard_names = i18n.code_names(hazard_table, language.lang())
if on_wall:  # nobody touches a wall screen: its layers come from the URL (?layers=incidents,alarms)
    hazards, open_only, layers = None, False, view.DEFAULT_LAYERS
    if st.query_params.get("layers"):
        asked = [name.strip() for name in st.query_params["layers"].split(",") if name.strip()]
        unknown = [name for name in asked if name not in view.LAYERS]
        if unknown:
            st.warning(t("one_map.bad_layers", value=", ".join(unknown), known=", ".join(view.LAYERS)))
        layers = tuple(name for name in asked if name in view.LAYERS) or view.DEFAULT_LAYERS
else:
    # Labels resolved now: a format_func that looked up the language later could run outside this session.
    window_names = {w: t(f"one_map.window_names.{w}") for w in view.WINDOWS}
    layer_names = {k: t(f"one_map.layer_names.{k}") for k in view.LAYERS}
    with st.sidebar:
        window = st.radio(t("one_map.window"), view.WINDOWS, index=view.WINDOWS.index(window),
                          format_func=window_names.get, horizontal=True, key="om_window")
        picked = st.multiselect(t("one_map.hazards"), list(hazard_names), format_func=hazard_names.get,
                                placeholder=t("one_map.all_hazards"), key="om_hazards")
        hazards = tuple(picked) or None
        open_only = st.toggle(t("one_map.open_only"), key="om_open_only")
        layers = tuple(st.multiselect(t("one_map.layers"), view.LAYERS, default=list(view.DEFAULT_LAYERS),
                                      format_func=layer_names.get, key="om_layers"))


def _pct(value) -> str:
    return t("one_map.kpi.na") if value is None or pd.isna(value) else f"{value * 100:.1f}%"


def _kpi_items(k: pd.Series, now: datetime) -> list:
    # the level judged (and so the word) comes with the count, from the same macro (reservoir_limit_kind)
    in_season = k.reservoir_limit_kind == "flood_limit"
    return [
        {"label": t("one_map.kpi.open"), "value": f"{int(k.open_incidents):,}", "help": t("one_map.kpi.help_open")},
        {"label": t("one_map.kpi.new"), "value": f"{int(k.new_incidents):,}"},
        {"label": t("one_map.kpi.overdue"), "value": f"{int(k.overdue_dispatches):,}",
         "help": t("one_map.kpi.help_overdue"), "alert": k.overdue_dispatches > 0},
        {"label": t("one_map.kpi.missing_reports"), "value": f"{int(k.major_missing_reports):,}",
         "help": t("one_map.kpi.help_missing"), "alert": k.major_missing_reports > 0},
        {"label": t("one_map.kpi.reservoirs_above" if in_season else "one_map.kpi.reservoirs_above_off_season"),
         "value": f"{int(k.reservoirs_above_limit):,}", "help": t("one_map.kpi.help_reservoirs"),
         "alert": k.reservoirs_above_limit > 0},
        {"label": t("one_map.kpi.cameras_offline"), "value": f"{int(k.cameras_offline):,}",
         "help": t("one_map.kpi.help_cameras", total=int(k.cameras_total))},
        None,
        *[{"label": t(f"one_map.kpi.{name}"), "value": _pct(k[f"{name}_rate"]), "help": t("one_map.kpi.help_five"),
           "rate": True} for name in ("acceptance", "turnout", "on_time", "feedback", "callback")],
    ]


def _selected_from_map(event) -> int | None:
    """The incident id of a picked dot (exact, approximate or alarm layer) in the chart's selection, if any."""
    objects = (event or {}).get("selection", {}).get("objects", {}) if event else {}
    for layer_id, key in (("incidents", "i"), ("incidents_approx", "i"), ("alarms", "incident_id")):
        for obj in objects.get(layer_id, []):
            if obj.get(key) is not None:
                return int(obj[key])
    return None


def _resource_from_map(event) -> tuple[str, int] | None:
    """(layer id, object id) of a reservoir, team, shelter or camera picked on the map, if any."""
    objects = (event or {}).get("selection", {}).get("objects", {}) if event else {}
    for layer_id, (_kind, key, _query) in one_map_detail.RESOURCE_LAYERS.items():
        for obj in objects.get(layer_id, []):
            if obj.get(key) is not None:
                return layer_id, int(obj[key])
    return None


def _forget_resource() -> None:
    """An incident chosen in the list replaces a resource picked on the map in the side panel."""
    st.session_state["om_resource"] = None


def _reset_view() -> None:
    """The home button: the next deck's initial view differs in every field (views/map_view.initial_view's
    nudge), so the browser goes back to the whole county; refreshes after it keep the viewer's view again."""
    st.session_state["om_view_reset"] = st.session_state.get("om_view_reset", 0) + 1


PICK_NEXT_KEY = "om_pick_next"  # set by the call form and the duty desk: the incident to select on the next run


def _wall_side(start: datetime, end: datetime, built) -> None:
    """The wall's side column: the incident list (titled by its order: open first, then severity, then newest)
    and the legend. No widget, no details: nobody touches a wall and a wall link must not open personal data."""
    latest = database.query("onemap_latest_incidents", start=start, end=end, hazards=list(hazard_names), limit=5)
    if latest.empty:
        st.info(t("one_map.no_incidents"))
    else:
        statuses = database.query("onemap_incident_statuses")
        status_names = i18n.code_names(statuses, language.lang())
        wall.incident_list(t("one_map.wall_list"),
                           [t("one_map.detail.received_at"), t("one_map.detail.severity"),
                            t("one_map.detail.hazard"), t("one_map.detail.township"), t("one_map.detail.status")],
                           [[f"{r.received_at:%H:%M}", domain.SEVERITY_ROMAN[int(r.severity)],
                             hazard_names.get(r.hazard, r.hazard), r.township, status_names.get(r.status, r.status)]
                            for r in latest.itertuples()])
    st.html(legend_html(built.legend))


@st.fragment(run_every=refresh_s)
def live_view() -> None:
    """Everything that moves: KPIs, map, side panel. Reruns on the timer without reloading the page; the
    deck's initial view never changes, so the viewer's zoom, pan and selection survive each refresh."""
    now = now_cst()
    start, end = view.window_bounds(window, now)
    if on_wall:  # the clock and the time of the data, at the top where a room looks first
        read_at = clock.now()
        wall.top_bar(f"{read_at:%H:%M}", t("one_map.wall_clock"), f"{read_at:%Y-%m-%d}",
                     t("one_map.wall_data_time", ts=f"{read_at:%H:%M:%S}", seconds=refresh_s))
    wall.kpi_strip(_kpi_items(view.kpis(database.query, start, end, now), now))
    highlight = None
    if st.session_state.get("om_pick") is not None:
        picked_row = database.query("onemap_incident_detail", incident_id=int(st.session_state["om_pick"]))
        if not picked_row.empty:
            highlight = (float(picked_row.iloc[0]["lon"]), float(picked_row.iloc[0]["lat"]))
    notice = st.container()  # above the map: county layers not loaded yet
    map_col, side_col = st.columns([3, 1] if on_wall else [5, 2], gap="small")
    with map_col:
        width = map_width.measure("wall" if on_wall else "one_map")
    request = view.MapRequest(start, end, now, lang=language.lang(), hazards=hazards, open_only=open_only,
                              highlight=highlight,
                              layers=layers, zoom=cfg["wall"]["zoom"] if on_wall else None, wall=on_wall,
                              view_reset=int(st.session_state.get("om_view_reset", 0)), map_width=width)
    built = view.build_map(database.query, request, cfg["map"])
    with notice:
        county.not_loaded(built.missing)
    with map_col:
        event = st.pydeck_chart(built.deck, height=850 if on_wall else 620, on_select="rerun",
                                selection_mode="single-object", key="one_map_deck")
        if not on_wall:
            home_col, note_col = st.columns([1, 5], vertical_alignment="center")
            home_col.button(t("one_map.controls.home"), help=t("one_map.controls.home_help"), icon=":material/home:",
                            on_click=_reset_view, key="om_home")
            note_col.caption(t("one_map.controls.zoom_note"))
        # Events count once (a three-channel fire is one); the reconciliation below stays in reports.
        notes = [t(f"one_map.mode_{built.mode}", drawn=built.drawn, total=built.total, events=built.event_total)]
        if built.approximate:
            notes.append(t("one_map.approx_note", approximate=built.approximate))
        if built.events:
            notes.append(t("one_map.events_note", events=built.events, folded=built.folded))
        notes.append(t("one_map.totals_check", drawn=built.drawn, total=built.total))
        if not on_wall:  # the wall shows it at the top
            notes.append(t("one_map.data_as_of", ts=now.strftime("%Y-%m-%d %H:%M"), seconds=refresh_s))
        st.caption(" · ".join(notes))
    with side_col:
        if on_wall:  # nobody touches a wall, and a long-lived link opens no incident's details
            _wall_side(start, end, built)
            return
        # An incident chosen elsewhere (a call just recorded, the duty desk) is selected before the list is drawn:
        # a widget's key cannot be set once the widget exists in this run.
        chosen = st.session_state.pop(PICK_NEXT_KEY, None)
        if chosen is not None:
            st.session_state["om_pick"] = int(chosen)
        # A new click on the map wins over the list; one more quick run of this fragment rings it on the map.
        picked = _selected_from_map(event)
        if picked is not None and picked != st.session_state.get("om_last_map_pick"):
            st.session_state["om_last_map_pick"] = picked
            st.session_state["om_pick"] = picked
            st.rerun(scope="fragment")
        # A reservoir, team, shelter or camera clicked on the map opens its own details (a new pick only: the
        # chart keeps reporting its selection on every run).
        resource = _resource_from_map(event)
        if resource != st.session_state.get("om_last_resource_pick"):
            st.session_state["om_last_resource_pick"] = resource
            st.session_state["om_resource"] = resource
        latest = database.query("onemap_latest_incidents", start=start, end=end,
                                hazards=list(hazards or hazard_names), limit=30)
        statuses = database.query("onemap_incident_statuses")
        status_names = i18n.code_names(statuses, language.lang())
        labels = {int(r.incident_id): f"{r.received_at:%H:%M} {domain.SEVERITY_ROMAN[int(r.severity)]} "
                                      f"{hazard_names.get(r.hazard, r.hazard)} · {r.township} · "
                                      f"{status_names.get(r.status, r.status)}"
                  for r in latest.itertuples()}
        current = st.session_state.get("om_pick")
        if current is not None and current not in labels:  # picked on the map, older than the list
            labels = {current: f"#{current}", **labels}
        if not labels:
            st.info(t("one_map.no_incidents"))
        st.session_state.setdefault("om_pick", None)
        st.selectbox(t("one_map.latest"), list(labels), format_func=labels.get,
                     placeholder=t("one_map.pick"), key="om_pick", on_change=_forget_resource)
        if st.session_state.get("om_resource") is not None and not on_wall:
            one_map_detail.show_resource(*st.session_state["om_resource"], now)
        elif st.session_state.get("om_pick") is not None:
            one_map_detail.show(int(st.session_state["om_pick"]), now)
        else:
            st.caption(t("one_map.click_hint"))
        st.html(legend_html(built.legend))
    if not on_wall and county.is_demo():
        st.caption(t("one_map.estimated_note"))


if not on_wall and incident_panel.may_handle():
    # Outside the refreshing fragment, so a timer run never redraws the form while a call is being typed in.
    with st.expander(t("ops.call.open")):
        incident_panel.call_form(lambda incident_id, _ref: st.session_state.__setitem__(PICK_NEXT_KEY, incident_id))
live_view()
if feeding and not on_wall:
    st.sidebar.caption(t("one_map.live_feed_on", seconds=int(live_feed.interval_seconds())))
