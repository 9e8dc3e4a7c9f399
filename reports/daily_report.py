"""The leaders' daily report (值班日报): one day's numbers gathered once, shown on the page and written to DOCX
and PDF from the same tables (reports/daily_documents.py, pictures in reports/pictures.py), so the three never
disagree.

build() runs the named report_* / duty_* queries; sections() turns the frames into titled display tables in the
chosen language. Callers' names and phones are never selected by these queries; duty phones are masked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd

import i18n
from data import domain
from data.privacy import mask_phone
from queries import runner

TREND_DAYS = 30
MAP_MAX_POINTS = 20_000
LIST_MAX_ROWS = 50


@dataclass
class DailyReport:
    day: date
    generated_at: datetime
    lang: str
    channels: pd.DataFrame
    hazards: pd.DataFrame
    majors: pd.DataFrame
    overdue: pd.DataFrame
    reservoirs: pd.DataFrame
    alarms: pd.DataFrame
    shelters: pd.DataFrame
    roster: pd.DataFrame
    trend: pd.DataFrame
    map_points: pd.DataFrame
    townships: pd.DataFrame
    totals: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    county: str | None = None   # the county's name in lang (the county table); None: a database without one
    outline: str | None = None  # the county's outline as GeoJSON (the map's shape when no township is loaded)

    def t(self, key: str, **values) -> str:
        return i18n.translate(f"daily_report.{key}", self.lang, **values)

    def title(self) -> str:
        """The report's title naming its county: 峨边彝族自治县联合值班日报（2026-11-24）."""
        return i18n.with_county("daily_report.doc_title", self.lang, self.county, day=self.day.isoformat())


def default_day(now: datetime) -> date:
    """Leaders read yesterday's report in the morning."""
    return (now - timedelta(days=1)).date()


def build(con, day: date, now: datetime, lang: str = i18n.DEFAULT_LANGUAGE) -> DailyReport:
    """Everything the report shows for `day`; report and dispatch states are judged as of `now` (or the end of the
    day when the report is made for a day still running)."""
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    asof = now  # states as of the moment the report is made (a late report sent this morning counts as sent)
    deadlines = runner.run(con, "duty_report_deadlines", now=asof, since=start, until=end, soon_minutes=60)
    tomorrow = day + timedelta(days=1)
    channels = runner.run(con, "report_totals_by_channel", day=day)
    report = DailyReport(
        day=day, generated_at=now, lang=lang,
        channels=channels,
        hazards=runner.run(con, "report_totals_by_hazard", day=day),
        majors=summarise_majors(deadlines, start, end),
        overdue=runner.run(con, "report_overdue_dispatches", start=start, end=end, asof=asof, max_rows=LIST_MAX_ROWS),
        reservoirs=runner.run(con, "report_reservoirs_above_limit", start=start, end=end, asof=asof),
        alarms=runner.run(con, "report_alarms", start=start, end=end),
        shelters=runner.run(con, "report_open_shelters"),
        roster=runner.run(con, "duty_roster_range", start=tomorrow, end=tomorrow),
        trend=runner.run(con, "report_daily_trend", day=day, days=TREND_DAYS),
        map_points=runner.run(con, "report_map_points", start=start, end=end, max_rows=MAP_MAX_POINTS),
        townships=runner.run(con, "township_boundaries"),
        outline=runner.run(con, "county_outline").iloc[0]["geojson"],
    )
    county = runner.run(con, "county_info")
    report.county = i18n.county_name(None if county.empty else county.iloc[0].to_dict(), lang)
    rules = runner.run(con, "duty_report_rules").iloc[0]  # severity I: the rule quoted next to the table
    report.rules = {"first": int(rules["first_report_minutes"]), "follow": int(rules["follow_up_hours"]),
                    "final": int(rules["final_report_days"])}
    # Events, not reports: one happening reported by three channels is one (the channel table counts reports).
    events = runner.run(con, "report_event_totals", day=day).iloc[0]
    report.totals = {"day_count": int(events["day_count"]),
                     "previous_day": int(events["previous_day"]),
                     "avg_7d": float(events["avg_7d"]),
                     "reports": int(channels["day_count"].sum()),
                     "majors": len(report.majors),
                     "overdue": int(report.overdue["total_overdue"].iloc[0]) if len(report.overdue) else 0,
                     "reservoirs": len(report.reservoirs), "alarms": int(report.alarms["alarms"].sum()),
                     "shelters": len(report.shelters)}
    return report


