"""The leaders' daily report (值班日报): one day's numbers gathered once, shown on the page and written to DOCX
and PDF from the same tables, so the three never disagree.

build() runs the named report_* / duty_* queries; sections() turns the frames into titled display tables in the
chosen language; map_png() and trend_png() draw the two pictures with Pillow (no plotting library is installed);
to_docx() and to_pdf() write the documents with the CJK font the project's setup installs (fonts-wqy-microhei).
Callers' names and phones are never selected by these queries; duty phones are masked in the documents."""
from __future__ import annotations

import io
import json
import math
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

import i18n
from data.privacy import mask_phone
from queries import runner

TREND_DAYS = 30
MAP_MAX_POINTS = 20_000
LIST_MAX_ROWS = 50
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei (TrueType: fpdf2 and Pillow)
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
]
FONT_FAMILY = "WenQuanYi Micro Hei"


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """The installed CJK TrueType font; a clear error names the package when it is missing."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"], capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found and "wqy" in found.lower() and Path(found).exists():
        return found
    raise RuntimeError("No CJK font found: install the Debian package fonts-wqy-microhei (test.sh and run.sh do)")


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

    def t(self, key: str, **values) -> str:
        return i18n.translate(f"daily_report.{key}", self.lang, **values)


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
        reservoirs=runner.run(con, "report_reservoirs_above_limit", start=start, end=end),
        alarms=runner.run(con, "report_alarms", start=start, end=end),
        shelters=runner.run(con, "report_open_shelters"),
        roster=runner.run(con, "duty_roster_range", start=tomorrow, end=tomorrow),
        trend=runner.run(con, "report_daily_trend", day=day, days=TREND_DAYS),
        map_points=runner.run(con, "report_map_points", start=start, end=end, max_rows=MAP_MAX_POINTS),
        townships=runner.run(con, "township_boundaries"),
    )
    rules = runner.run(con, "duty_report_rules").iloc[0]  # severity I: the rule quoted next to the table
    report.rules = {"first": int(rules["first_report_minutes"]), "follow": int(rules["follow_up_hours"]),
                    "final": int(rules["final_report_days"])}
    report.totals = {"day_count": int(channels["day_count"].sum()),
                     "previous_day": int(channels["previous_day"].sum()),
                     "avg_7d": float(channels["avg_7d"].sum()),
                     "majors": len(report.majors), "overdue": len(report.overdue),
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


# ------------------------------------------------------------------ display tables
def _change(today: float, other: float) -> str:
    if other == 0:
        return "—" if today == 0 else "+∞"
    pct = 100.0 * (today - other) / other
    return f"{pct:+.0f}%"


def _hm(ts) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%m-%d %H:%M")


def _minutes(report: DailyReport, minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    return report.t("hours_minutes", h=hours, m=mins) if hours else report.t("minutes", m=mins)


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
    t, en = report.t, report.lang == "en"
    name = "name_en" if en else "name_zh"
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
                       note=t("note_avg7")))
    out.append(Section("hazards", t("sec_hazards"), totals_table(report.hazards, t("col_hazard")),
                       empty=t("empty")))

    majors = report.majors
    if len(majors):
        table = pd.DataFrame({
            t("col_time"): [_hm(v) for v in majors["received_at"]],
            t("col_level"): [f"{r}{t('flagged_mark') if f else ''}" for r, f in
                             zip(majors["severity_roman"], majors["is_flagged"])],
            t("col_hazard"): majors["hazard_en" if en else "hazard_zh"],
            t("col_township"): majors["township"],
            t("col_incident"): majors["description"],
            t("col_first"): [report_cell(report, r, "first") for r in majors.to_dict("records")],
            t("col_follow"): [report_cell(report, r, "follow_up") for r in majors.to_dict("records")],
            t("col_final"): [report_cell(report, r, "final") for r in majors.to_dict("records")],
        })
    else:
        table = pd.DataFrame()
    out.append(Section("majors", t("sec_majors"), table, note=t("note_majors", **report.rules), empty=t("empty_majors")))

    od = report.overdue
    table = pd.DataFrame({
        t("col_unit"): od["unit_name"], t("col_township"): od["township"],
        t("col_incident"): od["description"],
        t("col_deadline"): [_hm(v) for v in od["deadline_at"]],
        t("col_overdue_by"): [_minutes(report, m) + (f" ({t('not_arrived')})" if n else "")
                              for m, n in zip(od["overdue_minutes"], od["not_arrived"])],
    }) if len(od) else pd.DataFrame()
    out.append(Section("overdue", t("sec_overdue"), table, empty=t("empty_overdue")))

    rv = report.reservoirs
    table = pd.DataFrame({
        t("col_reservoir"): rv["name"], t("col_township"): rv["township"],
        t("col_flood_limit"): rv["flood_limit_level_m"].round(2), t("col_peak"): rv["peak_level_m"].round(2),
        t("col_above"): [f"+{v:.2f}" for v in rv["above_m"]], t("col_peak_at"): [_hm(v) for v in rv["peak_at"]],
    }) if len(rv) else pd.DataFrame()
    out.append(Section("reservoirs", t("sec_reservoirs"), table, note=t("note_reservoirs"),
                       empty=t("empty_reservoirs")))

    al = report.alarms
    table = pd.DataFrame({
        t("col_channel"): al["channel_en" if en else "channel_zh"],
        t("col_sensor_type"): al["sensor_type_en" if en else "sensor_type_zh"],
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
        t("col_seat"): ro["seat_en" if en else "seat_zh"], t("col_person"): ro["person_name"],
        t("col_unit"): ro["unit_name"], t("col_phone"): ro["phone"].map(mask_phone),
    }) if len(ro) else pd.DataFrame()
    out.append(Section("roster", t("sec_roster", day=(report.day + timedelta(days=1)).isoformat()), table,
                       empty=t("empty_roster")))
    return out


def headline(report: DailyReport) -> str:
    tot = report.totals
    return report.t("headline", day=report.day.isoformat(), n=tot["day_count"],
                    vs_prev=_change(tot["day_count"], tot["previous_day"]),
                    vs_avg=_change(tot["day_count"], tot["avg_7d"]), majors=tot["majors"], overdue=tot["overdue"],
                    reservoirs=tot["reservoirs"], alarms=tot["alarms"], shelters=tot["shelters"])


# ------------------------------------------------------------------ pictures (Pillow)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_path(), size, index=0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def _rings(geojson: str) -> list[list[tuple[float, float]]]:
    geom = json.loads(geojson)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [poly[0] for poly in polys]


def map_png(report: DailyReport, width: int = 900, height: int = 640) -> bytes:
    """Township outlines, the day's incidents coloured by hazard (major ones larger, red ring), township names."""
    shapes = [(row.name, _rings(row.geojson), row.seat_lon, row.seat_lat) for row in report.townships.itertuples()]
    xs = [x for _, rings, _, _ in shapes for ring in rings for x, _ in ring]
    ys = [y for _, rings, _, _ in shapes for ring in rings for _, y in ring]
    lon0, lon1, lat0, lat1 = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((lat0 + lat1) / 2))  # equirectangular: keep the county's true shape
    pad = 24
    scale = min((width - 2 * pad) / ((lon1 - lon0) * kx), (height - 2 * pad - 30) / (lat1 - lat0))

    def xy(lon, lat):
        return (pad + (lon - lon0) * kx * scale, pad + 30 + (lat1 - lat) * scale)

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for _, rings, _, _ in shapes:
        for ring in rings:
            draw.polygon([xy(x, y) for x, y in ring], fill=(240, 243, 247), outline=(150, 160, 175))
    points = report.map_points
    for row in points.itertuples():
        x, y = xy(row.lon, row.lat)
        r = 7 if row.is_major else 3.5
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(row.colour),
                     outline=(229, 32, 42) if row.is_major else None, width=2 if row.is_major else 1)
    label_font = _font(14)
    for name, _, lon, lat in shapes:
        x, y = xy(lon, lat)
        draw.text((x, y), name, fill=(40, 48, 64), font=label_font, anchor="mm", stroke_width=2,
                  stroke_fill="white")
    draw.text((pad, 8), report.t("map_title", day=report.day.isoformat(), n=len(points)), fill=(20, 20, 20),
              font=_font(18))
    # legend: hazards of the day
    legend = report.hazards[report.hazards["day_count"] > 0]
    lx, ly = width - 170, 44
    small = _font(13)
    for row in legend.itertuples():
        draw.ellipse([lx, ly + 3, lx + 10, ly + 13], fill=_rgb(row.colour))
        draw.text((lx + 16, ly), row.name_en if report.lang == "en" else row.name_zh, fill=(40, 40, 40), font=small)
        ly += 19
    draw.ellipse([lx, ly + 1, lx + 14, ly + 15], outline=(229, 32, 42), width=2)
    draw.text((lx + 18, ly), report.t("legend_major"), fill=(40, 40, 40), font=small)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def trend_png(report: DailyReport, width: int = 900, height: int = 300) -> bytes:
    """Stacked daily bars (emergency / service) for the last 30 days; the report's day outlined."""
    trend = report.trend
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 48, 16, 40, 36
    totals = (trend["emergency"] + trend["service"]).to_numpy()
    peak = max(int(totals.max()) if len(totals) else 0, 1)
    step = 10 ** max(int(math.log10(peak)), 0)
    ymax = math.ceil(peak / step) * step
    plot_h, plot_w = height - top - bottom, width - left - right
    font, title_font = _font(12), _font(16)
    draw.text((left, 8), report.t("trend_title", days=len(trend)), fill=(20, 20, 20), font=title_font)
    for k in range(5):
        v = ymax * k / 4
        y = top + plot_h - plot_h * v / ymax
        draw.line([left, y, width - right, y], fill=(225, 228, 232))
        draw.text((left - 6, y), f"{v:.0f}", fill=(90, 90, 90), font=font, anchor="rm")
    bar_w = plot_w / max(len(trend), 1)
    emergency_c, service_c = (213, 94, 0), (0, 114, 178)
    for i, row in enumerate(trend.itertuples()):
        x0 = left + i * bar_w + 1.5
        x1 = x0 + bar_w - 3
        y_base = top + plot_h
        y_e = y_base - plot_h * row.emergency / ymax
        y_s = y_e - plot_h * row.service / ymax
        draw.rectangle([x0, y_e, x1, y_base], fill=emergency_c)
        draw.rectangle([x0, y_s, x1, y_e], fill=service_c)
        if pd.Timestamp(row.day).date() == report.day:
            draw.rectangle([x0 - 1.5, y_s - 2, x1 + 1.5, y_base], outline=(20, 20, 20), width=2)
        if i % 5 == 0 or i == len(trend) - 1:
            draw.text(((x0 + x1) / 2, y_base + 4), pd.Timestamp(row.day).strftime("%m-%d"), fill=(90, 90, 90),
                      font=font, anchor="ma")
    lx = width - right - 220
    for colour, key in ((emergency_c, "legend_emergency"), (service_c, "legend_service")):
        draw.rectangle([lx, 12, lx + 12, 24], fill=colour)
        draw.text((lx + 16, 10), report.t(key), fill=(40, 40, 40), font=font)
        lx += 110
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


