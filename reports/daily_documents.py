"""The daily report as DOCX and PDF: the page's headline and sections, the trend chart and the map."""
from __future__ import annotations

import io

import pandas as pd

from reports import word
from reports.daily_report import DailyReport, headline, sections
from reports.fonts import cjk_font_path
from reports.pictures import map_png, trend_png
from reports.text import clean, clip


def _title(report: DailyReport) -> str:
    return report.title()


def _subtitle(report: DailyReport) -> str:
    return report.t("doc_subtitle", at=report.generated_at.strftime("%Y-%m-%d %H:%M"))


def to_docx(report: DailyReport) -> bytes:
    """The daily report as a Word document (same sections as the page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = word.new_document()
    heading = doc.add_heading(_title(report), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_subtitle(report)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(clean(headline(report)))
    doc.add_picture(io.BytesIO(trend_png(report)), width=Cm(17))
    for sec in sections(report):
        doc.add_heading(sec.title, level=2)
        if sec.note:
            doc.add_paragraph(sec.note).runs[0].italic = True
        if sec.table.empty:
            doc.add_paragraph(sec.empty)
        else:
            word.add_table(doc, sec.table)
    doc.add_heading(report.t("sec_map"), level=2)
    doc.add_picture(io.BytesIO(map_png(report)), width=Cm(17))
    doc.add_paragraph(report.t("note_map"))
    return word.to_bytes(doc)


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
    pdf.multi_cell(0, 6, clean(headline(report)), new_x="LMARGIN", new_y="NEXT")
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
                table.row(["" if pd.isna(v) else clip(str(v)) for v in values])
    picture = map_png(report)
    width, height = _png_size(picture)
    # A new page only when the map does not fit under the last table (a forced break left a page 80% blank).
    if pdf.will_page_break(8 + 3 + pdf.epw * height / width + 10):
        pdf.add_page()
    else:
        pdf.ln(3)
    pdf.set_font("cjk", size=12.5)
    pdf.cell(0, 8, report.t("sec_map"), new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(picture), w=pdf.epw)
    pdf.set_font("cjk", size=8.5)
    pdf.multi_cell(0, 4.5, report.t("note_map"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from the PNG header (IHDR)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _column_widths(table: pd.DataFrame) -> tuple[float, ...]:
    """Relative widths from the longest text per column (CJK counts double), bounded so none collapses."""
    widths = []
    for name in table.columns:
        texts = [str(name)] + ["" if pd.isna(v) else str(v) for v in table[name]]
        longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in texts)
        widths.append(min(max(longest, 6), 40))
    return tuple(widths)
