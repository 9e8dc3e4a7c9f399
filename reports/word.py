"""Word documents in the CJK font: the A4 document, a plain table, the bytes. Shared by the daily report and
the monthly notice."""
from __future__ import annotations

import io

import pandas as pd

from reports.fonts import FONT_FAMILY
from reports.text import clean


def new_document():
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


def add_table(doc, frame: pd.DataFrame) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].bold = True
    for values in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, values):
            cell.text = "" if pd.isna(value) else clean(str(value))
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
