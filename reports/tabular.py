"""Exports of a named query's result, streamed batch by batch so a million-row export never sits in memory.

DuckDB hands the result over as an Arrow RecordBatchReader (to_arrow_reader); each writer consumes one batch
at a time and writes to a binary file object. Callers decide the column headers (UI language) and which query
runs; masking of personal data happens in the query (mask_name()/mask_phone()), never here."""
from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data.ingest.export import DANGEROUS_FIRST, neutralise
from queries import runner
from reports import text

BATCH_ROWS = {"csv": 50_000, "xlsx": 10_000, "geojson": 10_000}  # Python-object writers take smaller bites
UTF8_BOM = b"\xef\xbb\xbf"  # Excel opens a CSV as UTF-8 (Chinese intact) only when it starts with a BOM
EXCEL_MAX_DATA_ROWS = 1_048_575  # an xlsx sheet holds 1,048,576 rows, one of them the header
FORMATS = {"csv": ("text/csv", "csv"),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "geojson": ("application/geo+json", "geojson")}


def record_batches(con: duckdb.DuckDBPyConnection, name: str, batch_rows: int = 50_000,
                   **params) -> pa.RecordBatchReader:
    """queries/<name>.sql as a stream of Arrow batches (DuckDB produces them lazily)."""
    return con.execute(runner.sql_text(name), params or None).to_arrow_reader(batch_rows)


def _plain_timestamps(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Timestamps as 'YYYY-MM-DD HH:MM:SS' text (CST wall-clock), the way the source systems write them."""
    columns = []
    for column in batch.columns:
        if pa.types.is_timestamp(column.type):
            # whole seconds first: Arrow's %S prints fractional seconds
            column = pc.strftime(column.cast(pa.timestamp("s"), safe=False), format="%Y-%m-%d %H:%M:%S")
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


_FORMULA_START = "^[" + "".join("\\" + c if c in "-" else c for c in DANGEROUS_FIRST) + "]"


def _neutralise_formulas(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Text cells a spreadsheet would run as a formula (=cmd|..., +, -, @) get a leading apostrophe; characters XML
    cannot hold are dropped (reports/text.py)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = text.clean_column(column)
            risky = pc.fill_null(pc.match_substring_regex(column, _FORMULA_START), False)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def write_csv(batches: pa.RecordBatchReader, out: BinaryIO, headers: Mapping[str, str] | None = None) -> int:
    """UTF-8 CSV with a BOM; returns the number of data rows written."""
    out.write(UTF8_BOM)
    names = [(headers or {}).get(n, n) for n in batches.schema.names]
    rows = 0
    writer = None
    for batch in batches:
        batch = _neutralise_formulas(_plain_timestamps(batch))
        batch = pa.RecordBatch.from_arrays(batch.columns, names=names)
        if writer is None:
            writer = pacsv.CSVWriter(out, batch.schema)
        writer.write_batch(batch)
        rows += batch.num_rows
    if writer is None:  # no rows: still a header line, so the file says what it would hold
        out.write((",".join(_csv_field(n) for n in names) + "\r\n").encode("utf-8"))
    else:
        writer.close()
    return rows


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_xlsx(batches: pa.RecordBatchReader, out: BinaryIO, headers: Mapping[str, str] | None = None,
               sheet_title: str = "incidents", max_rows: int = EXCEL_MAX_DATA_ROWS) -> tuple[int, bool]:
    """An .xlsx through openpyxl's write-only mode (rows go straight to the zip stream).

    Returns (rows written, truncated): a sheet holds at most max_rows data rows; the caller says so."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([(headers or {}).get(n, n) for n in batches.schema.names])
    rows, truncated = 0, False
    for batch in batches:
        for record in zip(*(column.to_pylist() for column in batch.columns)):
            if rows >= max_rows:
                truncated = True
                break
            sheet.append([_excel_value(v) for v in record])
            rows += 1
        if truncated:
            break
    workbook.save(out)
    return rows, truncated


def _excel_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return neutralise(text.clean(value))


def write_geojson(batches: pa.RecordBatchReader, out: BinaryIO, headers: Mapping[str, str] | None = None,
                  lon: str = "lon", lat: str = "lat") -> int:
    """A GeoJSON FeatureCollection of points (WGS84 lon/lat), written one batch of features at a time."""
    names = batches.schema.names
    keys = {n: (headers or {}).get(n, n) for n in names if n not in (lon, lat)}
    out.write(b'{"type":"FeatureCollection","features":[\n')
    rows = 0
    for batch in batches:
        batch = _plain_timestamps(batch)  # text timestamps: json.dumps then needs no per-value hook
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [row.pop(lon), row.pop(lat)]},
                     "properties": {keys[k]: v for k, v in row.items()}}
                    for row in batch.to_pylist()]
        if not features:
            continue
        text = json.dumps(features, ensure_ascii=False, default=_json_value, allow_nan=False)[1:-1]
        out.write((b",\n" if rows else b"") + text.encode("utf-8"))
        rows += len(features)
    out.write(b"\n]}\n")
    return rows


def _json_value(value):
    """json.dumps fallback for the types Arrow hands back that JSON has no word for."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} to GeoJSON")


def export(con: duckdb.DuckDBPyConnection, name: str, fmt: str, out: BinaryIO,
           headers: Mapping[str, str] | None = None, **params) -> int:
    """Run queries/<name>.sql and write it as fmt ('csv', 'xlsx', 'geojson'); returns rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {sorted(FORMATS)}")
    batches = record_batches(con, name, BATCH_ROWS[fmt], **params)
    if fmt == "csv":
        return write_csv(batches, out, headers)
    if fmt == "xlsx":
        return write_xlsx(batches, out, headers)[0]
    return write_geojson(batches, out, headers)


def iter_rows(batches: pa.RecordBatchReader) -> Iterator[dict]:
    """Rows as dicts, batch by batch (for tests and small consumers)."""
    for batch in batches:
        yield from batch.to_pylist()
