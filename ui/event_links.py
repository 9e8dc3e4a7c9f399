"""The incident panel's event links: the reports of the incident's event (channel, time, source id), "split this
report out" and "link with incident #…" (an id typed in, or a nearby report from queries/event_link_candidates),
each with a reason, through data/event_ops. The versions checked are the ones shown when the panel was drawn, so a
change made meanwhile by someone else is refused with a conflict message instead of being overwritten.

The lead calls render(con, incident_id, actor) from the incident panel."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from data import event_ops
from data.incident_ops import Actor, IncidentConflict, OpsError
from data.ingest import mapping
from queries import runner
from ui import language

CANDIDATES = 8


def _key(incident_id: int, name: str) -> str:
    return f"el_{int(incident_id)}_{name}"


def _ts(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%m-%d %H:%M")


def _say(incident_id: int, kind: str, text: str) -> None:
    """The outcome, shown on the next run (a button's callback runs before the panel is drawn again)."""
    st.session_state[_key(incident_id, "msg")] = (kind, text)


def _error_text(err: OpsError) -> str:
    t = language.t
    if isinstance(err, IncidentConflict):
        return t("event_links.conflict", incident=err.incident_id, expected=err.expected, current=err.current,
                 who=err.values.get("who", "?"))
    if f"event_links.error.{err.key}" in i18n.strings(language.lang()):
        return t(f"event_links.error.{err.key}", **err.values)
    return t("event_links.error.other", detail=err.key)


def _split(con, actor: Actor, incident_id: int, version: int) -> None:
    try:
        event_ops.split(con, actor, incident_id, version, st.session_state.get(_key(incident_id, "reason"), ""))
    except OpsError as err:
        _say(incident_id, "error", _error_text(err))
        return
    _say(incident_id, "success", language.t("event_links.split_done", incident=incident_id))


def _link(con, actor: Actor, incident_id: int, version: int, shown: dict[int, int]) -> None:
    """shown: the candidates' versions as listed; a typed id's version is read now (nobody saw it before)."""
    other = st.session_state.get(_key(incident_id, "other"))
    if other is None:
        other = st.session_state.get(_key(incident_id, "pick"))
    if other is None:
        _say(incident_id, "error", language.t("event_links.error.no_other"))
        return
    other = int(other)
    if other not in shown:
        row = con.execute("SELECT coalesce(version, 1) FROM incidents WHERE incident_id = ?", [other]).fetchone()
        if row is None:
            _say(incident_id, "error", language.t("event_links.error.no_incident", incident=other))
            return
        shown = {**shown, other: int(row[0])}
    try:
        event_id = event_ops.link(con, actor, [incident_id, other], {incident_id: version, other: shown[other]},
                                  st.session_state.get(_key(incident_id, "reason"), ""))
    except OpsError as err:
        _say(incident_id, "error", _error_text(err))
        return
    _say(incident_id, "success", language.t("event_links.link_done", incident=other, event=event_id))


def render(con, incident_id: int, actor: Actor) -> None:
    """The event's reports and the two corrections, for one incident."""
    t, lang = language.t, language.lang()
    reports = event_ops.event_reports(con, incident_id)
    if not reports:
        return
    me = next(r for r in reports if r["incident_id"] == int(incident_id))
    channels = i18n.code_names(runner.run(con, "onemap_channels"), lang)
    st.markdown(f"**{t('event_links.title')}**")
    if message := st.session_state.pop(_key(incident_id, "msg"), None):
        (st.success if message[0] == "success" else st.error)(message[1])
    if me["event_id"] is None:
        st.caption(t("event_links.alone"))
    else:
        st.caption(t("event_links.summary", event=me["event_id"], reports=len(reports)))
        frame = pd.DataFrame(reports)
        st.dataframe(pd.DataFrame({
            t("event_links.col_this"): frame["incident_id"].eq(int(incident_id)).map({True: "●", False: ""}),
            t("event_links.col_incident"): frame["incident_id"].astype(str),
            t("event_links.col_time"): frame["received_at"].map(_ts),
            t("event_links.col_channel"): frame["channel"].map(lambda c: channels.get(c, c)),
            t("event_links.col_source_ref"): frame["source_ref"].fillna(""),
        }), hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 220))

    st.text_input(t("event_links.reason"), key=_key(incident_id, "reason"), placeholder=t("event_links.reason_hint"))
    if me["event_id"] is not None:
        st.button(t("event_links.split"), key=_key(incident_id, "split_btn"), on_click=_split,
                  args=(con, actor, int(incident_id), int(me["version"])))

    rule = mapping.linking()
    near = runner.run(con, "event_link_candidates", incident_id=int(incident_id), minutes=int(rule["minutes"]) * 2,
                      metres=float(rule["distance_m"]) * 2, limit=CANDIDATES)
    shown = {int(r.incident_id): int(r.version) for r in near.itertuples()}
    labels = {int(r.incident_id): t("event_links.candidate", incident=int(r.incident_id),
                                    channel=channels.get(r.channel, r.channel), time=_ts(r.received_at),
                                    metres=int(r.distance_m))
              for r in near.itertuples()}
    c1, c2 = st.columns(2)
    with c1:
        st.selectbox(t("event_links.nearby"), list(labels), index=None, format_func=labels.get,
                     placeholder=t("event_links.nearby_none") if not labels else t("event_links.nearby_pick"),
                     key=_key(incident_id, "pick"))
    with c2:
        st.number_input(t("event_links.other_id"), min_value=1, step=1, value=None, key=_key(incident_id, "other"))
    st.button(t("event_links.link"), key=_key(incident_id, "link_btn"), on_click=_link,
              args=(con, actor, int(incident_id), int(me["version"]), shown))
