"""Decision aids for one incident: suggested teams against the estimated need, the affected area (villages,
people, shelters, cameras), and similar past cases with how they were handled. Rendered by the resources
page; the One Map side panel can call render(incident_id) as well. Queries: decision_*.sql plus One Map's
nearby_cameras.sql and similar_incidents.sql; rules (fitting specialties, need, radii) from
config/risk_weights.toml."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

import i18n
from config import risk_config
from layers import base, theme
from layers import resources as resource_layers
from layers import risk as risk_layers
from ui import database, language


def _zoom_for(radius_m: float) -> float:
    """A zoom that fits the buffer (deck.gl: one zoom step halves the metres per pixel)."""
    return max(8.5, min(15.0, 12.8 - math.log2(max(radius_m, 100.0) / 1000.0)))


def _minutes_label(minutes) -> str:
    return i18n.duration(minutes, language.lang())


def render(incident_id: int, key: str = "decision") -> None:
    t = language.t
    found = database.query("decision_incident", incident_id=int(incident_id))
    if found.empty:
        st.warning(t("decision.not_found", id=incident_id))
        return
    inc = found.iloc[0]
    hazard_name = inc[i18n.label_column(language.lang(), "hazard")]
    st.subheader(t("decision.heading", id=int(inc.incident_id), hazard=hazard_name, severity=inc.severity_roman))
    st.caption(" · ".join(str(x) for x in (f"{inc.received_at:%Y-%m-%d %H:%M}", inc.township, inc.address,
                                            inc.description) if x is not None and not pd.isna(x)))

    cfg = risk_config.load()
    severity = int(inc.severity)
    team_params = risk_config.team_params(inc.hazard, severity, cfg)
    radius_m = risk_config.affected_radius_m(inc.hazard, severity, cfg)
    lon, lat = float(inc.lon), float(inc.lat)
    teams = database.query("decision_suggested_teams", incident_id=int(inc.incident_id), **team_params)
    summary = database.query("decision_affected_summary", incident_id=int(inc.incident_id), radius_m=radius_m).iloc[0]
    area = database.query("decision_affected_area", incident_id=int(inc.incident_id), radius_m=radius_m)
    cameras = database.query("nearby_cameras", lon=lon, lat=lat, radius_m=radius_m)
    cells = database.query("decision_affected_cells", incident_id=int(inc.incident_id), radius_m=radius_m)
    similar = database.query("similar_incidents", lon=lon, lat=lat,
                             radius_km=float(cfg["decision"]["similar_radius_km"]), hazard=inc.hazard,
                             at=inc.received_at.to_pydatetime(), limit=int(cfg["decision"]["similar_limit"]))

    need = int(team_params["need"])
    brought = int(teams.loc[teams["send"], "headcount"].sum())
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("decision.people_brought"), f"{brought} / {need}", help=t("decision.need_help"))
    c2.metric(t("decision.radius"), f"{radius_m / 1000:.1f} km", help=t("decision.radius_help"))
    c3.metric(t("decision.villages_people"), f"{int(summary.villages)} / {int(summary.population):,}")
    c4.metric(t("decision.shelters_free"), f"{int(summary.shelters)} / {int(summary.free_places):,}")
    c5.metric(t("decision.cameras_online"), f"{int(summary.cameras_online)} / {int(summary.cameras)}")
    if brought < need:
        st.warning(t("decision.short_of_need", brought=brought, need=need))
    if not team_params["specialties"]:
        st.caption(t("decision.any_specialty"))

    spec_col = i18n.label_column(language.lang(), "specialty")
    shelters = area[area["kind"] == "shelter"]
    layers = [base.county_layer(database.query("county_outline").iloc[0]["geojson"]),
              base.township_layer(database.query("township_boundaries")),
              risk_layers.affected_ring_layer(lon, lat, radius_m)]
    if not cameras.empty:
        layers.append(resource_layers.camera_layer(cameras))
    if not shelters.empty:
        layers.append(resource_layers.shelter_layer(shelters.rename(columns={"place_id": "shelter_id"})))
    if not teams.empty:
        layers += [risk_layers.team_route_layer(lon, lat, teams), resource_layers.team_layer(teams)]
    layers.append(risk_layers.incident_marker_layer(lon, lat))
    tooltip = theme.tooltip("{name}")
    # Fit the buffer and the teams to send, so every suggested route starts on screen.
    reach_m = max([radius_m] + [1000.0 * float(d) for d in teams.loc[teams["send"], "distance_km"]])
    st.pydeck_chart(base.make_deck(layers, base.view_state(lon, lat, _zoom_for(reach_m)), tooltip),
                    height=420, key=f"{key}_map")

    st.markdown(f"**{t('decision.teams_heading')}**")
    _table(teams.assign(specialty_label=teams[spec_col], send=teams["send"].map({True: "✔", False: ""}))[
        ["send", "name", "specialty_label", "headcount", "cumulative_headcount", "distance_km", "travel_min",
         "township", "leader_name", "leader_phone"]].rename(columns=_columns()), hide_index=True)

    st.markdown(f"**{t('decision.cells_heading')}**")
    _table(cells[["name", "township", "population", "distance_m", "members"]].rename(columns=_columns()),
                 hide_index=True, height=200)

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('decision.villages_heading')}**")
        villages = area[area["kind"] == "village"][["name", "township", "population", "distance_m"]]
        _table(villages.rename(columns=_columns()), hide_index=True, height=240)
        st.markdown(f"**{t('decision.shelters_heading')}**")
        _table(shelters[["name", "capacity", "free_places", "distance_m"]].rename(columns=_columns()),
                     hide_index=True, height=200)
    with right:
        st.markdown(f"**{t('decision.cameras_heading')}**")
        _table(cameras[["code", "name", "online", "distance_m"]].rename(columns=_columns()),
                     hide_index=True, height=240)
        st.markdown(f"**{t('decision.similar_heading')}**")
        if similar.empty:
            st.caption(t("decision.no_similar"))
        else:
            handling = database.query("decision_case_handling", incident_ids=[int(i) for i in similar["incident_id"]])
            cases = similar.merge(handling, on="incident_id", how="left")
            cases["took"] = cases["minutes_to_close"].map(_minutes_label)
            cases["received_at"] = cases["received_at"].dt.strftime("%Y-%m-%d %H:%M")
            _table(cases[["received_at", "severity", "township", "distance_km", "units", "took",
                                "description"]].rename(columns=_columns()), hide_index=True, height=200)


MISSING = "—"


def _cell(value):
    if value is None or value is pd.NaT:
        return MISSING
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [str(v) for v in list(value) if v is not None and not (isinstance(v, float) and pd.isna(v))]
        return "、".join(items) if items else MISSING
    if isinstance(value, float):
        if pd.isna(value):
            return MISSING
        return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, pd.Timestamp):
        return MISSING if pd.isna(value) else value.strftime("%Y-%m-%d %H:%M")
    return MISSING if pd.isna(value) else value


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as a person reads it: a missing value is "—" (never "None", "nan" or "<NA>"), a list is its items.
    Columns without gaps keep their type (numbers stay numbers, sortable)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        gaps = values.isna().any() if values.dtype != object else any(
            v is None or isinstance(v, (list, tuple, np.ndarray)) or (isinstance(v, float) and pd.isna(v))
            for v in values)
        if gaps:
            out[col] = [_cell(v) for v in values.astype(object)]
    return out


def _table(frame: pd.DataFrame, **kwargs) -> None:
    """A table of the decision aids; an empty one says so in the user's language (not the grid's "empty")."""
    if frame.empty:
        st.caption(language.t("decision.none_here"))
        return
    st.dataframe(readable(frame), **kwargs)


def _columns() -> dict[str, str]:
    t = language.t
    names = ["send", "name", "specialty_label", "headcount", "cumulative_headcount", "distance_km", "travel_min",
             "township", "leader_name", "leader_phone", "population", "distance_m", "capacity", "free_places",
             "code", "online", "received_at", "severity", "units", "took", "description", "members"]
    return {n: t(f"decision.col.{n}") for n in names}
