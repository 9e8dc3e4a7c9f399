"""Readers: a source file -> the temp table ing_src (row_no + one VARCHAR column per source column, or the
JSON text of each record) and ing_rejects (rows the reader itself could not split into fields).

DuckDB's own readers do the work (read_csv with all_varchar, read_text + JSON functions): no Python loop over
the rows of a CSV. Non-UTF-8 files (110 exports are GBK/GB18030) are transcoded once to a temp UTF-8 file,
because DuckDB reads UTF-8 only without its (downloadable) encodings extension.
"""
from __future__ import annotations

import codecs
import csv
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .mapping import Mapping

BOM = codecs.BOM_UTF8
DELIMITERS = (",", ";", "\t", "|")
MAX_LINE_BYTES = 64 * 1024 * 1024  # a 10 MB free-text cell is read (then quarantined), not a reader crash


class FileUnreadable(Exception):
    """The file as a whole cannot be read (encoding, header, JSON syntax): nothing is imported from it."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class ReadInfo:
    encoding: str
    access: str          # 'columns' (ing_src has one column per source column) or 'json' (ing_src.record)
    rows: int            # rows in ing_src
    rejects: int         # rows in ing_rejects
    columns: tuple[str, ...] = ()


def _decode_to_utf8(path: Path, workdir: Path) -> tuple[Path, str]:
    """(a UTF-8 file without BOM, the encoding found). Tries UTF-8 first, then GB18030 (a superset of GBK)."""
    data = path.read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM):]
        enc = "utf-8-sig"
    else:
        enc = "utf-8"
    out = workdir / (path.name + ".utf8")
    try:
        data.decode("utf-8")
        if enc == "utf-8":
            return path, enc
        out.write_bytes(data)
        return out, enc
    except UnicodeDecodeError:
        pass
    if enc == "utf-8-sig":  # a BOM before GBK text: convert what follows it
        path = workdir / (path.name + ".nobom")
        path.write_bytes(data)
    del data
    _gb18030_to_utf8(path, out)
    return out, "gb18030"


def _gb18030_to_utf8(path: Path, out: Path) -> None:
    """GB18030 -> UTF-8. glibc's iconv streams a 140 MB export in 0.5 s, Python's codec takes 1.3 s and the
    whole file twice in memory; Python stays the fallback where iconv is missing."""
    iconv = shutil.which("iconv")
    if iconv:
        with path.open("rb") as src, out.open("wb") as dst:
            proc = subprocess.run([iconv, "-f", "GB18030", "-t", "UTF-8"], stdin=src, stdout=dst,
                                  stderr=subprocess.PIPE, check=False)
        if proc.returncode == 0:
            return
        raise FileUnreadable("encoding", proc.stderr.decode("utf-8", "replace").strip()[:200])
    try:
        out.write_bytes(path.read_bytes().decode("gb18030").encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FileUnreadable("encoding", str(exc)[:200]) from None


def _xlsx_to_csv(path: Path, workdir: Path) -> Path:
    """A worksheet as CSV text (hotline exports are small; openpyxl streams rows in read-only mode)."""
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip/xml
        raise FileUnreadable("xlsx", str(exc)[:200]) from None
    out = workdir / (path.name + ".csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for row in wb.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.isoformat(sep=" ") if hasattr(v, "isoformat") else v)
                             for v in row])
    wb.close()
    return out


def _sniff_delimiter(path: Path, mapping: Mapping) -> tuple[str, list[str]]:
    """Pick the delimiter that splits the header into the most known columns (reordered columns are fine)."""
    with path.open("r", encoding="utf-8", newline="") as fh:
        header = fh.readline().rstrip("\r\n")
    if not header:
        raise FileUnreadable("empty")
    best, best_hits, best_cols = ",", -1, []
    for d in DELIMITERS:
        cols = [c.strip().strip('"') for c in header.split(d)]
        hits = sum(c in mapping.columns for c in cols)
        if hits > best_hits:
            best, best_hits, best_cols = d, hits, cols
    if best_hits <= 0:
        raise FileUnreadable("header", header[:200])
    return best, best_cols


def _drop_temp(con, *names: str) -> None:
    """Drop temp tables or views of these names, whichever they are (ing_src is a view over a CSV's rows)."""
    for kind, name in con.execute(
            "SELECT 'VIEW', view_name FROM duckdb_views() WHERE temporary AND list_contains($n, view_name) UNION ALL "
            "SELECT 'TABLE', table_name FROM duckdb_tables() WHERE temporary AND list_contains($n, table_name)",
            {"n": list(names)}).fetchall():
        con.execute(f'DROP {kind} "{name}"')


def decode_ahead(path: Path, workdir: Path) -> Future | None:
    """Start turning the file into UTF-8 (what read() does first: 0.6 s for a 140 MB GB18030 export) on a thread,
    so it overlaps the import's own start (file hash, lookups); None when read() has nothing to decode."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0 or path.suffix.lower() in (".xlsx", ".xlsm"):
        return None
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(_decode_to_utf8, path, workdir)
    pool.shutdown(wait=False)
    return future


def read(con, path: Path, mapping: Mapping, workdir: Path, decoded: Future | None = None) -> ReadInfo:
    """Fill temp tables ing_src and ing_rejects from the file (decoded: decode_ahead's result, if started)."""
    path = Path(path)
    if not path.exists():
        raise FileUnreadable("missing", str(path))
    _drop_temp(con, "ing_src", "ing_src_rows", "ing_rejects")
    con.execute("CREATE TEMP TABLE ing_rejects (row_no BIGINT, line VARCHAR, message VARCHAR)")
    if path.stat().st_size == 0:
        con.execute("CREATE TEMP TABLE ing_src (row_no BIGINT, record VARCHAR)")
        return ReadInfo("utf-8", "json", 0, 0)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if mapping.is_json:
            raise FileUnreadable("format", "xlsx for a JSON source")
        return _read_csv(con, _xlsx_to_csv(path, workdir), mapping, "xlsx")
    utf8, enc = decoded.result() if decoded is not None else _decode_to_utf8(path, workdir)
    if mapping.format == "csv":
        return _read_csv(con, utf8, mapping, enc)
    if mapping.format == "jsonl":
        return _read_jsonl(con, utf8, enc)
    return _read_json_array(con, utf8, enc)


def _read_csv(con, path: Path, mapping: Mapping, enc: str) -> ReadInfo:
    delim, cols = _sniff_delimiter(path, mapping)
    if len(set(cols)) != len(cols):
        raise FileUnreadable("header", "duplicate column names")
    con.execute("DROP TABLE IF EXISTS ing_reject_scans; DROP TABLE IF EXISTS ing_reject_errors")
    # Row numbers are the stored table's rowid (file order: DuckDB keeps insertion order), not row_number()
    # OVER (), which costs more than the parse itself (0.9 s vs 0.6 s for 1 M rows).
    con.execute(
        "CREATE TEMP TABLE ing_src_rows AS SELECT * FROM read_csv($path, delim=$delim, "
        "header=true, all_varchar=true, quote='\"', escape='\"', auto_detect=false, "
        "columns=$columns, max_line_size=$max_line, buffer_size=$buffer, store_rejects=true, "
        "rejects_scan='ing_reject_scans', rejects_table='ing_reject_errors', strict_mode=true)",
        {"path": str(path), "delim": delim, "columns": {c: "VARCHAR" for c in cols},
         "max_line": MAX_LINE_BYTES, "buffer": 2 * MAX_LINE_BYTES})
    con.execute("CREATE TEMP VIEW ing_src AS SELECT rowid + 1 AS row_no, * FROM ing_src_rows")
    # A malformed line may carry several errors: one reject per line. Its row number continues after the
    # good rows (the reader does not keep positions), its text is kept whole for correction.
    con.execute("""
        INSERT INTO ing_rejects
        SELECT (SELECT count(*) FROM ing_src) + row_number() OVER (ORDER BY line), csv_line,
               'line ' || line || ': ' || error_message
        FROM (SELECT line, any_value(csv_line) AS csv_line, string_agg(DISTINCT error_type, '; ') AS error_message
              FROM ing_reject_errors GROUP BY line)""")
    rows = con.execute("SELECT count(*) FROM ing_src").fetchone()[0]
    rejects = con.execute("SELECT count(*) FROM ing_rejects").fetchone()[0]
    return ReadInfo(enc, "columns", rows, rejects, tuple(cols))


def _read_jsonl(con, path: Path, enc: str) -> ReadInfo:
    con.execute("""
        CREATE TEMP TABLE ing_lines AS
        SELECT row_number() OVER () AS row_no, line FROM (
            SELECT unnest(string_split(replace(content, chr(13), ''), chr(10))) AS line FROM read_text($path))
        WHERE trim(line) <> ''""", {"path": str(path)})
    # CASE, not AND: the cast must only see valid JSON.
    con.execute("ALTER TABLE ing_lines ADD COLUMN ok BOOLEAN")
    con.execute("UPDATE ing_lines SET ok = CASE WHEN json_valid(line) THEN json_type(line::JSON) = 'OBJECT' "
                "ELSE false END")
    con.execute("INSERT INTO ing_rejects SELECT row_no, line, 'invalid JSON' FROM ing_lines WHERE NOT ok")
    con.execute("CREATE TEMP TABLE ing_src AS SELECT row_no, line AS record FROM ing_lines WHERE ok")
    con.execute("DROP TABLE ing_lines")
    return _info(con, enc)


def _read_json_array(con, path: Path, enc: str) -> ReadInfo:
    text_ok = con.execute("SELECT CASE WHEN json_valid(content) THEN json_type(content::JSON) = 'ARRAY' ELSE false END "
                          "FROM read_text($path)", {"path": str(path)}).fetchone()[0]
    if not text_ok:
        raise FileUnreadable("json", "not a JSON array")
    con.execute("""
        CREATE TEMP TABLE ing_items AS
        SELECT row_number() OVER () AS row_no, item::VARCHAR AS record
        FROM (SELECT unnest(json_extract(content::JSON, '$[*]')) AS item FROM read_text($path))""",
                {"path": str(path)})
    con.execute("INSERT INTO ing_rejects SELECT row_no, record, 'not a JSON object' FROM ing_items "
                "WHERE json_type(record::JSON) <> 'OBJECT'")
    con.execute("CREATE TEMP TABLE ing_src AS SELECT * FROM ing_items WHERE json_type(record::JSON) = 'OBJECT'")
    con.execute("DROP TABLE ing_items")
    return _info(con, enc)


def _info(con, enc: str) -> ReadInfo:
    rows = con.execute("SELECT count(*) FROM ing_src").fetchone()[0]
    rejects = con.execute("SELECT count(*) FROM ing_rejects").fetchone()[0]
    return ReadInfo(enc, "json", rows, rejects)


def load_records(con, records: list[tuple[int, str]]) -> ReadInfo:
    """Corrected quarantine records (id, JSON text) as ing_src, for the same pipeline as a file."""
    import pandas as pd
    _drop_temp(con, "ing_src", "ing_src_rows", "ing_rejects")
    con.execute("CREATE TEMP TABLE ing_rejects (row_no BIGINT, line VARCHAR, message VARCHAR)")
    frame = pd.DataFrame(records, columns=["row_no", "record"])
    con.register("ing_records_frame", frame)
    con.execute("CREATE TEMP TABLE ing_src AS SELECT row_no::BIGINT AS row_no, record::VARCHAR AS record "
                "FROM ing_records_frame")
    con.unregister("ing_records_frame")
    return _info(con, "utf-8")


def temp_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="onemap-ingest-", dir=os.environ.get("ONEMAP_TMP")))
