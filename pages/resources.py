"""Resources: teams, shelters, cameras and sensors by township; village coverage; cameras near a point;
decision aids for a selected incident (?incident=ID opens it directly)."""
from datetime import timedelta

import streamlit as st

import i18n
import settings
from config import risk_config
from data.clock import now_cst
from layers import base, theme
from layers import resources as resource_layers
from layers import risk as risk_layers
from ui import county, database, decision_aids, language, navigation
from views import map_view


def _table(frame, **kwargs) -> None:
    st.dataframe(decision_aids.readable(frame), **kwargs)  # a missing value is "—", never "None"


navigation.require("resources")
t = language.t
cfg = settings.load()
county.header(t("resources.heading"))

townships = database.query("township_boundaries")
names = {None: t("resources.all_townships"), **dict(zip(townships["township_id"].astype(int), townships["name"]))}
township_id = st.selectbox(t("resources.township"), list(names), key="res_township", format_func=names.get)

teams = database.query("resources_teams", township_id=township_id)
warehouses = database.query("resources_warehouses", township_id=township_id)
shelters = database.query("resources_shelters", township_id=township_id)
cameras = database.query("resources_cameras", township_id=township_id)
devices = database.query("resources_device_status", township_id=township_id)
sensors = devices[devices["device_class"] == "sensor"]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("resources.teams_people"), f"{len(teams)} / {int(teams['headcount'].sum()):,}")
free_places, capacity = int(shelters["free_places"].sum()), int(shelters["capacity"].sum())
c2.metric(t("resources.shelter_places"), f"{free_places:,} / {capacity:,}", help=t("resources.shelter_places_help"))
c3.metric(t("resources.cameras_online"), f"{int(cameras['online'].sum()):,} / {len(cameras):,}")
c4.metric(t("resources.sensors_online"), f"{int(sensors['online'].sum()):,} / {int(sensors['total'].sum()):,}")
if township_id is None:  # county-wide, an empty table is a layer the county has not loaded yet
    county.not_loaded([layer for layer, frame in (("townships", townships), ("rescue_teams", teams),
                                                  ("shelters", shelters), ("cameras", cameras),
                                                  ("sensors", sensors), ("warehouses", warehouses))
                      if frame.empty])

tab_map, tab_teams, tab_shelters, tab_supplies, tab_devices, tab_coverage, tab_near, tab_decision = st.tabs([
    t("resources.tab_map"), t("resources.tab_teams"), t("resources.tab_shelters"), t("resources.tab_supplies"),
    t("resources.tab_devices"), t("resources.tab_coverage"), t("resources.tab_near"), t("resources.tab_decision")])
outline = database.query("county_outline").iloc[0]["geojson"]
county_layers = [base.county_layer(outline)] if isinstance(outline, str) else []
view = map_view.initial_view(database.query, cfg["map"], map_view.WIDE_MAP)
tooltip = theme.tooltip("{name}")

with tab_map:
    sensor_points = database.query("resources_sensors", township_id=township_id)
    layers = [*county_layers, base.township_layer(townships),
              resource_layers.camera_layer(cameras), risk_layers.sensor_layer(sensor_points),
              resource_layers.shelter_layer(shelters), resource_layers.warehouse_layer(warehouses),
              resource_layers.team_layer(teams),
              base.township_label_layer(townships)]
    st.pydeck_chart(base.make_deck(layers, view, tooltip), height=560, key="res_map")
    st.caption(t("resources.map_legend"))

with tab_teams:
    summary = database.query("resources_team_summary", township_id=township_id)
    _table(summary.assign(label=summary[i18n.label_column(language.lang())])[
        ["label", "teams", "professional_teams", "headcount"]].rename(columns={
            "label": t("resources.col.specialty"), "teams": t("resources.col.teams"),
            "professional_teams": t("resources.col.professional_teams"), "headcount": t("resources.col.headcount")}),
        hide_index=True)
    _table(teams.assign(label=teams[i18n.label_column(language.lang(), "specialty")],
                              kind=teams["kind"].map(lambda k: t(f"resources.team_kind.{k}")))[
        ["name", "kind", "label", "headcount", "township", "leader_name", "leader_phone"]].rename(columns={
            "name": t("resources.col.name"), "kind": t("resources.col.kind"), "label": t("resources.col.specialty"),
            "headcount": t("resources.col.headcount"), "township": t("resources.col.township"),
            "leader_name": t("resources.col.leader"), "leader_phone": t("resources.col.phone")}), hide_index=True)

