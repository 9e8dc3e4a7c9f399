"""值班日报: one day on one tablet screen, with the same report as DOCX and PDF downloads."""
from datetime import date, datetime

import pandas as pd
import streamlit as st

from data.clock import now_cst
from reports import daily_documents, daily_report, pictures
from ui import auth, county, database, language, navigation

navigation.require("daily_report")
t = language.t


@st.cache_data(max_entries=16, ttl=900, show_spinner=False)
def _report(day: date, lang: str, version: int, asof: datetime) -> daily_report.DailyReport:
    del version  # cache key only
    return daily_report.build(database.cursor(), day, asof, lang)


@st.cache_data(max_entries=8, ttl=900, show_spinner=False)
def _images(day: date, lang: str, version: int, asof: datetime) -> tuple[bytes, bytes]:
    report = _report(day, lang, version, asof)
    return pictures.map_png(report), pictures.trend_png(report)


@st.cache_data(max_entries=8, ttl=900, show_spinner=False)
def _document(kind: str, day: date, lang: str, version: int, asof: datetime) -> bytes:
    """DOCX or PDF, made when a download is asked for (about 1-2 s), not on every page run."""
    report = _report(day, lang, version, asof)
    return daily_documents.to_docx(report) if kind == "docx" else daily_documents.to_pdf(report)


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


county.header(t("daily_report.title"))
now = now_cst()
asof = now.replace(minute=now.minute - now.minute % 5)  # states as of the last 5 minutes: one cache entry
bounds = database.query("report_data_range").iloc[0]
first_day = None if pd.isna(bounds["first_day"]) else pd.Timestamp(bounds["first_day"]).date()
asked = st.query_params.get("day")
wanted = _parse_day(asked) or daily_report.default_day(now)
problem = None
if asked and _parse_day(asked) is None:
    problem = t("daily_report.day_invalid", text=asked)
elif wanted > now.date():
    problem, wanted = t("daily_report.day_in_future", day=wanted.isoformat()), daily_report.default_day(now)
elif first_day and wanted < first_day:
    problem, wanted = t("daily_report.day_before_data", first=first_day.isoformat()), first_day

pick, _ = st.columns([1, 2])
day = pick.date_input(t("daily_report.pick_day"), value=wanted, min_value=first_day, max_value=now.date(),
                      key="daily_report_day")
if problem:
    st.warning(problem)
if day != wanted or asked not in (None, day.isoformat()):
    st.query_params["day"] = day.isoformat()  # a shared link opens the same day

lang, version = language.lang(), database.data_version()
report = _report(day, lang, version, asof)
tot = report.totals
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("daily_report.metric_total"), f"{tot['day_count']:,}",
          delta=tot["day_count"] - tot["previous_day"], delta_color="off")
c2.metric(t("daily_report.metric_majors"), tot["majors"])
c3.metric(t("daily_report.metric_overdue"), tot["overdue"])
c4.metric(t("daily_report.metric_alarms"), tot["alarms"])
st.markdown(daily_report.headline(report))

map_bytes, trend_bytes = _images(day, lang, version, asof)
d1, d2 = st.columns(2)
stem = f"daily_report_{day.isoformat()}"
# Deferred: Streamlit calls these only when the button is pressed; downloads are export-checked and audited.
auth.export_button(t("daily_report.download_docx"), lambda: _document("docx", day, lang, version, asof),
                   file_name=f"{stem}.docx", container=d1, icon=":material/description:",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", width="stretch")
auth.export_button(t("daily_report.download_pdf"), lambda: _document("pdf", day, lang, version, asof),
                   file_name=f"{stem}.pdf", container=d2, mime="application/pdf",
                   icon=":material/picture_as_pdf:", width="stretch")

st.image(trend_bytes, width="stretch")
for section in daily_report.sections(report):
    st.subheader(section.title)
    if section.note:
        st.caption(section.note)
    if section.table.empty:
        st.write(section.empty)
    else:
        rows = len(section.table)  # short tables at full height: a tablet reader should not scroll inside them
        st.dataframe(section.table, hide_index=True, width="stretch",
                     height=(rows + 1) * 35 + 3 if rows <= 20 else "auto")
    if section.key == "roster":
        st.caption(t("daily_report.phone_masked_note"))
st.subheader(t("daily_report.sec_map"))
st.image(map_bytes, width="stretch")
st.caption(t("daily_report.note_map"))
