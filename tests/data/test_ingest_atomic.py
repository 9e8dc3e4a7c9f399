"""A file import is all or nothing even when the process is killed inside it; readers sharing the app's
DuckDB instance never see an error or half a file; the CLI hands its files to the app's inbox when the app
holds the database."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from data import db, demo_exports
from data.ingest import import_file, inbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def dbfile(db_copy) -> Path:
    return db_copy("atomic")


@pytest.fixture()
def exports(dbfile, tmp_path) -> dict:
    return demo_exports.write_exports(dbfile, tmp_path / "exp", rows=3000, seed=11)


def _state(path) -> tuple:
    con = db.connect(path, read_only=True)
    try:
        return (con.execute("SELECT count(*) FROM incidents").fetchone()[0],
                con.execute("SELECT count(*) FROM quarantine").fetchone()[0],
                con.execute("SELECT count(*) FROM import_files").fetchone()[0],
                db.data_version(con))
    finally:
        con.close()


# The CLI with a stage callback that says where it is and waits there to be killed.
_PAUSING_CLI = """
import sys, time
from data.ingest import __main__ as cli, profile

def pause(name, cur):
    if name == {stage!r}:
        print("INGEST-PAUSED", name, flush=True)
        time.sleep(60)

profile.after_stage(pause)
sys.exit(cli.main(sys.argv[1:]))
"""
BULK_ENV = {"ONEMAP_INGEST_BULK_ROWS": "1000", "ONEMAP_INGEST_BULK_SHARE": "0"}


# after "store" the rows are written; after "record" everything is, but not committed
@pytest.mark.parametrize("stage", ["store", "record"])
def test_killed_import_leaves_nothing_then_a_rerun_stores_everything(dbfile, exports, stage):
    before = _state(dbfile)
    # a low bulk threshold: the killed import has dropped the R-tree (bulk path), the rerun must restore it
    proc = subprocess.Popen([sys.executable, "-c", _PAUSING_CLI.format(stage=stage), "--db", str(dbfile),
                             "--source", "110", "--json", str(exports["110"])], cwd=ROOT,
                            env={**os.environ, **BULK_ENV}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        line = proc.stdout.readline()  # printed inside the transaction
        assert line.startswith("INGEST-PAUSED"), line
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert _state(dbfile) == before  # none of it
    cp = subprocess.run([sys.executable, "-m", "data.ingest", "--db", str(dbfile), "--source", "110", "--json",
                         str(exports["110"])], cwd=ROOT, env={**os.environ, **BULK_ENV},
                        capture_output=True, text=True, timeout=300)
    assert cp.returncode == 0, cp.stderr
    out = json.loads(cp.stdout.strip().splitlines()[-1])
    assert out["rows_in"] == 3000 and out["stored"] + out["quarantined"] == 3000
    after = _state(dbfile)
    assert after[0] - before[0] == out["stored"] and after[1] - before[1] == out["quarantined"]
    assert after[2] == before[2] + 1 and after[3] == before[3] + 1  # all of it
    con = db.connect(dbfile, read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'incidents'")
                 .fetchall()}
    finally:
        con.close()
    assert "incidents_geom_rtree" in names


def test_readers_see_whole_files_only_and_never_an_error(dbfile, exports, tmp_path, monkeypatch):
    from data.ingest import store
    monkeypatch.setattr(store, "BULK_ROWS", 1000)  # big enough for the bulk path, which the app must not take
    monkeypatch.setattr(store, "BULK_SHARE", 0.0)
    con = db.connect(dbfile)  # the app's one read-write instance; readers are its cursors (sessions)
    base = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    errors, seen, stop = [], [], threading.Event()

    def reader():
        cur = con.cursor()
        try:
            while not stop.is_set():
                n = cur.execute("SELECT count(*) FROM incidents").fetchone()[0]
                # a page-like query in the same snapshot: per-township counts add up to the total
                total = cur.execute("SELECT sum(c) FROM (SELECT count(*) AS c FROM incidents "
                                    "GROUP BY township_id)").fetchone()[0]
                # a spatial box query (the R-tree's use) while the bulk import drops and rebuilds it
                cur.execute("SELECT count(*) FROM incidents WHERE ST_Intersects(geom, "
                            "ST_MakeEnvelope(119.0, 27.55, 119.15, 27.7))").fetchone()
                seen.append(n)
                if total < n:
                    errors.append(f"inconsistent snapshot {total} < {n}")
        except Exception as exc:  # any error a session would have seen
            errors.append(repr(exc))
        finally:
            cur.close()

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for th in threads:
        th.start()
    try:
        r1 = import_file(con, exports["110"], "110")
        r2 = import_file(con, exports["city"], "city")
    finally:
        stop.set()
        for th in threads:
            th.join(timeout=60)
    con.close()
    assert errors == []
    allowed = {base, base + r1.stored, base + r1.stored + r2.stored}
    assert seen and set(seen) <= allowed  # no reader ever saw part of a file
    assert _state(dbfile)[0] == base + r1.stored + r2.stored


def test_cli_queues_to_the_inbox_while_the_app_holds_the_database(dbfile, exports):
    app = db.connect(dbfile)  # stands in for the running app
    try:
        before = app.execute("SELECT count(*) FROM incidents").fetchone()[0]
        proc = subprocess.Popen([sys.executable, "-m", "data.ingest", "--db", str(dbfile), "--source", "city",
                                 "--json", "--wait", "60", str(exports["city"])], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        done = []
        while time.time() < deadline and not done:
            done = inbox.process(app, dbfile)  # what the app's watcher thread does on its timer
            time.sleep(0.3)
        out, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err
        assert "queued" in err
        res = json.loads(out.strip().splitlines()[-1])
        assert res["file"] == exports["city"].name and res["rows_in"] == 300
        stored = app.execute("SELECT count(*) FROM incidents").fetchone()[0] - before
        assert stored == res["stored"] > 0
        archive = inbox.inbox_dir(dbfile) / "archive"
        assert len(list(archive.glob("*-city_management.csv"))) == 1
        assert inbox.pending(dbfile) == []
        # a file that cannot be read goes to failed/ with its reason
        bad = exports["city"].with_name("broken.csv")
        bad.write_text("nothing,we,know\n1,2,3\n", encoding="utf-8")
        inbox.drop(dbfile, "city", [bad])
        (res_bad,) = inbox.process(app, dbfile)
        assert "header" in res_bad["error"]
        assert list((inbox.inbox_dir(dbfile) / "failed").glob("*broken.csv.reason.txt"))
    finally:
        app.close()
