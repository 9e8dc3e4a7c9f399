"""The query runner binds parameters: hostile values are data, never SQL."""
from datetime import datetime

import pytest

from queries import runner

HOSTILE = ["x' OR '1'='1", "'; DROP TABLE incidents; --", "\"", "%' --", "a" * 10_000,
           "洪涝'); DELETE FROM townships; --"]


@pytest.fixture()
def memdb(memory_db):
    return memory_db


def test_every_named_query_binds_against_the_schema(con):
    """Each .sql file in queries/ prepares against the real schema: a wrong column fails here, not on a page."""
    import duckdb
    failures = {}
    for name in runner.query_names():
        statement = runner.sql_text(name).strip().rstrip(";")
        try:
            con.execute(f"PREPARE named_query_check AS {statement}")
        except duckdb.Error as exc:
            failures[name] = str(exc).splitlines()[0]
    assert not failures, failures


def test_a_broken_query_would_be_caught(con):
    import duckdb
    with pytest.raises(duckdb.BinderException):
        con.execute("PREPARE broken AS SELECT no_such_column FROM incidents WHERE received_at > $start")


def test_window_query_counts_rows_in_the_window(con, demo_now):
    start = datetime(demo_now.year, demo_now.month, demo_now.day)
    frame = runner.run(con, "onemap_incident_count", start=start, end=demo_now, hazards=["flood", "traffic"],
                       open_only=False)
    expected = con.execute("SELECT count(*) FROM incidents WHERE received_at >= ? AND received_at < ? "
                           "AND hazard IN ('flood', 'traffic')", [start, demo_now]).fetchone()[0]
    assert int(frame.iloc[0]["total"]) == expected


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_bound_not_executed(memdb, value):
    """A text value full of SQL stays a value: the query runs, finds nothing, and the tables are intact."""
    memdb.execute("CREATE TABLE probe AS SELECT 'safe' AS name")
    runner_sql = "SELECT count(*) AS n FROM probe WHERE name = $name"
    assert memdb.execute(runner_sql, {"name": value}).fetchone()[0] == 0
    assert memdb.execute("SELECT count(*) FROM hazard_types").fetchone()[0] == 11
    assert memdb.execute(runner_sql, {"name": "safe"}).fetchone()[0] == 1


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_window_bounds_give_a_clear_error_not_an_injection(con, value):
    import duckdb
    with pytest.raises(duckdb.ConversionException):
        runner.run(con, "onemap_incident_count", start=value, end=value, hazards=["flood"], open_only=False)
    assert con.execute("SELECT count(*) FROM townships").fetchone()[0] == 19


@pytest.mark.parametrize("name", ["../data/schema", "onemap_incident_count; DROP", "Robert'); --", ""])
def test_query_names_cannot_escape_the_folder(name):
    with pytest.raises(ValueError):
        runner.sql_text(name)


def test_unknown_query_name_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="no query named"):
        runner.sql_text("no_such_query")


def test_includes_expand_to_the_fragment(tmp_path, monkeypatch):
    """`-- include: name` pulls queries/fragments/name.sql in; an unknown fragment is a clear error."""
    monkeypatch.setattr(runner, "QUERY_DIR", tmp_path)
    monkeypatch.setattr(runner, "FRAGMENT_DIR", tmp_path / "fragments")
    runner.sql_text.cache_clear()
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "recent.sql").write_text("WITH recent AS (SELECT 1 AS x)\n", encoding="utf-8")
    (tmp_path / "uses_it.sql").write_text("-- a query\n  -- include: recent\nSELECT x FROM recent;\n", encoding="utf-8")
    (tmp_path / "broken.sql").write_text("-- include: nothing_here\nSELECT 1;\n", encoding="utf-8")
    try:
        assert runner.sql_text("uses_it") == "-- a query\nWITH recent AS (SELECT 1 AS x)\nSELECT x FROM recent;\n"
        with pytest.raises(FileNotFoundError, match="no query fragment named 'nothing_here'"):
            runner.sql_text("broken")
    finally:
        runner.sql_text.cache_clear()