def summarise_majors(deadlines: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per major incident received in [start, end): its first / follow-up / final report states."""
    frame = deadlines[(deadlines["received_at"] >= start) & (deadlines["received_at"] < end)]
    rows = []
    for incident_id, group in frame.groupby("incident_id", sort=False):
        head = group.iloc[0]
        row = {"incident_id": incident_id, "received_at": head["received_at"], "severity_roman": head["severity_roman"],
               "is_flagged": bool(head["is_flagged"]), "hazard_zh": head["hazard_zh"], "hazard_en": head["hazard_en"],
               "township": head["township"], "description": head["description"], "closed_at": head["closed_at"]}
        for kind in ("first", "follow_up", "final"):
            part = group[group["kind"] == kind]
            row[f"{kind}_required"] = len(part[part["state"] != "pending"])
            row[f"{kind}_sent"] = int(part["sent_at"].notna().sum())
            row[f"{kind}_late"] = int(part["state"].isin(["late", "overdue"]).sum())
            row[f"{kind}_overdue"] = int((part["state"] == "overdue").sum())
            row[f"{kind}_worst_minutes"] = int(part["late_minutes"].max()) if len(part) else 0
            row[f"{kind}_first_sent"] = part["sent_at"].min() if len(part) else None
            row[f"{kind}_next_due"] = part.loc[part["sent_at"].isna(), "due_at"].min() if len(part) else None
        row["any_overdue"] = bool(group["state"].eq("overdue").any())
        rows.append(row)
    return pd.DataFrame(rows)


def _change(today: float, other: float) -> str:
    if other == 0:
        return "—" if today == 0 else "+∞"
    pct = 100.0 * (today - other) / other
    return f"{pct:+.0f}%"


def _hm(ts) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%m-%d %H:%M")


def _minutes(report: DailyReport, minutes: int) -> str:
    return i18n.duration(minutes, report.lang)


def report_cell(report: DailyReport, row: dict, kind: str) -> str:
    """One word per report kind: sent on time / sent late by N / overdue by N / due at / not needed yet."""
    required, sent, late, overdue = (row[f"{kind}_required"], row[f"{kind}_sent"], row[f"{kind}_late"],
                                     row[f"{kind}_overdue"])
    if overdue:
        return report.t("report_overdue", by=_minutes(report, row[f"{kind}_worst_minutes"]))
    if late:
        return report.t("report_late", n=sent, by=_minutes(report, row[f"{kind}_worst_minutes"]))
    if sent:
        return report.t("report_on_time", n=sent)
    if not pd.isna(row[f"{kind}_next_due"]) and row[f"{kind}_next_due"] is not None:
        return report.t("report_due", at=_hm(row[f"{kind}_next_due"]))
    return "—" if not required else report.t("report_on_time", n=sent)


@dataclass
class Section:
    key: str
    title: str
    table: pd.DataFrame
    note: str = ""
    empty: str = ""


def sections(report: DailyReport) -> list[Section]:
    """The report as titled tables with headers and values in the report's language (page, DOCX and PDF)."""
    t = report.t
    name = i18n.label_column(report.lang)
    out: list[Section] = []

    def totals_table(frame: pd.DataFrame, label: str) -> pd.DataFrame:
        body = pd.DataFrame({
            label: frame[name],
            t("col_day"): frame["day_count"].astype(int),
            t("col_previous"): frame["previous_day"].astype(int),
            t("col_change_previous"): [_change(a, b) for a, b in zip(frame["day_count"], frame["previous_day"])],
            t("col_avg7"): frame["avg_7d"].round(1),
            t("col_change_avg7"): [_change(a, b) for a, b in zip(frame["day_count"], frame["avg_7d"])],
        })
        total = {label: t("total"), t("col_day"): int(frame["day_count"].sum()),
                 t("col_previous"): int(frame["previous_day"].sum()),
                 t("col_change_previous"): _change(frame["day_count"].sum(), frame["previous_day"].sum()),
                 t("col_avg7"): round(float(frame["avg_7d"].sum()), 1),
                 t("col_change_avg7"): _change(frame["day_count"].sum(), frame["avg_7d"].sum())}
        return pd.concat([body, pd.DataFrame([total])], ignore_index=True)

    out.append(Section("channels", t("sec_channels"), totals_table(report.channels, t("col_channel")),
                       note=t("note_avg7") + " " + t("note_channel_reports", events=report.totals.get("day_count", 0))))
    out.append(Section("hazards", t("sec_hazards"), totals_table(report.hazards, t("col_hazard")),
                       empty=t("empty")))

    majors = report.majors
    if len(majors):
        table = pd.DataFrame({
            t("col_time"): [_hm(v) for v in majors["received_at"]],
            t("col_level"): [f"{r}{t('flagged_mark') if f else ''}" for r, f in
                             zip(majors["severity_roman"], majors["is_flagged"])],
            t("col_hazard"): majors[i18n.label_column(report.lang, "hazard")],
            t("col_township"): majors["township"],
            t("col_incident"): majors["description"],
            t("col_first"): [report_cell(report, r, "first") for r in majors.to_dict("records")],
            t("col_follow"): [report_cell(report, r, "follow_up") for r in majors.to_dict("records")],
            t("col_final"): [report_cell(report, r, "final") for r in majors.to_dict("records")],
        })
    else:
        table = pd.DataFrame()
    out.append(Section("majors", t("sec_majors"), table, note=t("note_majors", **report.rules),
                       empty=t("empty_majors")))

    od = report.overdue
    table = pd.DataFrame({
        t("col_unit"): od["unit_name"], t("col_township"): od["township"],
        t("col_incident"): od["description"],
        t("col_deadline"): [_hm(v) for v in od["deadline_at"]],
        t("col_overdue_by"): [_minutes(report, m) + (f" ({t('not_arrived')})" if n else "")
                              for m, n in zip(od["overdue_minutes"], od["not_arrived"])],
    }) if len(od) else pd.DataFrame()
    out.append(Section("overdue", t("sec_overdue"), table, empty=t("empty_overdue")))

    rv, season = report.reservoirs, season_suffix(report.day)
    table = pd.DataFrame({
        t("col_reservoir"): rv["name"], t("col_township"): rv["township"],
        t("col_limit" + season): rv["limit_m"].round(2), t("col_peak"): rv["peak_level_m"].round(2),
        t("col_above"): [f"+{v:.2f}" for v in rv["above_m"]], t("col_peak_at"): [_hm(v) for v in rv["peak_at"]],
    }) if len(rv) else pd.DataFrame()
    out.append(Section("reservoirs", t("sec_reservoirs" + season), table, note=t("note_reservoirs"),
                       empty=t("empty_reservoirs" + season)))

    al = report.alarms
    table = pd.DataFrame({
        t("col_channel"): al[i18n.label_column(report.lang, "channel")],
        t("col_sensor_type"): al[i18n.label_column(report.lang, "sensor_type")],
        t("col_township"): al["township"], t("col_alarms"): al["alarms"].astype(int),
    }) if len(al) else pd.DataFrame()
    out.append(Section("alarms", t("sec_alarms"), table, empty=t("empty_alarms")))

    sh = report.shelters
    table = pd.DataFrame({
        t("col_shelter"): sh["name"], t("col_township"): sh["township"],
        t("col_capacity"): sh["capacity"].astype(int), t("col_occupancy"): sh["occupancy"].astype(int),
        t("col_occupancy_pct"): [f"{v:.0f}%" for v in sh["occupancy_pct"]],
    }) if len(sh) else pd.DataFrame()
    out.append(Section("shelters", t("sec_shelters"), table, note=t("note_shelters"), empty=t("empty_shelters")))

    ro = report.roster
    table = pd.DataFrame({
        t("col_seat"): ro[i18n.label_column(report.lang, "seat")], t("col_person"): ro["person_name"],
        t("col_unit"): ro["unit_name"], t("col_phone"): ro["phone"].map(mask_phone),
    }) if len(ro) else pd.DataFrame()
    out.append(Section("roster", t("sec_roster", day=(report.day + timedelta(days=1)).isoformat()), table,
                       empty=t("empty_roster")))
    return out


def season_suffix(day: date) -> str:
    """The key suffix of the reservoir wording on `day`: judged against the flood-limit level in the flood season,
    the normal storage level outside it."""
    return "" if domain.reservoir_limit_kind(day) == "flood_limit" else "_off_season"


def headline(report: DailyReport) -> str:
    tot = report.totals
    return report.t("headline" + season_suffix(report.day), day=report.day.isoformat(), n=tot["day_count"],
                    vs_prev=_change(tot["day_count"], tot["previous_day"]),
                    vs_avg=_change(tot["day_count"], tot["avg_7d"]), majors=tot["majors"], overdue=tot["overdue"],
                    reservoirs=tot["reservoirs"], alarms=tot["alarms"], shelters=tot["shelters"])
