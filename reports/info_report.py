"""One 首报 / 续报 / 终报 as a Word document in the standard information-report layout: the title with its kind,
then one two-column table (field | text) from 事件名称 to 报送方式, in the CJK font the daily report uses."""
from __future__ import annotations

import i18n
from data.info_reports import LAYOUT, InfoReport
from reports import word
from reports.text import clean


def kind_label(report: InfoReport, lang: str = "zh-CN") -> str:
    return i18n.translate(f"info_report.kind_{report.kind}", lang).format(seq=report.seq)


def rows(report: InfoReport, lang: str = "zh-CN") -> list[tuple[str, str]]:
    """(label, text) in the layout's order, ending with 报告人, 报送单位/对象, 报送方式 and, once sent, the time."""
    s = i18n.strings(lang)
    out = [(s[f"info_report.field.{key}"], report.content.get(key, "")) for key in LAYOUT]
    out.append((s["info_report.field.author"], report.author or ""))
    out.append((s["info_report.field.sent_to"], report.sent_to or ""))
    out.append((s["info_report.field.channel"], s[f"info_report.channel.{report.channel}"] if report.channel else ""))
    sent = (f"{report.sent_at:%Y-%m-%d %H:%M}" + (s["info_report.late_mark"] if report.late else "")
            if report.sent else s["info_report.not_sent"])
    out.append((s["info_report.field.sent_at"], sent))
    return out


def to_docx(report: InfoReport, lang: str = "zh-CN") -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    s = i18n.strings(lang)
    doc = word.new_document()
    doc.add_heading(f"{s['info_report.title']}（{kind_label(report, lang)}）" if lang == "zh-CN"
                    else f"{s['info_report.title']} ({kind_label(report, lang)})", level=0
                    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(s["info_report.doc_subtitle"].format(kind=kind_label(report, lang),
                                                           due=f"{report.due_at:%Y-%m-%d %H:%M}")
                      ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = rows(report, lang)
    table = doc.add_table(rows=len(body), cols=2)
    table.style = "Table Grid"
    table.autofit = False
    # Word reads the cells' widths, LibreOffice and WPS the grid's: set both, labels narrow.
    for column, width in zip(table.columns, (Cm(3.6), Cm(13.8))):
        column.width = width
    for row, (label, text) in zip(table.rows, body):
        row.cells[0].width, row.cells[1].width = Cm(3.6), Cm(13.8)
        row.cells[0].text = label
        row.cells[0].paragraphs[0].runs[0].bold = True
        lines = clean(text or "").split("\n")
        row.cells[1].text = lines[0]
        for line in lines[1:]:
            row.cells[1].add_paragraph(line)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
    return word.to_bytes(doc)