with tab_shelters:
    # a county's file may leave the level empty
    _table(shelters.assign(level=shelters["level"].map(lambda k: t(f"resources.shelter_level.{k}")
                                                             if isinstance(k, str) else "—"),
                                 is_open=shelters["is_open"].map({True: "✔", False: ""}))[
        ["name", "level", "capacity", "occupancy", "free_places", "occupancy_pct", "is_open", "township"]].rename(
        columns={"name": t("resources.col.name"), "level": t("resources.col.level"),
                 "capacity": t("resources.col.capacity"), "occupancy": t("resources.col.occupancy"),
                 "free_places": t("resources.col.free_places"), "occupancy_pct": t("resources.col.occupancy_pct"),
                 "is_open": t("resources.col.is_open"), "township": t("resources.col.township")}), hide_index=True)

with tab_supplies:
    stock = database.query("resources_stock", township_id=township_id)
    _table(stock.assign(category=stock["category"].map(lambda k: t(f"resources.stock_category.{k}")))[
        ["item", "category", "quantity", "unit", "warehouses", "held_at"]].rename(columns={
            "item": t("resources.col.item"), "category": t("resources.col.category"),
            "quantity": t("resources.col.quantity"), "unit": t("resources.col.unit"),
            "warehouses": t("resources.col.warehouses"), "held_at": t("resources.col.held_at")}), hide_index=True)
    st.markdown(f"**{t('resources.warehouses_heading')}**")
    _table(warehouses[["name", "township", "supply_items", "equipment_items", "manager_name",
                             "manager_phone"]].rename(columns={
        "name": t("resources.col.name"), "township": t("resources.col.township"),
        "supply_items": t("resources.col.supply_items"), "equipment_items": t("resources.col.equipment_items"),
        "manager_name": t("resources.col.manager"), "manager_phone": t("resources.col.phone")}), hide_index=True)

with tab_devices:
    _table(devices.assign(device_type=devices["device_type"].map(lambda k: t(f"resources.device_type.{k}")))[
        ["device_type", "total", "online", "offline"]].rename(columns={
            "device_type": t("resources.col.device_type"), "total": t("resources.col.total"),
            "online": t("resources.col.online"), "offline": t("resources.col.offline")}), hide_index=True)
    st.markdown(f"**{t('resources.offline_heading')}**")
    offline = database.query("resources_offline_devices", township_id=township_id)
    _table(offline.assign(device_type=offline["device_type"].map(lambda k: t(f"resources.device_type.{k}")))[
        ["device_type", "code", "name", "township", "last_seen_at"]].rename(columns={
            "device_type": t("resources.col.device_type"), "code": t("resources.col.code"),
            "name": t("resources.col.name"), "township": t("resources.col.township"),
            "last_seen_at": t("resources.col.last_seen")}), hide_index=True, height=260)

with tab_coverage:
    default_reach = int(risk_config.load()["coverage"]["reach_minutes"])
    reach = st.slider(t("resources.reach_minutes"), 5, 120, default_reach, step=5, key="res_reach")
    coverage = database.query("coverage_villages", township_id=township_id, **risk_config.coverage_params(reach))
    specialty_names = database.query("resources_specialty_labels")
    label_of = i18n.code_names(specialty_names, language.lang())
    label_of["shelter"] = t("resources.shelter")
    coverage["what"] = coverage["specialty"].map(label_of)
    per_village = (coverage.pivot_table(index=["village_id", "village", "township", "population", "gaps", "lon", "lat"],
                                        columns="what", values="travel_min", aggfunc="first").reset_index())
    gap_lists = (coverage[coverage["beyond_reach"]].groupby("village_id")["what"].agg("、".join))
    per_village["gap_list"] = per_village["village_id"].map(gap_lists).fillna("")
    gaps = per_village[per_village["gaps"] > 0].sort_values(["gaps", "population"], ascending=False)
    m1, m2 = st.columns(2)
    m1.metric(t("resources.villages_with_gaps"), f"{len(gaps)} / {len(per_village)}")
    m2.metric(t("resources.people_with_gaps"), f"{int(gaps['population'].sum()):,}")
    layers = [*county_layers, base.township_layer(townships),
              risk_layers.coverage_village_layer(per_village), base.township_label_layer(townships)]
    st.pydeck_chart(base.make_deck(layers, view, {"html": "{village} · {gap_list}"}), height=480, key="res_cov_map")
    st.caption(t("resources.coverage_note", reach=reach))
    st.markdown(f"**{t('resources.gaps_heading')}**")
    _table(gaps.drop(columns=["village_id", "lon", "lat"]).rename(columns={
        "village": t("resources.col.village"), "township": t("resources.col.township"),
        "population": t("resources.col.population"), "gaps": t("resources.col.gaps"),
        "gap_list": t("resources.col.gap_list")}), hide_index=True, height=300)
    st.markdown(f"**{t('resources.places_heading')}**")
    places = database.query("coverage_shelter_places")
    _table(places[["township", "population", "shelters", "capacity", "free_places", "places_per_100"]].rename(
        columns={"township": t("resources.col.township"), "population": t("resources.col.population"),
                 "shelters": t("resources.col.shelters"), "capacity": t("resources.col.capacity"),
                 "free_places": t("resources.col.free_places"), "places_per_100": t("resources.col.places_per_100")}),
        hide_index=True)

