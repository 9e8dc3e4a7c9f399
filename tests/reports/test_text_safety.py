"""Ordinary text breaks no document: control characters (NUL, vertical tab) that XML cannot hold are dropped
from DOCX and Excel, and a description of thousands of characters still fits the daily report PDF's table."""
import io
from dataclasses import replace
from datetime import datetime

import pyarrow as pa
from docx import Document
from openpyxl import load_workbook

from data.info_reports import InfoReport
from reports import daily_documents, info_report, tabular, text

HOSTILE = "后山\x00滑坡\x0b，道路中断\x1f" + "持续降雨，" * 400


def test_clean_drops_what_xml_cannot_hold_and_keeps_lines():
    assert text.clean("甲\x00乙\x0b丙\t丁\n戊") == "甲乙丙\t丁\n戊"
    assert text.clip("长" * 1000).endswith(text.ELLIPSIS) and len(text.clip("长" * 1000)) == text.PDF_CELL_CHARS
    assert text.clean(42) == 42


def test_daily_report_documents_take_long_and_control_text(report):
    long = replace(report, majors=report.majors.assign(description=HOSTILE))
    assert len(long.majors)
    pdf = daily_documents.to_pdf(long)
    assert pdf.startswith(b"%PDF")
    doc = Document(io.BytesIO(daily_documents.to_docx(long)))
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "后山滑坡，道路中断持续降雨" in cells and "\x00" not in cells


def test_info_report_docx_takes_control_characters():
    report = InfoReport(1, 1, "first", 1, datetime(2026, 7, 1, 8, 30), None, "值班员",
                        {"description": HOSTILE, "event_name": "测试\x00事件"})
    doc = Document(io.BytesIO(info_report.to_docx(report)))
    texts = [c.text for r in doc.tables[0].rows for c in r.cells]
    assert "测试事件" in texts and any(t.startswith("后山滑坡，道路中断") for t in texts)


def test_excel_and_csv_exports_take_control_characters():
    batches = pa.RecordBatchReader.from_batches(
        pa.schema([("description", pa.string()), ("n", pa.int64())]),
        [pa.record_batch([pa.array(["甲\x00乙\x0b", "=1+1"]), pa.array([1, 2])], names=["description", "n"])])
    out = io.BytesIO()
    tabular.write_xlsx(batches, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in sheet["A"]] == ["description", "甲乙", "'=1+1"]
    batches = pa.RecordBatchReader.from_batches(
        pa.schema([("description", pa.string())]), [pa.record_batch([pa.array(["甲\x00乙"])], names=["description"])])
    out = io.BytesIO()
    tabular.write_csv(batches, out)
    assert "甲乙" in out.getvalue().decode("utf-8-sig")
