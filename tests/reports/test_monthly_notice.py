"""The duty desk's monthly notice (reports/monthly_notice.py)."""
import io

import pandas as pd
from docx import Document

from reports import monthly_notice


def test_notice_docx_carries_title_paragraphs_and_tables(docx_text):
    units = pd.DataFrame({"排名": [1, 2], "联动单位": ["县应急管理局", "黄田镇人民政府"],
                          "签收率": ["100.0%", "75.0%"]})
    data = monthly_notice.notice_docx("庆元县联动单位“五个100%”月度通报（2026-07）",
                                      ["本月超时的单位：黄田镇人民政府（2）"], [("联动单位月度通报", units)])
    text = docx_text(data)
    for expected_text in ("月度通报（2026-07）", "黄田镇人民政府（2）", "县应急管理局", "75.0%", "签收率"):
        assert expected_text in text
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 3