with tab_near:
    seat = county.info() or {}  # the county seat, else where the maps open
    st.session_state.setdefault("res_near_lon", float(seat.get("seat_lon") or view.longitude))
    st.session_state.setdefault("res_near_lat", float(seat.get("seat_lat") or view.latitude))
    places = database.query("resources_place_points").set_index("label")

    def _to_place() -> None:  # a township or village picked by name fills the point
        picked = st.session_state.get("res_near_place")
        if picked in places.index:
            st.session_state["res_near_lon"] = float(places.at[picked, "lon"])
            st.session_state["res_near_lat"] = float(places.at[picked, "lat"])

    st.selectbox(t("resources.near_place"), list(places.index), index=None, key="res_near_place",
                 placeholder=t("resources.near_place_hint"), on_change=_to_place)
    with st.form("res_near_form"):
        n1, n2, n3 = st.columns(3)
        near_lon = n1.number_input(t("resources.lon"), format="%.5f", key="res_near_lon")
        near_lat = n2.number_input(t("resources.lat"), format="%.5f", key="res_near_lat")
        near_radius = n3.number_input(t("resources.radius_m"), value=2000, min_value=100, max_value=20000, step=100)
        st.form_submit_button(t("resources.find_cameras"))
    if not (73 <= near_lon <= 136 and 3 <= near_lat <= 54):
        st.error(t("resources.bad_point"))
    else:
        nearby = database.query("nearby_cameras", lon=float(near_lon), lat=float(near_lat), radius_m=float(near_radius))
        st.caption(t("resources.cameras_found", n=len(nearby), radius=int(near_radius)))
        nearby = nearby.assign(kind=nearby["kind"].map(lambda k: t(f"resources.device_type.{k}")))
        _table(nearby[["code", "name", "kind", "online", "distance_m", "last_seen_at"]].rename(columns={
            "code": t("resources.col.code"), "name": t("resources.col.name"), "kind": t("resources.col.kind"),
            "online": t("resources.col.online"), "distance_m": t("resources.col.distance_m"),
            "last_seen_at": t("resources.col.last_seen")}), hide_index=True)

with tab_decision:
    recent = database.query("decision_recent_incidents", before=now_cst() + timedelta(minutes=1), limit=50)
    wanted = st.query_params.get("incident")
    if wanted and not wanted.isdigit():
        st.error(t("resources.bad_incident", value=wanted))
        wanted = None
    options = [int(i) for i in recent["incident_id"]]
    if wanted and wanted.isdigit() and int(wanted) not in options:
        options.insert(0, int(wanted))
    hazard_column = i18n.label_column(language.lang(), "hazard")
    labels = {int(r.incident_id): f"#{r.incident_id} · {getattr(r, hazard_column)} · "
                                   f"{r.received_at:%m-%d %H:%M} · {r.township}" for r in recent.itertuples()}
    if not options:
        st.info(t("resources.no_recent"))
    else:
        start = options.index(int(wanted)) if wanted and wanted.isdigit() else 0
        chosen = st.selectbox(t("resources.pick_incident"), options, index=start, key="res_incident",
                              format_func=lambda i: labels.get(i, f"#{i}"))
        decision_aids.render(chosen, key="res_decision")
