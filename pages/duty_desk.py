"""值班值守: who is on duty, which reports are due or late, the dispatch board, the "five 100%" and the roster."""
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

import i18n
from data import info_reports, roster
from data.clock import now_cst
from reports import info_report, monthly_notice
from ui import auth, county, database, incident_panel, language, navigation
from views import info_reports as report_view

user = navigation.require("duty_desk")
t = language.t
SOON_MINUTES = 60
REPORT_WINDOW_DAYS = 30
RECORDED_KEY = "desk_recorded_incident"  # the call recorded last in this browser session: its panel shows below
REPORT_ROWS_SHOWN = 500  # per list, worst first: at 10 M incidents a month has ~45 k late-sent reports


def _audit_roster_edit(day: date, changed: int) -> None:
    """Roster edits also go to the audit trail (the history table keeps the details)."""
    auth.audit("edit_roster", detail=f"duty_roster {day.isoformat()}: {changed} seats changed")


@st.cache_data(max_entries=8, ttl=900, show_spinner=False)
def _notice_docx(title: str, paragraphs: tuple[str, ...], units: pd.DataFrame, units_heading: str,
                 towns: pd.DataFrame, towns_heading: str) -> bytes:
    return monthly_notice.notice_docx(title, list(paragraphs), [(units_heading, units), (towns_heading, towns)])


def _duration(minutes) -> str:
    return i18n.duration(minutes, language.lang())


county.header(t("duty_desk.title"))
now = now_cst()
today = now.date()
deadlines = database.query("duty_report_deadlines", now=now, since=now - timedelta(days=REPORT_WINDOW_DAYS),
                           until=now + timedelta(minutes=1), soon_minutes=SOON_MINUTES)
dispatches = database.query("duty_open_dispatches", now=now, max_rows=2000)
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("duty_desk.metric_due_soon"), int((deadlines["state"] == "due_soon").sum()))
c2.metric(t("duty_desk.metric_overdue_reports"), int((deadlines["state"] == "overdue").sum()))
c3.metric(t("duty_desk.metric_open_dispatches"), len(dispatches))
# 超时派单 as One Map (window "today") and today's daily report count it: data/macros.sql overdue_dispatches.
day_start = datetime.combine(today, datetime.min.time())
overdue_today = database.query("duty_overdue_dispatch_count", start=day_start, end=now + timedelta(minutes=1), now=now)
c4.metric(t("duty_desk.metric_overdue_dispatches"), int(overdue_today.iloc[0]["n"]),
          help=t("duty_desk.metric_overdue_dispatches_help", open=int(dispatches["overdue"].sum())))

handles = incident_panel.may_handle()
tabs = list(st.tabs(([t("ops.call.title")] if handles else [])
               + [t("duty_desk.tab_today"), t("duty_desk.tab_reports"), t("duty_desk.tab_dispatch"),
                  t("duty_desk.tab_performance"), t("duty_desk.tab_roster")]))
tab_call = tabs.pop(0) if handles else None
tab_today, tab_reports, tab_dispatch, tab_perf, tab_roster = tabs

# ------------------------------------------------------------------ record a call (接报登记) and act on it
if tab_call is not None:
    with tab_call:
        incident_panel.call_form(lambda incident_id, _ref: st.session_state.__setitem__(RECORDED_KEY, incident_id))
        recorded = st.session_state.get(RECORDED_KEY)
        if recorded is not None:
            st.subheader(t("ops.call.recorded_heading"))
            if st.button(t("ops.call.show_on_map"), icon=":material/map:", key="desk_show_on_map"):
                st.session_state["om_pick_next"] = int(recorded)  # pages/one_map.py selects it
                st.switch_page("pages/one_map.py")
            incident_panel.render(int(recorded))