# ------------------------------------------------------------------ documents
def _title(report: DailyReport) -> str:
    return report.t("doc_title", day=report.day.isoformat())


def _subtitle(report: DailyReport) -> str:
    return report.t("doc_subtitle", at=report.generated_at.strftime("%Y-%m-%d %H:%M"))


def _docx_document():
    """A4 Word document whose styles all carry the CJK font as the East Asian font (python-docx sets only
    ascii/hAnsi by itself) and no theme fonts (Word would prefer them)."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    for style in doc.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            continue
        style.font.name = FONT_FAMILY
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), FONT_FAMILY)
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    doc.styles["Normal"].font.size = Pt(10)
    return doc


def _docx_table(doc, frame: pd.DataFrame) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].bold = True
    for values in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, values):
            cell.text = "" if pd.isna(value) else str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_docx(report: DailyReport) -> bytes:
    """The daily report as a Word document (same sections as the page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = _docx_document()
    heading = doc.add_heading(_title(report), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_subtitle(report)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(headline(report))
    doc.add_picture(io.BytesIO(trend_png(report)), width=Cm(17))
    for sec in sections(report):
        doc.add_heading(sec.title, level=2)
        if sec.note:
            doc.add_paragraph(sec.note).runs[0].italic = True
        if sec.table.empty:
            doc.add_paragraph(sec.empty)
        else:
            _docx_table(doc, sec.table)
    doc.add_heading(report.t("sec_map"), level=2)
    doc.add_picture(io.BytesIO(map_png(report)), width=Cm(17))
    doc.add_paragraph(report.t("note_map"))
    return _docx_bytes(doc)


def notice_docx(title: str, paragraphs: list[str], tables: list[tuple[str, pd.DataFrame]]) -> bytes:
    """A plain notice (the linkage units' monthly "five 100%" notice): title, paragraphs, titled tables."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _docx_document()
    doc.add_heading(title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        doc.add_paragraph(text)
    for heading, frame in tables:
        doc.add_heading(heading, level=2)
        _docx_table(doc, frame)
    return _docx_bytes(doc)


def to_pdf(report: DailyReport) -> bytes:
    """PDF with the CJK font embedded (fpdf2; TrueType wqy, so text extracts back as characters)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_font("cjk", "", cjk_font_path(), collection_font_number=0)
    pdf.set_title(_title(report))
    pdf.set_creator("OneMap")
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 10, _title(report), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.cell(0, 6, _subtitle(report), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=10.5)
    pdf.multi_cell(0, 6, headline(report), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.image(io.BytesIO(trend_png(report)), w=pdf.epw)
    heading_style = FontFace(emphasis=None, fill_color=(232, 238, 246))
    for sec in sections(report):
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("cjk", size=12.5)
        pdf.cell(0, 8, sec.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=8.5)
        if sec.note:
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, 4.5, sec.note, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        if sec.table.empty:
            pdf.multi_cell(0, 5, sec.empty, new_x="LMARGIN", new_y="NEXT")
            continue
        widths = _column_widths(sec.table)
        with pdf.table(col_widths=widths, headings_style=heading_style, line_height=5, padding=1,
                       text_align="LEFT") as table:
            table.row([str(c) for c in sec.table.columns])
            for values in sec.table.itertuples(index=False):
                table.row(["" if pd.isna(v) else str(v) for v in values])
    pdf.add_page()
    pdf.set_font("cjk", size=12.5)
    pdf.cell(0, 8, report.t("sec_map"), new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(map_png(report)), w=pdf.epw)
    pdf.set_font("cjk", size=8.5)
    pdf.multi_cell(0, 4.5, report.t("note_map"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _column_widths(table: pd.DataFrame) -> tuple[float, ...]:
    """Relative widths from the longest text per column (CJK counts double), bounded so none collapses."""
    widths = []
    for name in table.columns:
        texts = [str(name)] + ["" if pd.isna(v) else str(v) for v in table[name]]
        longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in texts)
        widths.append(min(max(longest, 6), 40))
    return tuple(widths)
