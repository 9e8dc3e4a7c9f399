"""One Map's side panel for one incident: details, dispatch timeline, nearest resources, similar cases.

Distances come from the nearby_* queries (DuckDB spatial); caller data only masked (onemap_incident_detail),
except after a callback reveal (views/caller.py: view_personal roles, a reason, one audit row), which is kept
in this browser session for that incident only and shown next to the masks."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

import i18n
from data.domain import SEVERITY_ROMAN
from ui import auth, database, incident_panel, language
from views import caller

NEAREST_TEAMS = 5
NEAREST_SHELTERS = 3
CAMERA_RADIUS_M = 1000.0
SIMILAR_RADIUS_KM = 5.0
SIMILAR_LIMIT = 5
REVEALED_KEY = "om_revealed_callers"  # {(username, incident_id): (name, phone)}: this browser session only


def _names(query: str) -> dict[str, str]:
    return i18n.code_names(database.query(query), language.lang())


def _ts(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%m-%d %H:%M")


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    """A compact read-only table with the columns renamed to the UI language."""
    t = language.t
    if frame.empty:
        st.caption(t("one_map.detail.none"))
        return
    shown = frame[list(columns)].rename(columns={k: t(v) for k, v in columns.items()})
    st.dataframe(shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 220))


def _linked_reports(incident_id: int, channels: dict[str, str], statuses: dict[str, str]) -> None:
    """The other channels' reports of the same event (linked at import, never merged away), if any."""
    t = language.t
    linked = database.query("onemap_event_reports", incident_id=incident_id)
    if linked.empty:
        return
    names = ("、" if language.lang() != "en" else ", ").join(channels.get(c, c) for c in linked.iloc[0]["channels"])
    st.markdown(f"**{t('one_map.detail.event')}**: "
                + t("one_map.detail.event_summary", reports=int(linked.iloc[0]["report_count"]), channels=names))
    linked = linked.assign(channel_label=linked["channel"].map(channels), status_label=linked["status"].map(statuses),
                           received=linked["received_at"].map(_ts),
                           this=linked["incident_id"].eq(incident_id).map({True: "●", False: ""}))
    _table(linked, {"this": "one_map.detail.this_report", "received": "one_map.detail.received",
                    "channel_label": "one_map.detail.channel", "source_ref": "one_map.detail.source_ref",
                    "status_label": "one_map.detail.status"})


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value) != ""


def _revealed(incident_id: int) -> tuple[str | None, str | None] | None:
    """This session's reveal of the incident's caller, for the signed-in user while the role still allows it."""
    user = auth.current_user()
    if user is None or not auth.can("view_personal"):
        return None
    return st.session_state.get(REVEALED_KEY, {}).get((user.username, int(incident_id)))


def _revealed_text(incident_id: int) -> str:
    revealed = _revealed(incident_id)
    if revealed is None:
        return ""
    full = " ".join(v for v in revealed if v)
    return f" · :blue[{language.t('one_map.reveal.shown')}: {full}]"


def _reveal_form(incident_id: int) -> None:
    """The callback reveal: only for roles with view_personal, a required reason, audited in views.caller."""
    t = language.t
    user = auth.current_user()
    if user is None or not auth.can("view_personal") or _revealed(incident_id) is not None:
        return
    with st.expander(t("one_map.reveal.open")):
        st.caption(t("one_map.reveal.note"))
        with st.form(f"om_reveal_{incident_id}", clear_on_submit=True, border=False):
            reason = st.text_input(t("one_map.reveal.reason"), placeholder=t("one_map.reveal.reason_placeholder"),
                                   max_chars=200, key=f"om_reveal_reason_{incident_id}")
            if not st.form_submit_button(t("one_map.reveal.submit"), key=f"om_reveal_submit_{incident_id}"):
                return
            try:
                full = caller.reveal_caller(database.cursor(), incident_id, user.username, user.role, reason,
                                            client=auth.client_address())
            except caller.RevealRefused as refused:
                st.error(t(refused.key))
                return
            st.session_state.setdefault(REVEALED_KEY, {})[(user.username, int(incident_id))] = full
            st.success(t("one_map.reveal.done"))


