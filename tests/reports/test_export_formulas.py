"""Exports neutralise spreadsheet formulas in text cells (CSV injection): a caller's '=cmd|...' is text."""
import io

import openpyxl
import pyarrow as pa

from reports import tabular

HOSTILE = ["=cmd|' /c calc'!A1", "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]


def _reader():
    batch = pa.RecordBatch.from_pydict({"description": HOSTILE + ["正常描述", None], "n": list(range(8))})
    return pa.RecordBatchReader.from_batches(batch.schema, [batch])


def test_csv_cells_starting_like_a_formula_get_an_apostrophe():
    out = io.BytesIO()
    assert tabular.write_csv(_reader(), out) == 8
    text = out.getvalue().decode("utf-8-sig")
    for value in HOSTILE:
        assert f"\"'{value}\"" in text, value
    assert '"正常描述"' in text and "'正常描述" not in text
    assert ",7" in text  # numbers stay numbers


def test_xlsx_cells_starting_like_a_formula_are_text():
    out = io.BytesIO()
    rows, truncated = tabular.write_xlsx(_reader(), out)
    assert (rows, truncated) == (8, False)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells[:6] == ["'" + v for v in HOSTILE]
    assert cells[6] == "正常描述" and cells[7] is None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == list(range(8))
