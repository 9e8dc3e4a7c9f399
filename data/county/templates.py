"""Excel templates a county fills in, one per layer: template(layer_name, lang) -> .xlsx bytes.

Sheet 1 (named after the layer) has the column names the loader recognises first (LAYERS: each field's first
header; 经度/纬度 for a point layer), bold, required ones in dark red, and one example row. Sheet 2 (说明 /
Notes) says what each column is, whether it is required, the values a coded column accepts (value_aliases of
data/schema.sql, read without a database), and how positions and coordinate systems are read. The headers stay
Chinese in both languages: they are what the county's files write and what the loader matches."""
from __future__ import annotations

import io
import unicodedata
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import i18n
from data.county.aliases import accepted
from data.county.layers import LAYERS, Field, Layer

TEMPLATE_ROWS = 1000  # rows given the drop-downs of coded columns
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_COLOUR = "C00000"
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def template(layer_name: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    layer = LAYERS[layer_name]
    book = Workbook()
    data = book.active
    data.title = sheet_title(layer.name, lang)
    _data_sheet(data, layer)
    _notes_sheet(book.create_sheet(i18n.translate("county.template.notes_sheet", lang)), layer, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(layer_name: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.translate("county.template.file_name", lang, layer=layer_label(layer_name, lang))


def layer_label(layer_name: str, lang: str) -> str:
    return i18n.translate(f"county.layer.{layer_name}", lang)


def sheet_title(layer_name: str, lang: str) -> str:
    """The layer's name as an Excel sheet title (at most 31 characters, none of []:*?/\\)."""
    return layer_label(layer_name, lang).translate(_SHEET_FORBIDDEN)[:31]


def headers(layer: Layer) -> list[str]:
    """The template's column names: each field's first header."""
    return [f.headers[0] for f in layer.fields]


def meaning(layer_name: str, field_name: str, lang: str) -> str:
    """What a field is, in lang (county.field_for.<layer>.<field> where the generic county.field.<field> would
    mislead)."""
    specific = f"county.field_for.{layer_name}.{field_name}"
    if specific in i18n.strings(lang):
        return i18n.translate(specific, lang)
    return i18n.translate(f"county.field.{field_name}", lang)


def position_required(layer: Layer, f: Field) -> bool:
    """lon/lat of a point layer: required unless the file brings its own points."""
    return layer.has_points and f.name in ("lon", "lat")


def accepted_values(f: Field, lang: str) -> str:
    """The cell of the 可填写的值 column: the coded values (synonyms together), or what kind of value it is."""
    tr = lambda key, **v: i18n.translate(f"county.template.{key}", lang, **v)  # noqa: E731
    if f.kind == "enum":
        groups = accepted(f.domain, with_codes=lang != "zh-CN")
        parts = [g[0] if len(g) == 1 else tr("value_with_synonyms", value=g[0], others=tr("list_sep").join(g[1:]))
                 for g in groups]
        return tr("group_sep").join(parts) + tr("group_sep") + tr("enum_other")
    if f.kind in ("number", "integer", "date", "list"):
        return tr(f"kind_{f.kind}")
    return ""


def _example_value(f: Field):
    """The example as a typed cell: numbers as numbers, dates as dates, everything else as text."""
    if not f.example:
        return None
    if f.kind == "number":
        return float(f.example)
    if f.kind == "integer":
        return int(f.example)
    if f.kind == "date":
        return datetime.fromisoformat(f.example)
    return f.example


def _width(text: str) -> float:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def _data_sheet(ws, layer: Layer) -> None:
    ws.append(headers(layer))
    ws.append([_example_value(f) for f in layer.fields])
    for col, f in enumerate(layer.fields, start=1):
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col)
        required = f.required or position_required(layer, f)
        cell.font = Font(bold=True, color=REQUIRED_COLOUR if required else None)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        number_format = {"number": "General", "integer": "0", "date": "yyyy-mm-dd"}.get(f.kind, "@")
        ws.column_dimensions[letter].number_format = number_format  # what is typed below the example
        ws.cell(row=2, column=col).number_format = number_format
        ws.column_dimensions[letter].width = min(max(_width(f.headers[0]), _width(f.example), 8) + 4, 40)
        if f.kind == "enum":
            choices = [g[0] for g in accepted(f.domain)]
            listed = ",".join(choices)
            if choices and len(listed) < 250:  # Excel's limit for a list typed into the rule
                rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=False)
                rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                ws.add_data_validation(rule)
    ws.freeze_panes = "A2"


def _notes_sheet(ws, layer: Layer, lang: str) -> None:
    tr = lambda key, **v: i18n.translate(f"county.template.{key}", lang, **v)  # noqa: E731
    ws.append([tr("title", layer=layer_label(layer.name, lang))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    columns = [tr("col_header"), tr("col_meaning"), tr("col_required"), tr("col_values"), tr("col_other_headers")]
    ws.append(columns)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for f in layer.fields:
        if f.required:
            required = tr("required")
        elif position_required(layer, f):
            required = tr("required_position")
        else:
            required = tr("optional")
        ws.append([f.headers[0], meaning(layer.name, f.name, lang), required, accepted_values(f, lang),
                   "、".join(f.headers[1:])])
        row = ws.max_row
        if f.required or position_required(layer, f):
            ws.cell(row=row, column=1).font = Font(bold=True, color=REQUIRED_COLOUR)
            ws.cell(row=row, column=3).font = Font(color=REQUIRED_COLOUR)
    ws.append([])
    ws.append([tr("how_heading")])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    geometry = layer.geometry or "none"
    for line in (tr("example_row"), tr(f"geometry_{geometry}"),
                 *([tr("crs")] if layer.geometry else []), tr("code_update"), tr("order"),
                 tr("cli", layer=layer.name)):
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(columns))
        cell = ws.cell(row=ws.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 15 * max(1, -(-_width(line) // 150))
    for col, width in enumerate((18, 48, 14, 60, 36), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in ws.iter_rows(min_row=4, max_row=3 + len(layer.fields)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
