"""The daily report documents (reports/daily_documents.py): DOCX and PDF open, carry the date, the totals and the
major incidents' titles in Chinese (text extracted back from the PDF, so no boxes), and never a caller's name or
phone."""
import io
import shutil
import subprocess

from docx import Document
from pypdf import PdfReader

from reports import daily_documents, fonts
from reports import daily_report as dr


def test_docx_opens_with_date_totals_titles_and_no_caller_data(report, report_day, day_facts, docx_text):
    data = daily_documents.to_docx(report)
    text = docx_text(data)
    total, majors, callers = day_facts
    assert report_day.isoformat() in text
    assert f"庆元县联合值班日报（{report_day.isoformat()}）" in text, "titled with the county table's name"
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
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == fonts.FONT_FAMILY
    assert len(doc.inline_shapes) == 2  # trend chart and map


def test_pdf_text_extracts_back_in_chinese(report, report_day, day_facts):
    data = daily_documents.to_pdf(report)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    total, majors, callers = day_facts
    assert f"庆元县联合值班日报（{report_day.isoformat()}）" in text
    assert str(total) in text and "全县共受理事件" in text.replace("\n", "")
    flat = text.replace("\n", "").replace(" ", "")
    for title in majors:
        assert title in flat
    for _, phone in callers:
        assert phone not in flat
    assert "\x00" not in text


def test_pdftotext_reads_the_chinese_too(report, tmp_path):
    assert shutil.which("pdftotext"), "poppler-utils is required (test.sh installs it)"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(daily_documents.to_pdf(report))
    out = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "分渠道受理情况" in out


def test_english_report_has_english_headings(con, demo_now, report_day, docx_text):
    report = dr.build(con, report_day, demo_now, "en")
    text = docx_text(daily_documents.to_docx(report))
    assert "Incidents by channel" in text and "Major incidents and their reports" in text
    assert f"Qingyuan County joint duty daily report ({report_day.isoformat()})" in text


def test_pdf_breaks_a_page_before_the_map_only_when_it_does_not_fit(report):
    """The map goes under the last table when there is room: a page whose text ends higher than the map's height
    above the bottom margin would have held it (a forced break left page 3 80% blank)."""
    from dataclasses import fields, replace

    import pandas as pd

    from reports.pictures import map_png
    # A quiet day: every table a row or two, so the map fits under them.
    short = replace(report, **{f.name: getattr(report, f.name).head(2) for f in fields(report)
                               if isinstance(getattr(report, f.name), pd.DataFrame)
                               and f.name not in ("trend", "map_points", "townships")})
    reader = PdfReader(io.BytesIO(daily_documents.to_pdf(short)))
    width, height = daily_documents._png_size(map_png(short))
    mm = 72 / 25.4
    needed = (8 + 3 + 10 + 15) * mm + 180 * mm * height / width  # heading, gaps, bottom margin, the picture
    for page in reader.pages[:-1]:
        lows: list[float] = []

        def lowest(text, cm, tm, font, size, lows=lows):
            if text.strip():
                lows.append(tm[5])
        page.extract_text(visitor_text=lowest)
        assert min(lows) < needed, f"text ends {min(lows):.0f} pt above the bottom: the map ({needed:.0f} pt) fit"
