"""The Excel templates of data/county/templates.py: the loader recognises every column without --map, and each
template's example row loads into a county built from a small boundary around it."""
import json

import openpyxl
import pytest

import i18n
from data import db
from data.county import init, templates
from data.county.aliases import accepted, value_aliases
from data.county.layers import LAYERS
from data.county.load import load, map_columns
from data.county.read import read

LON, LAT = 103.262, 29.230  # where the examples are (Field.example of lon/lat)
SHAPED = ("polygon", "line")  # layers whose template lists the attribute columns of a shape file


def _square(half: float) -> list:
    return [[[LON - half, LAT - half], [LON + half, LAT - half], [LON + half, LAT + half], [LON - half, LAT + half],
             [LON - half, LAT - half]]]


def _geojson(path, features) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for props, geom in features]},
        ensure_ascii=False), encoding="utf-8")
    return str(path)


def _write_template(tmp_path, name: str, lang: str = "zh-CN"):
    path = tmp_path / f"{name}_{lang}.xlsx"
    path.write_bytes(templates.template(name, lang))
    return path


def test_the_aliases_read_from_the_schema_text_are_the_database_table(memory_db):
    from_db = {}
    for domain, alias, code in memory_db.execute("SELECT domain, alias, code FROM value_aliases").fetchall():
        from_db.setdefault(domain, set()).add((alias, code))
    assert {d: set(rows) for d, rows in value_aliases().items()} == from_db


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
@pytest.mark.parametrize("name", list(LAYERS))
def test_every_template_column_is_recognised_without_map(tmp_path, name, lang):
    layer = LAYERS[name]
    path = _write_template(tmp_path, name, lang)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [templates.sheet_title(name, lang), i18n.translate("county.template.notes_sheet", lang)]
    assert book.worksheets[0].title == i18n.translate(f"county.layer.{name}", lang)
    assert book.worksheets[0]["A1"].font.bold
    source = read(path)
    assert len(source.table) == 1, "one example row"
    if layer.has_points:
        assert {"经度", "纬度"} <= set(source.table.columns) or {"驻地经度", "驻地纬度"} <= set(source.table.columns)
    mapping = map_columns(layer, list(source.table.columns), None, has_geometry=layer.geometry in SHAPED)
    assert mapping == {f.name: f.headers[0] for f in layer.fields}
    notes = [row[0] for row in book.worksheets[1].iter_rows(min_row=4, values_only=True)]
    assert notes[:len(layer.fields)] == [f.headers[0] for f in layer.fields], "the notes explain every column"


def test_the_notes_list_accepted_values_and_coordinate_systems(tmp_path):
    book = openpyxl.load_workbook(_write_template(tmp_path, "reservoirs"))
    text = "\n".join(str(c) for row in book["说明"].iter_rows(values_only=True) for c in row if c)
    assert "小(1)型（也可写：小（1）型、小一型、小Ⅰ型）" in text
    assert "GCJ-02" in text and "BD-09" in text and "CGCS2000" in text and "EPSG" in text
    english = openpyxl.load_workbook(_write_template(tmp_path, "reservoirs", "en"))
    assert english.sheetnames == ["Reservoirs", "Notes"]


def test_every_coded_example_is_an_accepted_value():
    for layer in LAYERS.values():
        for f in layer.fields:
            if f.kind == "enum" and f.example:
                assert any(f.example in group for group in accepted(f.domain)), (layer.name, f.name, f.example)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county_templates")
    outline = {"type": "Polygon", "coordinates": _square(0.06)}
    boundary = _geojson(folder / "boundary.geojson", [({"name": "测试县"}, outline)])
    path = folder / "county.duckdb"
    init(path, "511132", "峨边彝族自治县", None, boundary)
    con = db.connect(path)
    yield con, folder
    con.close()


def test_every_template_example_row_loads_into_a_county(county):
    """In LAYERS order (townships before what lies in them, warehouses before their stock): one row stored each,
    nothing quarantined. Shape layers load a GeoJSON whose properties are the template's columns."""
    con, folder = county
    shapes = {"polygon": {"townships": _square(0.03), "grid_cells": _square(0.01)},
              "line": [[LON - 0.01, LAT - 0.01], [LON + 0.01, LAT + 0.01]]}
    for name, layer in LAYERS.items():
        path = _write_template(folder, name)
        if layer.geometry in SHAPED:
            row = read(path).table.iloc[0].to_dict()
            geometry = ({"type": "Polygon", "coordinates": shapes["polygon"][name]} if layer.geometry == "polygon"
                        else {"type": "LineString", "coordinates": shapes["line"]})
            path = _geojson(folder / f"{name}.geojson", [(row, geometry)])
        result = load(con, name, path)
        assert (result.rows_in, result.stored, result.quarantined) == (1, 1, 0), (name, result.summary())
        assert con.execute(f"SELECT count(*) FROM {layer.table}").fetchone()[0] >= 1
    town = con.execute("SELECT t.name FROM cameras c JOIN townships t USING (township_id)").fetchone()[0]
    assert town == "沙坪镇"
    again = load(con, "cameras", _write_template(folder, "cameras", "en"))
    assert (again.stored, again.unchanged) == (0, 1), "the English template has the same columns"