def show(incident_id: int, now: datetime) -> None:
    t = language.t
    detail = database.query("onemap_incident_detail", incident_id=incident_id)
    if detail.empty:
        st.caption(t("one_map.detail.none"))
        return
    d = detail.iloc[0]
    hazards, statuses, channels = _names("hazard_types"), _names("onemap_incident_statuses"), _names("onemap_channels")
    approx = t("one_map.detail.approximate") if d.location_precision != "exact" else ""
    place = " ".join(str(x) for x in (d.township, d.village, d.address) if x is not None and not pd.isna(x))
    st.subheader(f"{hazards.get(d.hazard, d.hazard)} · {SEVERITY_ROMAN[int(d.severity)]}")
    lines = [
        f"**{t('one_map.detail.status')}**: {statuses.get(d.status, d.status)}",
        f"**{t('one_map.detail.channel')}**: {channels.get(d.channel, d.channel)} · {d.source_ref}",
        f"**{t('one_map.detail.received_at')}**: {_ts(d.received_at)}",
        f"**{t('one_map.detail.place')}**: {place}{approx}",
    ]
    has_caller = _present(d.caller_name) or _present(d.caller_phone)
    info = st.container()  # filled after the reveal form, so a reveal shows on the run that made it
    if has_caller:
        _reveal_form(incident_id)
        masked = " ".join(str(v) for v in (d.caller_name, d.caller_phone) if _present(v))
        lines.append(f"**{t('one_map.detail.caller')}**: {masked}{_revealed_text(incident_id)}")
    if _present(d.description):
        lines.append(f"**{t('one_map.detail.description')}**: {d.description}")
    info.markdown("  \n".join(lines))
    if incident_panel.may_handle():
        incident_panel.render(incident_id)  # the acting panel, with the event's reports to link and split
    else:
        _linked_reports(incident_id, channels, statuses)

    with st.expander(t("one_map.detail.timeline"), expanded=True):
        timeline = database.query("onemap_incident_timeline", incident_id=incident_id, now=now)
        step_labels = {"accepted_at": t("one_map.detail.accepted"), "arrived_at": t("one_map.detail.arrived"),
                       "feedback_at": t("one_map.detail.feedback"), "callback_at": t("one_map.detail.callback")}
        if timeline.empty:
            st.caption(t("one_map.detail.no_timeline"))
        for row in timeline.itertuples():
            flag = f" · :orange[{t('one_map.detail.overdue')}]" if row.overdue else ""
            if row.entry == "dispatch":
                steps = [f"{label} {_ts(getattr(row, column))}" for column, label in step_labels.items()
                         if not pd.isna(getattr(row, column))]
                st.markdown(f"{_ts(row.happened_at)} **{t('one_map.detail.dispatch')}** {row.unit} · "
                            f"{t('one_map.detail.deadline')} {_ts(row.deadline_at)}{flag}  \n"
                            + " · ".join(steps))
            else:
                kind = t(f"one_map.detail.report_kinds.{row.report_kind}")
                sent = (f"{t('one_map.detail.sent')} {_ts(row.sent_at)}" if not pd.isna(row.sent_at)
                        else f"{t('one_map.detail.due')} {_ts(row.deadline_at)}")
                st.markdown(f"{_ts(row.happened_at)} **{kind}** · {sent}{flag}")

    place_params = {"lon": float(d.lon), "lat": float(d.lat)}
    specialties = _names("onemap_team_specialties")
    st.markdown(f"**{t('one_map.detail.teams')}**")
    teams = database.query("nearby_teams", **place_params, limit=NEAREST_TEAMS, specialty=None)
    teams["specialty_label"] = teams["specialty"].map(specialties)
    _table(teams, {"name": "one_map.detail.name", "specialty_label": "one_map.detail.specialty",
                   "headcount": "one_map.detail.headcount", "distance_km": "one_map.detail.distance_km",
                   "travel_min": "one_map.detail.travel_min"})
    st.markdown(f"**{t('one_map.detail.shelters')}**")
    shelters = database.query("nearby_shelters", **place_params, limit=NEAREST_SHELTERS)
    _table(shelters, {"name": "one_map.detail.name", "free_places": "one_map.detail.free_places",
                      "distance_km": "one_map.detail.distance_km", "travel_min": "one_map.detail.travel_min"})
    st.markdown(f"**{t('one_map.detail.cameras')}**")
    cameras = database.query("nearby_cameras", **place_params, radius_m=CAMERA_RADIUS_M)
    _table(cameras, {"name": "one_map.detail.name", "online": "one_map.detail.online",
                     "distance_m": "one_map.detail.distance_m"})
    st.markdown(f"**{t('one_map.detail.similar')}**")
    similar = database.query("similar_incidents", **place_params, radius_km=SIMILAR_RADIUS_KM, hazard=d.hazard,
                             at=pd.Timestamp(d.received_at).to_pydatetime(), limit=SIMILAR_LIMIT)
    similar["received"] = similar["received_at"].map(lambda v: pd.Timestamp(v).strftime("%Y-%m-%d"))
    _table(similar, {"received": "one_map.detail.received", "township": "one_map.detail.township",
                     "description": "one_map.detail.description", "distance_km": "one_map.detail.distance_km"})