# ------------------------------------------------------------------ today and this week
with tab_today:
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    week = database.query("duty_roster_range", start=week_start, end=week_end)
    week["duty_date"] = pd.to_datetime(week["duty_date"]).dt.date
    st.subheader(t("duty_desk.today_heading", day=today.isoformat()))
    todays = week[week["duty_date"] == today]
    if todays.empty:
        st.info(t("duty_desk.no_roster", day=today.isoformat()))
    else:
        st.dataframe(pd.DataFrame({t("duty_desk.seat"): todays[i18n.label_column(language.lang(), "seat")],
                                   t("duty_desk.person"): todays["person_name"],
                                   t("duty_desk.unit"): todays["unit_name"],
                                   t("duty_desk.phone"): todays["phone"]}),
                     hide_index=True, width="stretch")
    st.subheader(t("duty_desk.week_heading", start=week_start.isoformat(), end=week_end.isoformat()))
    if not week.empty:
        week["seat_label"] = week[i18n.label_column(language.lang(), "seat")]
        grid = week.pivot_table(index=["sort_order", "seat_label"], columns="duty_date", values="person_name",
                                aggfunc="first").droplevel(0)
        grid.columns = [d.strftime("%m-%d") for d in grid.columns]
        grid.index.name = t("duty_desk.seat")
        st.dataframe(grid.fillna(""), width="stretch")

