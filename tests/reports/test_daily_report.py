"""The daily report documents: DOCX and PDF open, carry the date, the totals and the major incidents' titles in
Chinese (text extracted back from the PDF, so no boxes), and never a caller's name or phone."""
import io
import shutil
import subprocess
from datetime import datetime, time, timedelta

import pytest
from docx import Document
from pypdf import PdfReader

from reports import daily_report as dr


@pytest.fixture()
def demo_now(con):
    """The test database's 'now', read through the shared connection (the session fixture opens its own, which
    DuckDB refuses once an in-process AppTest holds the app's connection)."""
    return datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])


@pytest.fixture()
def report_day(con, demo_now):
    """The latest full day of the test county with a major incident (so that table is not empty)."""
    day = con.execute("""SELECT max(CAST(received_at AS DATE)) FROM incidents
                         WHERE (severity <= 2 OR is_flagged) AND received_at < CAST($now AS DATE)""",
                      {"now": demo_now}).fetchone()[0]
    assert day is not None
    return day


@pytest.fixture()
def report(con, demo_now, report_day):
    return dr.build(con, report_day, demo_now, "zh-CN")


def expected(con, day):
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    total = con.execute("SELECT count(*) FROM incidents WHERE received_at >= ? AND received_at < ?",
                        [start, end]).fetchone()[0]
    majors = [r[0] for r in con.execute("""SELECT description FROM incidents WHERE received_at >= ? AND received_at < ?
                                           AND (severity <= 2 OR is_flagged)""", [start, end]).fetchall()]
    callers = con.execute("""SELECT caller_name, caller_phone FROM incidents WHERE received_at >= ? AND received_at < ?
                             AND caller_phone IS NOT NULL""", [start, end]).fetchall()
    return total, majors, callers


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_report_numbers_match_the_database(con, report, report_day):
    total, majors, _ = expected(con, report_day)
    assert report.totals["day_count"] == total
    assert set(report.majors["description"]) == set(majors)
    assert len(report.majors) == len(majors) >= 1
    # the channel table's previous day is the day before, counted independently
    prev = con.execute("SELECT count(*) FROM incidents WHERE CAST(received_at AS DATE) = ?",
                       [report_day - timedelta(days=1)]).fetchone()[0]
    assert report.totals["previous_day"] == prev


def test_docx_opens_with_date_totals_titles_and_no_caller_data(con, report, report_day):
    data = dr.to_docx(report)
    text = docx_text(data)
    total, majors, callers = expected(con, report_day)
    assert report_day.isoformat() in text
    assert f"全县共受理事件 {total} 起" in text
    for title in majors:
        assert title in text
    assert "首报" in text and "明日值班" in text
    for _, phone in callers:
        assert phone not in text
    roster_and_units = {*report.roster["person_name"], *report.overdue.get("unit_name", [])}
    for name, _ in callers:
        if name and name not in roster_and_units and name not in "".join(majors):
            assert name not in text
    # the East Asian font is set, so Word does not fall back to a theme font for Chinese
    doc = Document(io.BytesIO(data))
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == dr.FONT_FAMILY
    assert len(doc.inline_shapes) == 2  # trend chart and map


def test_pdf_text_extracts_back_in_chinese(con, report, report_day):
    data = dr.to_pdf(report)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    total, majors, callers = expected(con, report_day)
    assert f"庆元县联合值班日报（{report_day.isoformat()}）" in text
    assert str(total) in text and "全县共受理事件" in text.replace("\n", "")
    flat = text.replace("\n", "").replace(" ", "")
    for title in majors:
        assert title in flat
    for _, phone in callers:
        assert phone not in flat
    assert "\x00" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_the_chinese_too(report, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(dr.to_pdf(report))
    out = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "分渠道受理情况" in out


def test_english_report_has_english_headings(con, demo_now, report_day):
    report = dr.build(con, report_day, demo_now, "en")
    text = docx_text(dr.to_docx(report))
    assert "Incidents by channel" in text and "Major incidents and their reports" in text


def test_pictures_are_pngs_of_the_requested_size(report):
    from PIL import Image
    map_img = Image.open(io.BytesIO(dr.map_png(report, 600, 400)))
    trend_img = Image.open(io.BytesIO(dr.trend_png(report, 500, 200)))
    assert map_img.size == (600, 400) and trend_img.size == (500, 200)
    # the map is not blank: township fill and some incident colour are drawn
    assert len(set(map_img.convert("RGB").getdata())) > 20


def test_report_status_words(report):
    row = {"first_required": 1, "first_sent": 1, "first_late": 1, "first_overdue": 0, "first_worst_minutes": 75,
           "first_next_due": None}
    assert dr.report_cell(report, row, "first") == "已报1次，迟报1小时15分"
    row.update(first_sent=0, first_late=1, first_overdue=1, first_worst_minutes=12)
    assert dr.report_cell(report, row, "first") == "逾期未报12分钟"
    row.update(first_required=0, first_late=0, first_overdue=0, first_next_due=datetime(2026, 7, 1, 9, 30))
    assert dr.report_cell(report, row, "first") == "待报，截止07-01 09:30"


def test_notice_docx_carries_title_paragraphs_and_tables():
    import pandas as pd
    units = pd.DataFrame({"排名": [1, 2], "联动单位": ["县应急管理局", "黄田镇人民政府"], "签收率": ["100.0%", "75.0%"]})
    data = dr.notice_docx("庆元县联动单位“五个100%”月度通报（2026-07）", ["本月超时的单位：黄田镇人民政府（2）"],
                          [("联动单位月度通报", units)])
    text = docx_text(data)
    for expected_text in ("月度通报（2026-07）", "黄田镇人民政府（2）", "县应急管理局", "75.0%", "签收率"):
        assert expected_text in text
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 3
