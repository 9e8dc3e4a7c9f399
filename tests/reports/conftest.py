"""The daily report of the test county's latest day with a major incident, and what the database says of it."""
import io
from datetime import datetime, time, timedelta

import pytest
from docx import Document

from reports import daily_report as dr


@pytest.fixture()
def demo_now(con):
    """The test database's 'now', read through the shared connection (the session fixture opens its own, which
    DuckDB refuses once an in-process AppTest holds the app's connection)."""
    return datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])


@pytest.fixture()
def report_day(con, demo_now):
    """The latest full day of the test county with a major incident (so that table is not empty)."""
    day = con.execute("""SELECT max(CAST(received_at AS DATE)) FROM incidents
                         WHERE (severity <= 2 OR is_flagged) AND received_at < CAST($now AS DATE)""",
                      {"now": demo_now}).fetchone()[0]
    assert day is not None
    return day


@pytest.fixture()
def report(con, demo_now, report_day):
    return dr.build(con, report_day, demo_now, "zh-CN")


@pytest.fixture()
def day_facts(con, report_day):
    """The day's event count, major events' descriptions and callers, counted straight from the tables."""
    start = datetime.combine(report_day, time())
    end = start + timedelta(days=1)
    # An event counts once, on its lead (earliest) report's day (data/macros.sql event_key, event_lead).
    events = """SELECT event_lead(description, received_at, incident_id) AS description,
                       bool_or(severity <= 2 OR is_flagged) AS major
                FROM incidents GROUP BY event_key(event_id, incident_id)
                HAVING min(received_at) >= ? AND min(received_at) < ?"""
    total = con.execute(f"SELECT count(*) FROM ({events})", [start, end]).fetchone()[0]
    majors = [r[0] for r in con.execute(f"SELECT description FROM ({events}) WHERE major", [start, end]).fetchall()]
    callers = con.execute("""SELECT caller_name, caller_phone FROM incidents WHERE received_at >= ? AND received_at < ?
                             AND caller_phone IS NOT NULL""", [start, end]).fetchall()
    return total, majors, callers


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture()
def docx_text():
    """Paragraph and table text of a DOCX, as a function."""
    return _docx_text
