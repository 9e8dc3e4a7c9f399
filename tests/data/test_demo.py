"""Invariants of the generated demo county (on the session's small test database)."""

import pytest
import shapely

from data import geography
from data.demo import catalog as cat


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


@pytest.mark.parametrize("table,expected", [
    ("townships", 19), ("villages", 353), ("grid_cells", 389), ("grid_members", 413), ("linkage_units", 111),
])
def test_counts_equal_the_facts(con, table, expected):
    assert one(con, f"SELECT count(*) FROM {table}") == expected


def test_linkage_units_are_92_departments_and_19_townships_in_three_levels(con):
    rows = dict(con.execute("SELECT kind, count(*) FROM linkage_units GROUP BY kind").fetchall())
    assert rows == {"department": 92, "township": 19}
    assert {r[0] for r in con.execute("SELECT DISTINCT linkage_level FROM linkage_units").fetchall()} == {1, 2, 3}


def test_volunteer_teams_are_25_with_761_people(con):
    volunteers = "SELECT count(*), sum(headcount) FROM rescue_teams WHERE kind = 'volunteer'"
    assert con.execute(volunteers).fetchone() == (25, 761)
    assert one(con, "SELECT count(*) FROM rescue_teams WHERE kind = 'technical'") == 73


def test_population_adds_up_to_the_census(con):
    assert one(con, "SELECT sum(population) FROM townships") == 142551
    assert one(con, "SELECT sum(population) FROM villages") == 142551
    assert one(con, "SELECT sum(population) FROM grid_cells") == 142551


def test_every_point_is_inside_the_county_and_its_own_township(con):
    county = geography.load_county()
    for table in ("incidents", "villages", "cameras", "rescue_teams", "shelters", "geo_hazard_points", "sensors"):
        lon_lat = con.execute(f"SELECT lon, lat FROM {table}").fetchnumpy()
        inside = shapely.contains_xy(county.buffer(1e-9), lon_lat["lon"], lon_lat["lat"])
        assert inside.all(), f"{table}: {(~inside).sum()} points outside the county"
        outside_own = one(con, f"SELECT count(*) FROM {table} x JOIN townships t USING (township_id) "
                               "WHERE NOT ST_Intersects(t.geom, x.geom)")
        assert outside_own == 0, f"{table}: {outside_own} points outside their own township"


def test_grid_cells_tile_the_county(con):
    union = shapely.from_geojson(one(con, "SELECT ST_AsGeoJSON(ST_Union_Agg(geom)) FROM grid_cells"))
    county = geography.load_county()
    assert union.symmetric_difference(county).area < 1e-6 * county.area
    assert one(con, "SELECT count(*) FROM incidents i JOIN grid_cells g USING (grid_cell_id) "
                    "WHERE g.township_id <> i.township_id") == 0


def test_referential_integrity_of_incidents_dispatches_and_reports(con):
    assert one(con, "SELECT count(*) FROM incidents i ANTI JOIN townships USING (township_id)") == 0
    assert one(con, "SELECT count(*) FROM incidents i WHERE village_id IS NOT NULL AND village_id NOT IN "
                    "(SELECT village_id FROM villages)") == 0
    assert one(con, "SELECT count(*) FROM dispatches ANTI JOIN incidents USING (incident_id)") == 0
    assert one(con, "SELECT count(*) FROM dispatches ANTI JOIN linkage_units USING (unit_id)") == 0
    assert one(con, "SELECT count(*) FROM info_reports ANTI JOIN incidents USING (incident_id)") == 0


def test_history_spans_five_years_and_ends_now(con, demo_now):
    first, last = con.execute("SELECT min(received_at), max(received_at) FROM incidents").fetchone()
    # At the test scale (~9 incidents a day) a quiet night passes six hours without a call: twelve is the bound.
    assert (demo_now - last).total_seconds() < 12 * 3600, "the history runs up to now"
    assert (demo_now - first).days >= 5 * 365 - 2
    assert one(con, "SELECT count(*) FROM incidents WHERE received_at > ?", [demo_now]) == 0
    yesterday = one(con, "SELECT count(*) FROM incidents WHERE received_at::DATE = ?::DATE - 1", [demo_now])
    assert yesterday > 0


def test_incidents_are_stored_in_time_order(con):
    assert one(con, "SELECT count(*) FROM (SELECT received_at < lag(received_at) OVER (ORDER BY rowid) AS back "
                    "FROM incidents) WHERE back") == 0


def test_seasons_show(con):
    def per_month(hazard, month):
        return one(con, "SELECT count(*) FROM incidents WHERE hazard = ? AND month(received_at) = ?", [hazard, month])
    assert per_month("flood", 7) > 3 * per_month("flood", 1)
    assert per_month("forest_fire", 2) > 3 * per_month("forest_fire", 7)
    assert per_month("typhoon", 8) > per_month("typhoon", 12)


def test_security_calls_peak_in_the_evening(con):
    security = "SELECT count(*) FROM incidents WHERE hazard='public_security' AND hour(received_at) "
    evening = one(con, security + "BETWEEN 18 AND 23")
    morning = one(con, security + "BETWEEN 0 AND 5")
    assert evening > 2 * morning


def test_remote_townships_respond_slower_and_some_dispatches_are_overdue(con):
    rows = dict(con.execute("""
        SELECT t.kind = '街道' AS urban, median(date_diff('minute', i.dispatched_at, i.on_scene_at))
        FROM incidents i JOIN townships t USING (township_id)
        WHERE i.category = 'emergency' AND i.on_scene_at IS NOT NULL GROUP BY 1""").fetchall())
    assert rows[False] > rows[True]
    late = one(con, "SELECT avg((arrived_at > deadline_at)::INT) FROM dispatches WHERE arrived_at IS NOT NULL")
    assert 0.005 < late < 0.3


