"""A writer that dies with R-tree changes in the WAL must not cost the county its database: the next open
rebuilds the R-trees (data.db.rebuild_rtrees) and writes go on; loads and imports checkpoint so the WAL is empty."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from data import db
from tests.conftest import ROOT

KILLED_WRITER = textwrap.dedent("""
    import os, sys
    from data import db
    con = db.connect(sys.argv[1])
    con.execute("INSERT INTO cameras (camera_id, code, name, kind, township_id, lon, lat, geom) "
                "SELECT 9000000 + i, 'X' || i, 'x', 'fixed', (SELECT min(township_id) FROM townships), "
                "lon, lat, ST_Point(lon, lat) FROM (SELECT lon, lat FROM cameras LIMIT 1), range(50) t(i)")
    os._exit(0)  # killed before any checkpoint: the insert stays in the WAL
""")


def test_a_database_whose_writer_died_with_rtree_changes_in_the_wal_opens_and_takes_writes(db_copy):
    path = db_copy("killed_writer")
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], cwd=ROOT, check=True)
    assert path.with_name(path.name + ".wal").stat().st_size > 0
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM cameras WHERE code LIKE 'X%'").fetchone()[0] == 50
    con.execute("DELETE FROM cameras WHERE code LIKE 'X%'")
    con.execute("CHECKPOINT")
    con.close()
    con = db.connect(path, read_only=True)
    assert con.execute("SELECT count(*) FROM cameras WHERE code LIKE 'X%'").fetchone()[0] == 0


def test_a_county_load_leaves_no_wal(county_pack_db, tmp_path):
    import shutil

    from data.county.load import load
    from tests.conftest import PACK_DIR
    path = tmp_path / "c.duckdb"
    shutil.copyfile(county_pack_db, path)
    con = db.connect(path)
    load(con, "villages", PACK_DIR / "villages_changed.csv", crs="gcj02")
    wal = path.with_name(path.name + ".wal")
    assert not wal.exists() or wal.stat().st_size == 0
    con.close()


KILLED_AFTER_UPGRADE = textwrap.dedent("""
    import os, sys
    from data import db
    con = db.connect(sys.argv[1])
    db.upgrade(con)
    os._exit(0)  # the app stopped right after it opened an older database
""")


def test_an_upgrade_leaves_nothing_in_the_wal_a_crash_could_not_replay(db_copy):
    """DuckDB 1.5.5 cannot replay an ADD COLUMN on a table whose CHECK calls a function (users, import_files):
    the upgrade of an older database checkpoints its changes, so a crash right after it costs nothing."""
    path = db_copy("old_release")
    con = db.connect(path)
    con.execute("ALTER TABLE import_files DROP COLUMN notes")
    con.execute("CHECKPOINT")
    con.close()
    subprocess.run([sys.executable, "-c", KILLED_AFTER_UPGRADE, str(path)], cwd=ROOT, check=True)
    con = db.connect(path)
    assert {"notes"} <= {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                                   "WHERE table_name = 'import_files'").fetchall()}
    assert con.execute("SELECT count(*) FROM incidents").fetchone()[0] > 0
    con.close()