# ------------------------------------------------------------------ report deadlines
with tab_reports:
    rules = database.query("duty_report_rules")
    st.caption(t("duty_desk.reports_rules", first=int(rules["first_report_minutes"].iloc[0]),
                 follow=int(rules["follow_up_hours"].iloc[0]), final=int(rules["final_report_days"].iloc[0])))

    def report_table(frame: pd.DataFrame, with_sent: bool) -> pd.DataFrame:
        table = {t("duty_desk.col_incident"): frame["description"],
                 t("duty_desk.col_level"): frame["severity_roman"],
                 t("duty_desk.col_hazard"): frame[i18n.label_column(language.lang(), "hazard")],
                 t("duty_desk.col_township"): frame["township"],
                 t("duty_desk.col_kind"): frame[i18n.label_column(language.lang(), "kind")] + frame["seq"].map(
                     lambda k: f" #{k}"),
                 t("duty_desk.col_due"): frame["due_at"].dt.strftime("%m-%d %H:%M")}
        if with_sent:
            table[t("duty_desk.col_sent")] = frame["sent_at"].dt.strftime("%m-%d %H:%M")
        # Each distinct duration written once (t() per row cost 1.5 s for a month of reports at 10 M).
        durations = {m: _duration(m) for m in frame["late_minutes"].unique()}
        table[t("duty_desk.col_late_by")] = frame["late_minutes"].map(durations)
        return pd.DataFrame(table)

    def overdue_table(frame: pd.DataFrame) -> pd.DataFrame:
        durations = {m: _duration(m) for m in frame["late_minutes"].unique()}
        return pd.DataFrame({
            t("duty_desk.col_incident"): frame["description"],
            t("duty_desk.col_level"): frame["severity_roman"],
            t("duty_desk.col_hazard"): frame[i18n.label_column(language.lang(), "hazard")],
            t("duty_desk.col_township"): frame["township"],
            t("duty_desk.col_missed"): frame["missed"].astype(int),
            t("duty_desk.col_missed_reports"): frame["missed_reports"],
            t("duty_desk.col_oldest_due"): frame["oldest_due"].dt.strftime("%m-%d %H:%M"),
            t("duty_desk.col_late_by"): frame["late_minutes"].map(durations),
            t("duty_desk.col_next_due"): frame["next_due"].map(
                lambda d: "—" if pd.isna(d) else f"{d:%m-%d %H:%M}")})

    for state_code, heading, empty, with_sent, order in [
            ("due_soon", "due_soon_heading", "none_due_soon", False, "due_at"),
            ("overdue", "overdue_heading", "none_overdue", False, "late_minutes"),
            ("late", "late_sent_heading", "none_late_sent", True, "late_minutes")]:
        st.subheader(t(f"duty_desk.{heading}"))
        if state_code == "overdue":  # one row per incident, not one per missed 续报
            grouped = report_view.overdue_by_incident(deadlines, language.lang())
            if grouped.empty:
                st.write(t(f"duty_desk.{empty}"))
                continue
            st.caption(t("duty_desk.overdue_grouped", incidents=len(grouped), reports=int(grouped["missed"].sum())))
            st.dataframe(overdue_table(grouped.head(REPORT_ROWS_SHOWN)), hide_index=True, width="stretch")
            if len(grouped) > REPORT_ROWS_SHOWN:
                st.caption(t("duty_desk.rows_shown", shown=REPORT_ROWS_SHOWN, total=len(grouped)))
            continue
        part = deadlines[deadlines["state"] == state_code].sort_values(order, ascending=(order == "due_at"))
        if part.empty:
            st.write(t(f"duty_desk.{empty}"))
        else:
            table = report_table(part.head(REPORT_ROWS_SHOWN), with_sent)
            if state_code == "due_soon":
                table = table.drop(columns=[t("duty_desk.col_late_by")])
            st.dataframe(table, hide_index=True, width="stretch")
            if len(part) > REPORT_ROWS_SHOWN:
                st.caption(t("duty_desk.rows_shown", shown=REPORT_ROWS_SHOWN, total=len(part)))

    # -------------------------------------------------------------- write and send one report
    st.subheader(t("info_report.heading"))
    flash = st.session_state.pop("info_report_flash", None)
    for kind_of_message, text in flash or []:
        getattr(st, kind_of_message)(text)
    choices = report_view.due_choices(deadlines, language.lang())
    if not choices:
        st.write(t("info_report.none_to_write"))
    else:
        picked = st.selectbox(t("info_report.pick"), list(choices), format_func=choices.get, key="report_pick")
        report, stored = report_view.draft(database.cursor(), *picked, author=user.display_name or user.username)
        form_key = f"report_{picked[0]}_{picked[1]}_{picked[2]}_{report.version}"
        with st.form(form_key):
            edited = {}
            for field in info_reports.LAYOUT:
                label, value = t(f"info_report.field.{field}"), report.content.get(field, "")
                if field in ("description", "casualties", "losses", "measures", "next_steps"):
                    edited[field] = st.text_area(label, value, key=f"{form_key}_{field}")
                else:
                    edited[field] = st.text_input(label, value, key=f"{form_key}_{field}")
            author = st.text_input(t("info_report.field.author"), report.author or user.display_name,
                                   key=f"{form_key}_author")
            sent_to = st.text_input(t("info_report.field.sent_to"), report.sent_to or "", key=f"{form_key}_sent_to")
            channel = st.selectbox(t("info_report.field.channel"), info_reports.CHANNELS,
                                   format_func=lambda c: t(f"info_report.channel.{c}"), key=f"{form_key}_channel")
            b1, b2 = st.columns(2)
            save = b1.form_submit_button(t("info_report.save"))
            send = b2.form_submit_button(t("info_report.send"), type="primary")
        if send and not sent_to.strip():
            st.error(t("info_report.need_sent_to"))
        elif save or send:
            con = database.cursor()
            try:
                written = info_reports.write_report(con, picked[0], picked[1], edited, author, seq=picked[2],
                                                    expected_version=report.version if stored else None)
                messages = [("success", t("info_report.saved", version=written.version))]
                if send:
                    written = info_reports.mark_sent(con, written.report_id, sent_to, channel, user.username,
                                                     expected_version=written.version, role=user.role,
                                                     client=auth.client_address())
                    kind_label = info_report.kind_label(written, language.lang())
                    messages = [("success", t("info_report.sent_ok", kind=kind_label,
                                              at=f"{written.sent_at:%m-%d %H:%M}", to=written.sent_to))]
                    if written.late:
                        late = int((written.sent_at - written.due_at).total_seconds() // 60)
                        messages.append(("warning", t("info_report.sent_late", late=_duration(late))))
            except info_reports.ReportConflict as err:
                st.error(t("info_report.conflict", expected=err.expected, current=err.current))
            except info_reports.ReportError as err:
                st.error(t("info_report.invalid") + str(err))
            else:
                st.session_state["info_report_flash"] = messages
                st.rerun()
        st.download_button(t("info_report.download"), lambda: info_report.to_docx(report, language.lang()),
                           file_name=f"info_report_{picked[0]}_{picked[1]}_{picked[2]}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           icon=":material/description:", key="info_report_download")

# ------------------------------------------------------------------ dispatch board
with tab_dispatch:
    levels = sorted(dispatches["linkage_level"].unique().tolist())
    level_names = dict(zip(dispatches["linkage_level"], dispatches[i18n.label_column(language.lang(), "level")]))
    chosen = st.multiselect(t("duty_desk.dispatch_level_filter"), levels, default=levels,
                            format_func=lambda lv: level_names.get(lv, str(lv)), key="dispatch_levels")
    board = dispatches[dispatches["linkage_level"].isin(chosen)]
    if board.empty:
        st.write(t("duty_desk.none_open_dispatches"))
    else:
        st.subheader(t("duty_desk.dispatch_by_unit"))
        by_unit = (board.groupby(["unit_name", "linkage_level"], as_index=False)
                   .agg(open=("dispatch_id", "size"), overdue=("overdue", "sum"))
                   .sort_values(["overdue", "open"], ascending=False))
        st.dataframe(pd.DataFrame({t("duty_desk.col_unit"): by_unit["unit_name"],
                                   t("duty_desk.col_linkage_level"): by_unit["linkage_level"].map(level_names),
                                   t("duty_desk.col_open"): by_unit["open"],
                                   t("duty_desk.col_overdue_count"): by_unit["overdue"].astype(int)}),
                     hide_index=True, width="stretch")
        st.subheader(t("duty_desk.dispatch_list"))
        st.dataframe(pd.DataFrame({
            t("duty_desk.col_overdue"): board["overdue"].map(lambda o: "⚠" if o else ""),
            t("duty_desk.col_unit"): board["unit_name"],
            t("duty_desk.col_linkage_level"): board[i18n.label_column(language.lang(), "level")],
            t("duty_desk.col_incident"): board["description"],
            t("duty_desk.col_township"): board["township"],
            t("duty_desk.col_assigned"): board["assigned_at"].dt.strftime("%m-%d %H:%M"),
            t("duty_desk.col_limit"): board["limit_minutes"].map(_duration),
            t("duty_desk.col_deadline"): board["deadline_at"].dt.strftime("%m-%d %H:%M"),
            t("duty_desk.col_arrived"): board["arrived_at"].dt.strftime("%m-%d %H:%M"),
            t("duty_desk.col_late_by"): [(_duration(m) if o else "") for m, o in
                                         zip(board["overdue_minutes"], board["overdue"])],
        }), hide_index=True, width="stretch")

# ------------------------------------------------------------------ five 100%
with tab_perf:
    months = [(pd.Timestamp(today).to_period("M") - k).to_timestamp().date() for k in range(12)]
    month = st.selectbox(t("duty_desk.pick_month"), months, index=1 if today.day < 8 else 0,
                         format_func=lambda d: d.strftime("%Y-%m"), key="rates_month")
    start = datetime.combine(month, datetime.min.time())
    end = (pd.Timestamp(start) + pd.DateOffset(months=1)).to_pydatetime()
    units = database.query("duty_unit_rates", start=start, end=end, now=now)
    st.caption(t("duty_desk.definitions"))
    rate_cols = {"acceptance_rate": "acceptance", "turnout_rate": "turnout", "on_time_rate": "on_time",
                 "feedback_rate": "feedback", "callback_rate": "callback"}
    pct = {t(f"duty_desk.{label}"): st.column_config.NumberColumn(format="%.1f%%") for label in rate_cols.values()}

    def rates_table(frame: pd.DataFrame, first: dict) -> pd.DataFrame:
        body = dict(first)
        body[t("duty_desk.dispatched")] = frame["dispatched"]
        for col, label in rate_cols.items():
            body[t(f"duty_desk.{label}")] = (frame[col] * 100).round(1)
        body[t("duty_desk.missed")] = frame["missed"]
        return pd.DataFrame(body)

    if units.empty:
        st.info(t("duty_desk.no_dispatches_month", month=month.strftime("%Y-%m")))
    else:
        missed = units[units["missed"] > 0].sort_values("missed", ascending=False)
        if missed.empty:
            st.success(t("duty_desk.no_missed_units"))
        else:
            st.warning(t("duty_desk.missed_units", units="、".join(
                f"{n}（{m}）" for n, m in zip(missed["unit_name"], missed["missed"]))))
        st.subheader(t("duty_desk.by_unit"))
        unit_columns = {t("duty_desk.rank"): units["rank"], t("duty_desk.col_unit"): units["unit_name"]}
        st.dataframe(rates_table(units, unit_columns), hide_index=True, width="stretch", column_config=pct)
        towns = database.query("duty_township_rates", start=start, end=end, now=now)
        st.subheader(t("duty_desk.by_township"))
        st.dataframe(rates_table(towns, {t("duty_desk.col_township"): towns["township"]}),
                     hide_index=True, width="stretch", column_config=pct)

        def as_text(frame: pd.DataFrame) -> pd.DataFrame:  # the document shows percentages as text
            out = frame.copy()
            for label in pct:
                out[label] = out[label].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}%")
            return out

        month_label = month.strftime("%Y-%m")
        missed_text = (t("duty_desk.no_missed_units") if missed.empty else t("duty_desk.missed_units", units="、".join(
            f"{n}（{m}）" for n, m in zip(missed["unit_name"], missed["missed"]))))
        # Made when the download is asked for (0.3 s of python-docx), not on every run of the page.
        notice = lambda: _notice_docx(  # noqa: E731
            county.text("duty_desk.notice_title", month=month_label), (missed_text, t("duty_desk.definitions")),
            as_text(rates_table(units, {t("duty_desk.rank"): units["rank"],
                                        t("duty_desk.col_unit"): units["unit_name"]})), t("duty_desk.by_unit"),
            as_text(rates_table(towns, {t("duty_desk.col_township"): towns["township"]})), t("duty_desk.by_township"))
        st.download_button(t("duty_desk.download_notice"), notice, file_name=f"five_100_notice_{month_label}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           icon=":material/description:", key="notice_download")

# ------------------------------------------------------------------ roster editor
with tab_roster:
    may_edit = auth.can("edit_roster")
    day = st.date_input(t("duty_desk.roster_day"), value=today + timedelta(days=1), key="roster_day")
    st.caption(t("duty_desk.roster_hint"))
    if not may_edit:
        st.info(t("duty_desk.roster_no_permission"))
    seats = database.query("duty_seats")
    current = database.query("duty_roster_range", start=day, end=day).set_index("seat")
    seat_label = i18n.code_names(seats, language.lang())
    editable = pd.DataFrame({
        "seat": seats["code"],
        t("duty_desk.seat"): seats["code"].map(seat_label),
        t("duty_desk.person"): seats["code"].map(current["person_name"]).fillna(""),
        t("duty_desk.unit"): seats["code"].map(current["unit_name"]).fillna(""),
        t("duty_desk.phone"): seats["code"].map(current["phone"]).fillna(""),
    })
    for seat in roster.season_seats_missing(day, [roster.Entry(s, p) for s, p in
                                                  zip(editable["seat"], editable[t("duty_desk.person")])]):
        st.warning(t("duty_desk.season_flood" if seat == "flood_extra" else "duty_desk.season_fire"))
    with st.form(f"roster_form_{day.isoformat()}"):
        edited = st.data_editor(editable, hide_index=True, width="stretch", num_rows="fixed",
                                disabled=not may_edit or ["seat", t("duty_desk.seat")],
                                column_config={"seat": None}, key=f"roster_editor_{day.isoformat()}")
        submitted = st.form_submit_button(t("duty_desk.roster_save"), disabled=not may_edit, type="primary")
    if submitted:
        may_edit = auth.can("edit_roster")  # re-checked on the server at the moment of writing
        if not may_edit:
            st.error(t("duty_desk.roster_no_permission"))
        else:
            entries = [roster.Entry(row["seat"], row[t("duty_desk.person")], row[t("duty_desk.unit")],
                                    row[t("duty_desk.phone")]) for row in edited.to_dict("records")]
            try:
                changed = roster.save_day(database.cursor(), day, entries, user.username, now_cst())
            except roster.RosterError as err:
                st.error(t("duty_desk.roster_invalid") + "\n" + "\n".join(
                    "- " + t(f"duty_desk.problem.{p.code}", seat=seat_label.get(p.seat, p.seat), person=p.person)
                    for p in err.problems))
            else:
                if changed:
                    _audit_roster_edit(day, changed)
                st.success(t("duty_desk.roster_saved", n=changed) if changed else t("duty_desk.roster_unchanged"))
    st.subheader(t("duty_desk.roster_history"))
    history = database.query("duty_roster_history", start=day - timedelta(days=7), end=day + timedelta(days=7),
                             max_rows=200)
    if history.empty:
        st.write(t("duty_desk.no_history"))
    else:
        st.dataframe(pd.DataFrame({
            t("duty_desk.changed_at"): history["changed_at"].dt.strftime("%m-%d %H:%M"),
            t("duty_desk.changed_by"): history["changed_by"],
            t("duty_desk.date"): pd.to_datetime(history["duty_date"]).dt.strftime("%m-%d"),
            t("duty_desk.seat"): history[i18n.label_column(language.lang(), "seat")],
            t("duty_desk.action"): history["action"].map(lambda a: t(f"duty_desk.action_name.{a}")),
            t("duty_desk.old_person"): history["old_person"].fillna(""),
            t("duty_desk.new_person"): history["new_person"].fillna(""),
        }), hide_index=True, width="stretch")