# ---------------------------------------------------------------- a resource picked on the map
# Map layer id -> (kind, the id field its rows carry, the detail query and its parameter).
RESOURCE_LAYERS = {"reservoirs": ("reservoir", "reservoir_id", "onemap_reservoir_detail"),
                   "rescue_teams": ("team", "team_id", "onemap_team_detail"),
                   "shelters": ("shelter", "shelter_id", "onemap_shelter_detail"),
                   "cameras": ("camera", "camera_id", "onemap_camera_detail")}


def _coded(group: str, code) -> str:
    """The UI-language name of a code in one of the i18n groups (resources.team_kind, ...)."""
    return language.t(f"{group}.{code}")


def _num(value, digits: int = 2) -> str:
    return "-" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def show_resource(layer_id: str, object_id: int, now: datetime) -> None:
    """The side panel for a reservoir, rescue team, shelter or camera picked on the map (layer ids as in
    layers/resources.py): what it is and its state now."""
    t = language.t
    kind, key, query = RESOURCE_LAYERS[layer_id]
    params = {key: int(object_id)}
    if kind == "reservoir":
        params["now"] = now
    rows = database.query(query, **params)
    if rows.empty:
        st.caption(t("one_map.resource.none"))
        return
    r = rows.iloc[0]
    st.subheader(f"{_coded('one_map.resource', kind)} · {r['name']}")
    lines = [f"**{t('one_map.resource.township')}**: {r['township'] if _present(r['township']) else '-'}"
             f" · {t('one_map.resource.code')} {r['code']}"]
    {"reservoir": _reservoir_lines, "team": _team_lines, "shelter": _shelter_lines,
     "camera": _camera_lines}[kind](r, lines)
    st.markdown("  \n".join(lines))
    if kind == "reservoir":
        _reservoir_levels(r)
    st.caption(t("one_map.resource.hint"))


def _reservoir_lines(r: pd.Series, lines: list[str]) -> None:
    t = language.t
    scale = _coded("one_map.resource.scale_names", r["scale"])
    capacity = ("-" if pd.isna(r["capacity_mcm"])
                else f"{float(r['capacity_mcm']) * 100:,.0f} {t('one_map.resource.unit_mcm')}")
    status = t(f"one_map.reservoir_status.{r['status']}")
    basis = t("one_map.resource.limit_flood" if bool(r["in_flood_season"]) else "one_map.resource.limit_normal")
    lines.append(f"**{t('one_map.resource.scale')}**: {scale} · {t('one_map.resource.capacity_mcm')} {capacity}")
    if pd.isna(r["level_m"]):
        lines.append(f"**{t('one_map.resource.level_now')}**: {t('one_map.resource.no_reading')}")
    else:
        colour = {"above": "red", "near": "orange"}.get(r["status"])
        shown = f":{colour}[{status}]" if colour else status
        lines.append(f"**{t('one_map.resource.level_now')}**: {_num(r['level_m'])} m · {shown}"
                     f" · {t('one_map.resource.observed_at')} {_ts(r['observed_at'])}")
    lines.append(f"**{t('one_map.resource.limit_now')}**: {_num(r['limit_m'])} m {basis}")
    if not pd.isna(r["level_m"]) and not pd.isna(r["limit_m"]):
        gap = float(r["level_m"]) - float(r["limit_m"])
        lines.append(t("one_map.resource.above_by" if gap > 0 else "one_map.resource.below_by", m=f"{abs(gap):.2f}"))
    if not pd.isna(r["level_24h_before_m"]) and not pd.isna(r["level_m"]):
        lines.append(f"**{t('one_map.resource.change_24h')}**: "
                     f"{float(r['level_m']) - float(r['level_24h_before_m']):+.2f} m")
    if not pd.isna(r["inflow_m3s"]) or not pd.isna(r["outflow_m3s"]):
        unit = t("one_map.resource.unit_m3s")
        lines.append(f"**{t('one_map.resource.inflow')}**: {_num(r['inflow_m3s'], 1)} {unit} · "
                     f"**{t('one_map.resource.outflow')}**: {_num(r['outflow_m3s'], 1)} {unit}")


