"""One information report as DOCX (reports/info_report.py): python-docx reads back the title with its kind and
every field of the standard layout, in the CJK font the daily report uses."""
import io
from datetime import datetime

from docx import Document

from data.info_reports import InfoReport
from reports import info_report
from reports.fonts import FONT_FAMILY


def report(**over) -> InfoReport:
    content = {"event_name": "松源街道石龙社区洪涝事件", "occurred_at": "2026-11-25 08:10", "place": "松源街道石龙社区",
               "hazard": "洪涝", "severity": "II级（重大）", "description": "河水漫堤", "casualties": "无人员伤亡",
               "losses": "房屋进水3间", "measures": "11-25 08:20 指派县应急管理局处置。\n11-25 09:00 到达现场。",
               "teams": "县应急管理局、松源街道办事处", "next_steps": "继续监测水位"}
    fields = dict(report_id=5, incident_id=1, kind="first", seq=1, due_at=datetime(2026, 11, 25, 9, 10),
                  sent_at=datetime(2026, 11, 25, 9, 30), author="值班员甲", content=content,
                  sent_to="县委县政府总值班室", channel="phone", sent_by="duty", version=3)
    fields.update(over)
    return InfoReport(**fields)


def read(data: bytes):
    doc = Document(io.BytesIO(data))
    table = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    return doc, table


def test_docx_has_the_title_and_every_field():
    doc, table = read(info_report.to_docx(report()))
    assert doc.paragraphs[0].text == "突发事件信息报告（首报）"
    assert "2026-11-25 09:10" in doc.paragraphs[1].text
    assert list(table) == ["事件名称", "发生时间", "发生地点", "事件类型", "等级", "事件概况", "伤亡情况", "财产损失",
                           "已采取措施", "出动力量", "下一步工作", "报告人", "报送单位/对象", "报送方式", "报送时间"]
    assert table["事件名称"] == "松源街道石龙社区洪涝事件" and table["伤亡情况"] == "无人员伤亡"
    assert table["已采取措施"] == "11-25 08:20 指派县应急管理局处置。\n11-25 09:00 到达现场。"
    assert table["报告人"] == "值班员甲" and table["报送方式"] == "电话报告"
    assert table["报送单位/对象"] == "县委县政府总值班室"
    assert table["报送时间"] == "2026-11-25 09:30（迟报）"
    assert doc.styles["Normal"].font.name == FONT_FAMILY


def test_docx_of_a_draft_follow_up_and_in_english():
    draft = report(kind="follow_up", seq=2, sent_at=None, sent_to=None, channel=None)
    doc, table = read(info_report.to_docx(draft))
    assert doc.paragraphs[0].text == "突发事件信息报告（续报·第2次）"
    assert table["报送时间"] == "未报送" and table["报送方式"] == ""
    doc, table = read(info_report.to_docx(report(), lang="en"))
    assert doc.paragraphs[0].text == "Emergency information report (First report)"
    assert table["Reported to"] == "县委县政府总值班室" and table["Sent at"] == "2026-11-25 09:30 (late)"
