"""Which source system wrote a file: recognised from its header (CSV, xlsx) or its first record's keys (JSON).

Each source's columns are distinctive (data/mappings/<source>.toml): 接警单编号/报警时间 for 110, 工单编号/来电时间
for 96345, 案卷编号 for city management, event_id/reporter for grid, device_id/ts for sensors, 水库名称/观测时间 for
reservoirs. Only the head of the file is read, so a 1 M-row export is recognised at once.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import mapping as mapping_mod
from .readers import BOM, DELIMITERS

HEAD_BYTES = 64 * 1024
MIN_SHARE = 0.5  # at least half of a source's columns must be there
_KEY = re.compile(r'"([^"\\]{1,64})"\s*:')


@dataclass(frozen=True)
class Detection:
    source: str | None            # the best-matching source, None when no source matches well enough
    kind: str                     # 'csv' | 'json_array' | 'jsonl' | 'unknown'
    share: float                  # share of that source's columns found
    names: tuple[str, ...]        # the column names / keys read from the file


def _decode(head: bytes) -> str:
    if head.startswith(BOM):
        head = head[len(BOM):]
    for enc in ("utf-8", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start > len(head) - 4:  # a character cut at the end of the head
                return head[:exc.start].decode("utf-8")
    return head.decode("utf-8", "replace")


def _xlsx_header(data: bytes) -> list[str]:
    from openpyxl import load_workbook
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not an xlsx at all
        return []
    try:
        for row in wb.worksheets[0].iter_rows(values_only=True, max_row=1):
            return ["" if v is None else str(v).strip() for v in row]
        return []
    finally:
        wb.close()


def _json_keys(text: str) -> tuple[str, set[str]]:
    """('json_array' | 'jsonl', dotted keys of the first record). Falls back to the keys seen in the head."""
    stripped = text.lstrip()
    kind = "json_array" if stripped.startswith("[") else "jsonl"
    first = None
    if kind == "jsonl":
        try:
            first = json.loads(stripped.splitlines()[0])
        except (ValueError, IndexError):
            first = None
    else:
        try:
            items = json.loads(stripped)
            first = items[0] if isinstance(items, list) and items else None
        except ValueError:  # the head of a long array: keys by pattern
            first = None
    keys: set[str] = set()
    if isinstance(first, dict):
        def walk(obj, prefix=""):
            for k, v in obj.items():
                keys.add(prefix + k)
                if isinstance(v, dict):
                    walk(v, prefix + k + ".")
        walk(first)
    else:
        keys = set(_KEY.findall(text))
    return kind, keys


def _csv_header(text: str) -> list[str]:
    line = text.splitlines()[0] if text else ""
    best: list[str] = []
    for d in DELIMITERS:
        try:
            cols = next(csv.reader([line], delimiter=d))
        except (csv.Error, StopIteration):
            continue
        if len(cols) > len(best):
            best = cols
    return [c.strip().strip('"') for c in best]


def _score(source: str, names: set[str], json_keys: bool) -> float:
    m = mapping_mod.load(source)
    if m.is_json != json_keys:
        return 0.0
    cols = set(m.columns)
    if json_keys:  # a dotted path counts when the file has it, or its first part when only the head was read
        hits = sum(1 for c in cols if c in names or c.split(".")[0] in names)
    else:
        hits = len(cols & names)
    return hits / len(cols) if cols else 0.0


def detect(data: bytes, file_name: str = "") -> Detection:
    """The source that wrote these bytes (the whole file or its head), from its header or first record."""
    if file_name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        names, kind, is_json = _xlsx_header(data), "csv", False
    else:
        text = _decode(data[:HEAD_BYTES])
        if text.lstrip()[:1] in ("[", "{"):
            kind, keys = _json_keys(text)
            names, is_json = sorted(keys), True
        else:
            names, kind, is_json = _csv_header(text), "csv", False
    found = {n for n in names if n}
    scored = sorted(((_score(s, found, is_json), s) for s in mapping_mod.SOURCES), reverse=True)
    share, best = scored[0]
    if not found:
        kind = "unknown"
    return Detection(source=best if share >= MIN_SHARE else None, kind=kind, share=round(share, 3),
                     names=tuple(names))


def detect_file(path) -> Detection:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return detect(path.read_bytes(), path.name)
    with path.open("rb") as fh:
        return detect(fh.read(HEAD_BYTES), path.name)
