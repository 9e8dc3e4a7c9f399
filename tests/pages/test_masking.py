"""Caller names and phones (PIPL) never leave the server in full unless a permitted, audited full view asks for
it: not in page text, not in the deck JSON behind tooltips, not in tables, not in CSV/Excel/GeoJSON/DOCX/PDF.

The search is for the real values in the test database: every caller phone (any 11-digit run in the output is
looked up) and every distinctive caller name (3+ characters, not also a staff, team or place name)."""
from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest

from data import roles
from reports import daily_documents, tabular
from reports import daily_report as daily_report_module
from ui import database

PHONE_RUN = re.compile(r"(?<!\d)1\d{10}(?!\d)")


@pytest.fixture(scope="module")
def callers(demo_db_path):
    """(set of raw caller phones, set of distinctive raw caller names) in the test database."""
    con = database.cursor()
    phones = {r[0] for r in con.execute(
        "SELECT DISTINCT caller_phone FROM incidents WHERE caller_phone IS NOT NULL").fetchall()}
    # every other text in the database (grid members, team leaders, duty staff, places, descriptions):
    # a caller who shares a name with one of them cannot be told apart in the output, so is not searched for
    text_columns = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND schema_name = 'main' "
        "AND NOT (table_name = 'incidents' AND column_name = 'caller_name') "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main')").fetchall()
    others = "\n".join(
        con.execute(f'SELECT coalesce(string_agg(DISTINCT "{c}", chr(10)), \'\') FROM "{t}"').fetchone()[0]
        for t, c in text_columns)
    names = {r[0] for r in con.execute(
        "SELECT DISTINCT caller_name FROM incidents WHERE length(caller_name) >= 3").fetchall()}
    names = {n for n in names if n not in others}
    assert phones and names, "the demo database has callers to look for"
    return phones, names


def leaks(text: str, callers) -> list[str]:
    phones, names = callers
    found = [p for p in PHONE_RUN.findall(text) if p in phones]
    found += [n for n in names if n in text]
    return sorted(set(found))


def sent_to_browser(at) -> str:
    """Everything the page put into its element tree: text, deck JSON (tooltips), dataframe cells, as text."""
    from google.protobuf.json_format import MessageToJson
    parts: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(MessageToJson(proto, ensure_ascii=False))
            for field in ("json", "spec"):  # deck.gl / vega specs travel as JSON strings inside the proto
                if hasattr(proto, field):
                    parts.append(getattr(proto, field))
        if type(node).__name__ == "Dataframe":
            parts.append(node.value.to_csv())
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _masked_role(page: str) -> str:
    """A role that may open the page but not view personal data; else the first allowed role (the page must
    still mask by default: full views are explicit and audited)."""
    allowed = [r for r in roles.ROLES if roles.may_open(r, page)]
    return next((r for r in allowed if not roles.may(r, "view_personal")), allowed[0])


PAGES = [p for p in roles.PAGES if p != "admin"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_send_no_caller_in_full(app_test, callers, page):
    role = _masked_role(page)
    at = app_test(f"pages/{page}.py", role=role)
    at.run()
    assert not at.exception, at.exception
    text = sent_to_browser(at)
    assert len(text) > 1000, "the page drew something to search"
    assert leaks(text, callers) == [], f"{page} as {role}"


def test_the_leak_search_would_find_a_caller(callers):
    phones, names = callers
    phone, name = sorted(phones)[0], sorted(names)[0]
    assert leaks(f'{{"tooltip": "{name} {phone}"}}', callers) == sorted([phone, name])
    from data.privacy import mask_name, mask_phone
    assert leaks(f"{mask_name(name)} {mask_phone(phone)}", callers) == []


# ------------------------------------------------------------------ analysis exports (reports/tabular.py)
def _analysis_params(demo_now, show_personal: bool) -> dict:
    return {"start": demo_now - timedelta(days=60), "end": demo_now + timedelta(minutes=1), "hazards": [],
            "townships": [], "grid_cells": [], "channels": [], "statuses": [], "severities": [], "hours": [],
            "weekdays": [], "text": "", "overdue_only": False, "now": demo_now, "lang": "zh-CN",
            "show_personal": show_personal}


def _export_text(fmt: str, demo_now, show_personal: bool) -> tuple[int, str]:
    out = io.BytesIO()
    rows = tabular.export(database.cursor(), "analysis_export", fmt, out, **_analysis_params(demo_now, show_personal))
    data = out.getvalue()
    if fmt == "xlsx":
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        text = "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    else:
        text = data.decode("utf-8-sig")
        if fmt == "geojson":
            assert json.loads(text)["type"] == "FeatureCollection"
    return rows, text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_analysis_exports_are_masked(callers, demo_now, fmt):
    rows, text = _export_text(fmt, demo_now, show_personal=False)
    assert rows > 50
    assert leaks(text, callers) == []
    assert "****" in text, "masked phones are there, as masks"


def test_analysis_export_full_path_does_carry_callers(callers, demo_now):
    """The search is sensitive: the permitted full path (show_personal) puts real callers in the file."""
    _, text = _export_text("csv", demo_now, show_personal=True)
    assert leaks(text, callers)


# ------------------------------------------------------------------ daily report (reports/daily_documents.py)
@pytest.fixture(scope="module")
def daily_report(demo_db_path, demo_now):
    report = daily_report_module.build(database.cursor(), daily_report_module.default_day(demo_now), demo_now)
    return daily_documents, report


def test_daily_report_docx_is_masked(callers, daily_report):
    import docx
    module, report = daily_report
    doc = docx.Document(io.BytesIO(module.to_docx(report)))
    text = "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for table in doc.tables for row in table.rows for c in row.cells])
    assert len(text) > 200
    assert leaks(text, callers) == []


def test_daily_report_pdf_is_masked(callers, daily_report):
    import pypdf
    module, report = daily_report
    reader = pypdf.PdfReader(io.BytesIO(module.to_pdf(report)))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert len(text) > 200
    assert leaks(text, callers) == []
