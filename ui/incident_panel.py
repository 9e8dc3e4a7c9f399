"""The incident panel: the duty officer acts on one incident (定级, 告警研判, 派遣, 签收/到场/反馈/回访, 改派, 办结) and
sees its status line and action history; and the call form (接报登记).

One click is one action: each action is a form's submit or a button; it runs data.incident_ops with the version the
user last saw (kept in session state when the panel was drawn), so a stale click is refused with what changed
meanwhile, never written over. After an action the page reruns: every write bumps the data version, and the
cached queries (ui.database.query) are keyed on it, so everything on the page is read fresh."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from data import incident_ops as ops
from data.clock import now
from ui import auth, database, event_links, language
from views import incident_ops as view

SEEN_KEY = "ops_seen_{}"      # the incident version the user last saw in the panel
NONCE_KEY = "ops_nonce_{}"    # part of every widget key: a new one after an action gives empty inputs
FLASH_KEY = "ops_flash"       # (level, markdown) shown once at the top of the panel after a rerun
CALL_NONCE_KEY = "ops_call_nonce"


def may_handle() -> bool:
    return auth.can("handle_incidents")


def _actor() -> ops.Actor:
    user = auth.current_user()
    return ops.Actor(user.username, user.role, auth.client_address())


def _names(units: list[dict] | None = None) -> view.Names:
    return view.Names.load(database.query, language.lang(), units)


def _flash(level: str, text: str) -> None:
    st.session_state[FLASH_KEY] = (level, text)


def _show_flash() -> None:
    level, text = st.session_state.pop(FLASH_KEY, (None, None))
    if level:
        getattr(st, level)(text)


def _run(incident_id: int, action: str, work, names: view.Names) -> None:
    """Do one action (work(actor) -> new version), then rerun with a message; a refusal is shown in the UI
    language (a conflict lists who changed what since) and the incident is read again."""
    t = language.t
    if not may_handle():  # re-checked on the server at the moment of writing
        st.error(t("ops.no_permission"))
        return
    try:
        version = work(_actor())
    except ops.IncidentConflict as err:
        _flash("error", view.conflict_text(err, names))
    except ops.OpsError as err:
        st.error(view.error_text(err, language.lang()))
        return  # the inputs stay as typed, to be corrected
    else:
        _flash("success", t("ops.done", action=view.action_label(action, language.lang()), version=version))
        st.session_state[NONCE_KEY.format(incident_id)] = st.session_state.get(NONCE_KEY.format(incident_id), 0) + 1
    st.session_state.pop(SEEN_KEY.format(incident_id), None)
    st.rerun()


# ------------------------------------------------------------------ the panel
def render(incident_id: int) -> None:
    """The panel for one incident, for roles that may handle incidents (nothing for the others)."""
    if not may_handle():
        return
    t = language.t
    con = database.cursor()
    seen = st.session_state.get(SEEN_KEY.format(incident_id))  # what the user saw before this click
    state = ops.state(con, incident_id)
    if state is None:
        st.caption(t("ops.not_found"))
        return
    expected = state["version"] if seen is None else seen
    all_units = ops.units(con)
    names = _names(all_units)
    key = f"{incident_id}_{st.session_state.get(NONCE_KEY.format(incident_id), 0)}"
    st.markdown(f"#### {t('ops.heading')} · {t('ops.version', version=state['version'])}")
    _show_flash()
    history = ops.history(con, incident_id)
    _status_line(state, history, names)
    _source_conflicts(con, incident_id, expected, names)
    event_links.render(con, incident_id, _actor())  # the event's reports: split one out, link another
    open_ = view.may_act(state)
    if not open_:
        result = state["close_result"]
        if result == ops.FALSE_ALARM_RESULT:
            result = t("ops.false_alarm_result")
        st.info(t("ops.closed_note", at=view.ts(state["closed_at"]), result=result or ""))
    elif view.is_alarm(state) and state["alarm_verdict"] is None:
        _alarm_form(state, expected, key, names)
    if state["alarm_verdict"] is not None:
        st.caption(t("ops.alarm.judged", verdict=t(f"ops.verdict.{state['alarm_verdict']}")))
    if open_:
        _grade_form(state, expected, key, names)
        _dispatch_form(state, expected, key, names, all_units)
    _dispatches(state, expected, key, names, all_units, open_)
    if open_:
        _close_form(state, expected, key, names)
    _history(history, names)
    st.session_state[SEEN_KEY.format(incident_id)] = state["version"]


def _source_conflicts(con, incident_id: int, expected: int, names: view.Names) -> None:
    """A source system's newer record disagreed with an edit made here: OneMap's value was kept; the officer
    sees both and acknowledges (changing it the source's way is an ordinary action)."""
    t = language.t
    rows = view.source_conflict_rows(ops.conflicts(con, incident_id), names)
    if not rows:
        return
    lines = [t("ops.source_conflict.heading")]
    lines += [t("ops.source_conflict.line", **{k: v for k, v in row.items() if k != "conflict_id"}) for row in rows]
    st.warning("\n\n".join(lines))
    for row in rows:
        if st.button(t("ops.source_conflict.keep", field=row["field"]), key=f"ops_conflict_{row['conflict_id']}"):
            _run(incident_id, "conflict_resolved",
                 lambda a, cid=row["conflict_id"]: ops.resolve_conflict(database.cursor(), a, cid, expected), names)


def _status_line(state: dict, history: list[dict], names: view.Names) -> None:
    t = language.t
    parts = []
    for step in view.status_line(state, history, names):
        label = t(f"ops.step.{step['step']}")
        if step["done"]:
            who = f" {step['who']}" if step["who"] else ""
            parts.append(f":green[●] **{label}** {view.ts(step['at'])}{who}")
        else:
            parts.append(f":gray[○ {label}]")
    st.markdown(" → ".join(parts))


def _grade_form(state: dict, expected: int, key: str, names: view.Names) -> None:
    t, lang = language.t, language.lang()
    iid = state["incident_id"]
    with st.expander(t("ops.grade.title")), st.form(f"ops_grade_{key}", border=False):
        severity = st.selectbox(t("ops.grade.severity"), ops.SEVERITIES, index=ops.SEVERITIES.index(state["severity"]),
                                format_func=lambda s: view.severity_label(s, lang), key=f"ops_grade_sev_{key}")
        reason = st.text_input(t("ops.grade.reason"), max_chars=200, key=f"ops_grade_reason_{key}")
        if st.form_submit_button(t("ops.grade.submit"), type="primary", key=f"ops_grade_submit_{key}"):
            _run(iid, "grade", lambda a: ops.grade(database.cursor(), a, iid, severity, reason, expected), names)


def _alarm_form(state: dict, expected: int, key: str, names: view.Names) -> None:
    t = language.t
    iid = state["incident_id"]
    with st.form(f"ops_alarm_{key}"):
        st.markdown(f"**{t('ops.alarm.title')}**")
        verdicts = {v: t(f"ops.verdict.{v}") for v in ops.VERDICTS}  # labels of this run's language
        verdict = st.radio(t("ops.alarm.verdict"), ops.VERDICTS, format_func=verdicts.get,
                           horizontal=True, key=f"ops_alarm_verdict_{key}")
        reason = st.text_input(t("ops.alarm.reason"), max_chars=200, key=f"ops_alarm_reason_{key}")
        if st.form_submit_button(t("ops.alarm.submit"), type="primary", key=f"ops_alarm_submit_{key}"):
            action = "false_alarm" if verdict == "false" else "confirm"
            _run(iid, action, lambda a: ops.judge_alarm(database.cursor(), a, iid, verdict, reason, expected), names)


def _dispatch_form(state: dict, expected: int, key: str, names: view.Names, all_units: list[dict]) -> None:
    t = language.t
    iid = state["incident_id"]
    busy = {d["unit_id"] for d in state["dispatches"] if d["ended_at"] is None}
    suggestions = ops.suggest_units(database.cursor(), iid)
    order, labels, suggested = view.unit_options(all_units, suggestions, database.query("ops_time_limits"),
                                                 state["category"], names)
    order = [u for u in order if u not in busy]
    if not order:
        return
    with st.expander(t("ops.dispatch.title"), expanded=not state["dispatches"]), \
            st.form(f"ops_dispatch_{key}", border=False):
        picked = st.multiselect(t("ops.dispatch.units"), order, default=[u for u in suggested if u not in busy],
                                format_func=labels.get, key=f"ops_dispatch_units_{key}")
        note = st.text_input(t("ops.dispatch.note"), max_chars=200, key=f"ops_dispatch_note_{key}")
        if st.form_submit_button(t("ops.dispatch.submit"), type="primary",
                                 key=f"ops_dispatch_submit_{key}"):
            _run(iid, "dispatch", lambda a: ops.dispatch(database.cursor(), a, iid, picked, expected,
                                                         note=note or None), names)


def _dispatches(state: dict, expected: int, key: str, names: view.Names, all_units: list[dict],
                open_: bool) -> None:
    t, lang = language.t, language.lang()
    iid = state["incident_id"]
    st.markdown(f"**{t('ops.dispatch.heading')}**")
    rows = view.dispatch_rows(state, names)
    if not rows:
        st.caption(t("ops.dispatch.none"))
        return
    for row in rows:
        did = row["dispatch_id"]
        with st.container(border=True):
            text = t("ops.dispatch.row", unit=row["unit"], level=row["level"],
                     limit=view.duration(row["limit_minutes"], lang), assigned=view.ts(row["assigned_at"]),
                     deadline=view.ts(row["deadline_at"]))
            if row["overdue"]:
                text += f" · :red[**{t('ops.overdue')}**]"
            steps = " · ".join(f"{t(f'ops.step_button.{s}')} {view.ts(at)}" for s, at in row["done"])
            st.markdown(text + (f"  \n{steps}" if steps else ""))
            if row["ended_at"] is not None:
                st.caption(t("ops.dispatch.ended", at=view.ts(row["ended_at"]), reason=row["ended_reason"] or ""))
                continue
            if row["next_step"] is None:
                st.caption(t("ops.dispatch.all_done"))
            if not open_:
                if row["next_step"] is not None:  # closed with this unit's steps open: said, not left blank
                    st.caption(t("ops.dispatch.not_done", step=t(f"ops.step_button.{row['next_step']}")))
                continue
            step = row["next_step"]
            if step is not None and st.button(t(f"ops.step_button.{step}"), key=f"ops_step_{did}_{step}_{key}",
                                              type="primary"):
                _run(iid, step, lambda a, d=did, s=step: ops.record_step(database.cursor(), a, d, s, expected), names)
            _reassign_form(iid, row, expected, key, names, all_units)


def _reassign_form(iid: int, row: dict, expected: int, key: str, names: view.Names, all_units: list[dict]) -> None:
    t = language.t
    did = row["dispatch_id"]
    others = [u for u in all_units if int(u["unit_id"]) != row["unit_id"]]
    with st.popover(t("ops.reassign.title")), st.form(f"ops_reassign_{did}_{key}", border=False):
        to = st.selectbox(t("ops.reassign.to"), [int(u["unit_id"]) for u in others],
                          format_func=lambda u: names.units.get(u, str(u)), index=None,
                          key=f"ops_reassign_to_{did}_{key}")
        reason = st.text_input(t("ops.reassign.reason"), max_chars=200, key=f"ops_reassign_reason_{did}_{key}")
        if st.form_submit_button(t("ops.reassign.submit"), key=f"ops_reassign_submit_{did}_{key}"):
            if to is None:
                st.error(t("ops.error.no_units"))
                return
            _run(iid, "reassign", lambda a: ops.reassign(database.cursor(), a, did, to, reason, expected), names)


def _close_form(state: dict, expected: int, key: str, names: view.Names) -> None:
    t = language.t
    iid = state["incident_id"]
    with st.expander(t("ops.close.title")), st.form(f"ops_close_{key}", border=False):
        result = st.text_area(t("ops.close.result"), max_chars=500, key=f"ops_close_result_{key}")
        if st.form_submit_button(t("ops.close.submit"), type="primary", key=f"ops_close_submit_{key}"):
            _run(iid, "close", lambda a: ops.close(database.cursor(), a, iid, result, expected), names)


def _history(history: list[dict], names: view.Names) -> None:
    t = language.t
    with st.expander(t("ops.history.title"), expanded=False):
        rows = view.history_rows(history, names)
        if not rows:
            st.caption(t("ops.history.empty"))
        for r in rows:
            source = f" {t('ops.history.source')}" if r["source"] else ""
            detail = f"  \n:gray[{r['detail']}]" if r["detail"] else ""
            st.markdown(f"`{r['at']}` **{r['action']}** · {r['who']}{source}{detail}")


# ------------------------------------------------------------------ the call form (接报登记)
def call_form(on_recorded) -> None:
    """Record a call taken on the duty phone; on_recorded(incident_id, source_ref) is called after it is stored
    (the page selects it). Place by township / village (live pickers: the village list follows the township)
    or by coordinates."""
    if not may_handle():
        return
    t, lang = language.t, language.lang()
    n = st.session_state.get(CALL_NONCE_KEY, 0)
    k = f"ops_call_{{}}_{n}".format
    names = _names()
    places = view.places(database.query("ops_places"))
    c1, c2 = st.columns(2)
    hazard = c1.selectbox(t("ops.call.hazard"), list(names.hazards), format_func=names.hazards.get, key=k("hazard"))
    severity = c2.selectbox(t("ops.call.severity"), ops.SEVERITIES, index=len(ops.SEVERITIES) - 1,
                            format_func=lambda s: view.severity_label(s, lang), key=k("severity"))
    received_at: datetime | None = None
    if not st.toggle(t("ops.call.time_now"), value=True, key=k("now")):
        at = now()
        c1, c2 = st.columns(2)
        day = c1.date_input(t("ops.call.date"), value=at.date(), max_value=at.date(), key=k("date"))
        clock = c2.time_input(t("ops.call.time"), value=at.time().replace(second=0, microsecond=0), step=60,
                              key=k("time"))
        received_at = datetime.combine(day, clock)
    modes = {m: t(f"ops.call.mode.{m}") for m in view.PLACE_MODES}  # labels of this run's language
    mode = st.radio(t("ops.call.place_mode"), view.PLACE_MODES, format_func=modes.get,
                    horizontal=True, key=k("mode"))
    township = village = lon = lat = None
    if mode == "place":
        c1, c2 = st.columns(2)
        township = c1.selectbox(t("ops.call.township"), list(places), index=None,
                                placeholder=t("ops.call.pick_township"), key=k("township"))
        village = c2.selectbox(t("ops.call.village"), places.get(township, []), index=None,
                               placeholder=t("ops.call.whole_township"), key=k("village"))
    else:
        c1, c2 = st.columns(2)
        lon = c1.number_input(t("ops.call.lon"), value=None, format="%.6f", min_value=-180.0, max_value=180.0,
                              key=k("lon"))
        lat = c2.number_input(t("ops.call.lat"), value=None, format="%.6f", min_value=-90.0, max_value=90.0,
                              key=k("lat"))
        st.caption(t("ops.call.coordinates_hint"))
    address = st.text_input(t("ops.call.address"), max_chars=200, key=k("address"))
    c1, c2 = st.columns(2)
    caller_name = c1.text_input(t("ops.call.caller_name"), max_chars=50, key=k("caller_name"))
    caller_phone = c2.text_input(t("ops.call.caller_phone"), max_chars=30, key=k("caller_phone"))
    description = st.text_area(t("ops.call.description"), max_chars=1000, key=k("description"))
    if not st.button(t("ops.call.submit"), type="primary", key=k("submit")):
        return
    if not may_handle():
        st.error(t("ops.no_permission"))
        return
    arguments = view.call_arguments(mode=mode, hazard=hazard, severity=severity, received_at=received_at,
                                    township=township, village=village, lon=lon, lat=lat, address=address,
                                    caller_name=caller_name, caller_phone=caller_phone, description=description)
    try:
        incident_id = ops.record_call(database.cursor(), _actor(), **arguments)
    except ops.OpsError as err:
        st.error(view.error_text(err, lang))
        return
    state = ops.state(database.cursor(), incident_id)
    st.session_state[CALL_NONCE_KEY] = n + 1
    _flash("success", t("ops.call.done", ref=state["source_ref"], incident=incident_id))
    on_recorded(incident_id, state["source_ref"])
    st.rerun()