def _reservoir_levels(r: pd.Series) -> None:
    """The characteristic levels beside the latest reading, highest first."""
    t = language.t
    names = {"check_flood_level_m": "check_level", "design_flood_level_m": "design_level",
             "normal_level_m": "normal_level", "flood_limit_level_m": "flood_limit", "dead_level_m": "dead_level"}
    frame = pd.DataFrame({"kind": [t(f"one_map.resource.{label}") for label in names.values()],
                          "m": [_num(r[column]) for column in names]})
    st.markdown(f"**{t('one_map.resource.levels')}**")
    st.dataframe(frame.rename(columns={"kind": t("one_map.resource.level_kind"), "m": t("one_map.resource.level_m")}),
                 hide_index=True, width="stretch", height=38 + 35 * len(frame))


def _team_lines(r: pd.Series, lines: list[str]) -> None:
    t = language.t
    specialties = _names("onemap_team_specialties")
    lines.append(f"**{t('one_map.resource.kind')}**: {_coded('resources.team_kind', r['kind'])} · "
                 f"**{t('one_map.resource.specialty')}**: {specialties.get(r['specialty'], r['specialty'])}")
    others = [specialties.get(s, s) for s in (r["specialties"] if r["specialties"] is not None else [])
              if s != r["specialty"]]
    if others:
        lines[-1] += " · " + ("、" if language.lang() != "en" else ", ").join(others)
    lines.append(f"**{t('one_map.resource.headcount')}**: {int(r['headcount'])}")
    leader = " ".join(str(v) for v in (r["leader_name"], r["leader_phone"]) if _present(v))
    if leader:
        lines.append(f"**{t('one_map.resource.leader')}**: {leader}")


def _shelter_lines(r: pd.Series, lines: list[str]) -> None:
    t = language.t
    level = _coded("resources.shelter_level", r["level"]) if _present(r["level"]) else "-"
    state = t("one_map.resource.open_yes" if bool(r["is_open"]) else "one_map.resource.open_no")
    lines.append(f"**{t('one_map.resource.level')}**: {level} · **{t('one_map.resource.open')}**: {state}")
    lines.append(f"**{t('one_map.resource.capacity')}**: {int(r['capacity']):,} · "
                 f"**{t('one_map.resource.occupancy')}**: {int(r['occupancy']):,} · "
                 f"**{t('one_map.resource.free_places')}**: {int(r['free_places']):,}")
    if _present(r["village"]):
        lines[0] = lines[0].replace(" · ", f" {r['village']} · ", 1)


def _camera_lines(r: pd.Series, lines: list[str]) -> None:
    t = language.t
    state = t("one_map.tip.online" if bool(r["online"]) else "one_map.tip.offline")
    lines.append(f"**{t('one_map.resource.kind')}**: {_coded('resources.device_type', r['kind'])} · "
                 f"**{t('one_map.resource.online')}**: {state}")
    if _present(r["last_seen_at"]):
        lines.append(f"**{t('one_map.resource.last_seen')}**: {_ts(r['last_seen_at'])}")
    if _present(r["stream_ref"]):
        lines.append(f"**{t('one_map.resource.stream')}**: `{r['stream_ref']}`")