def test_some_major_incident_reports_are_late(con):
    first = con.execute("SELECT count(*), count(*) FILTER (WHERE sent_at > due_at) FROM info_reports "
                        "WHERE kind = 'first'").fetchone()
    assert first[0] > 0 and 0 < first[1] < first[0]


def test_channel_volumes_follow_the_catalogue(con):
    counts = dict(con.execute("SELECT channel, count(*) FROM incidents GROUP BY 1").fetchall())
    from tests.conftest import TEST_SCALE
    for channel, volume in cat.CHANNEL_VOLUMES.items():
        expected = volume * TEST_SCALE
        assert abs(counts[channel] - expected) < 0.15 * expected + 30, (channel, counts[channel], expected)


def test_approximate_places_are_marked(con):
    rows = dict(con.execute("SELECT location_precision, count(*) FROM incidents GROUP BY 1").fetchall())
    assert rows["exact"] > 0 and rows["village"] > 0 and rows["township"] > 0
    assert one(con, "SELECT count(*) FROM incidents WHERE channel = 'hotline_96345' "
                    "AND location_precision = 'exact'") == 0


def test_same_seed_same_county(tmp_path, demo_now):
    from data import demo
    a = demo.build(tmp_path / "a.duckdb", scale=0.01, seed=3, now=demo_now)
    b = demo.build(tmp_path / "b.duckdb", scale=0.01, seed=3, now=demo_now)
    assert a["rows"] == b["rows"]
    from data import db
    ca, cb = db.connect(tmp_path / "a.duckdb", read_only=True), db.connect(tmp_path / "b.duckdb", read_only=True)
    q = "SELECT sum(hash(incident_id, hazard, received_at, lon, lat)) FROM incidents"
    assert ca.execute(q).fetchone() == cb.execute(q).fetchone()


def test_cli_builds_a_database(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "cli.duckdb"
    done = subprocess.run([sys.executable, "-m", "data.demo", "--out", str(out), "--scale", "0.01", "--seed", "5"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "incidents" in done.stdout and out.exists()
    from data import db
    assert db.is_built(out)


LOADED_LAYERS = ["townships", "villages", "grid_cells", "grid_members", "linkage_units", "cameras", "reservoirs",
                 "sensors", "geo_hazard_points", "rescue_teams", "shelters", "warehouses", "stock",
                 "responsible_persons"]


def test_reference_layers_go_through_the_county_loader_and_all_pass_its_checks(con):
    from data.county.layers import LAYERS
    loads = con.execute("SELECT layer, via, rows_in, stored, updated, unchanged, quarantined FROM county_loads "
                        "ORDER BY load_id").fetchall()
    assert [r[0] for r in loads] == LOADED_LAYERS
    for layer, via, rows_in, stored, updated, unchanged, quarantined in loads:
        assert (via, quarantined, updated, unchanged) == ("demo", 0, 0, 0), layer
        assert stored == rows_in == one(con, f"SELECT count(*) FROM {LAYERS[layer].table}") > 0, layer
    assert one(con, "SELECT count(*) FROM county_quarantine") == 0
    for layer in LOADED_LAYERS:  # no row needed mending (lon/lat swapped back, polygon repaired)
        assert one(con, f"SELECT count(load_note) FROM {LAYERS[layer].table}") == 0, layer


def test_demo_only_columns_are_set_after_the_load(con):
    seats = geography.load_township_seats().set_index("code")
    for code, lon, lat, pinyin in con.execute("SELECT code, ST_X(seat), ST_Y(seat), pinyin FROM townships").fetchall():
        assert (lon, lat, pinyin) == (seats.at[code, "seat_lon"], seats.at[code, "seat_lat"], seats.at[code, "pinyin"])
    assert one(con, "SELECT count(*) FROM rescue_teams WHERE len(specialties) > 1") > 0
    assert one(con, "SELECT count(*) FROM shelters WHERE is_open AND occupancy > 0") == 2
    assert one(con, "SELECT count(*) FROM cameras WHERE last_seen_at IS NULL") == 0
    assert one(con, "SELECT count(*) FROM reservoirs WHERE is_generated") == 12


def test_depots_stock_and_responsible_persons(con):
    assert one(con, "SELECT count(*) FROM warehouses") == 1 + one(con, "SELECT count(*) FROM townships "
                                                                  "WHERE kind = '街道'")
    assert one(con, "SELECT count(*) FROM stock s ANTI JOIN warehouses USING (warehouse_id)") == 0
    assert one(con, "SELECT min(n) FROM (SELECT count(*) AS n FROM stock GROUP BY warehouse_id)") == 12
    per_object = dict(con.execute("""SELECT duty, count(*) FROM responsible_persons p
        LEFT JOIN reservoirs r ON r.code = p.object_code LEFT JOIN geo_hazard_points g ON g.code = p.object_code
        WHERE (duty = 'reservoir' AND r.township_id = p.township_id)
           OR (duty = 'hazard_point' AND g.township_id = p.township_id AND g.village_id = p.village_id)
        GROUP BY duty""").fetchall())
    assert per_object == {"reservoir": one(con, "SELECT count(*) FROM reservoirs"),
                          "hazard_point": one(con, "SELECT count(*) FROM geo_hazard_points")}
