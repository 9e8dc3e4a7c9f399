"""The one way to open OneMap's DuckDB file: spatial loaded from the PyPI package, never downloaded."""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent
SCHEMA_SQL = DATA_DIR / "schema.sql"
LOOKUPS_SQL = DATA_DIR / "lookups.sql"
MACROS_SQL = DATA_DIR / "macros.sql"
INDEXES_SQL = DATA_DIR / "indexes.sql"
DEFAULT_DB_PATH = DATA_DIR / "onemap.duckdb"
DB_PATH_ENV = "ONEMAP_DB"
SCHEMA_VERSION = "1"
# schema.sql blocks added after the first release
LATER_SECTIONS = ("roster_history", "ingest", "accounts", "county", "info_report_content", "incident_ops",
                  "event_links")


def spatial_extension_path() -> Path:
    """The spatial extension file shipped inside the duckdb-extension-spatial wheel."""
    spec = importlib.util.find_spec("duckdb_extension_spatial")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("duckdb-extension-spatial is not installed (pip install -r requirements.txt)")
    root = Path(list(spec.submodule_search_locations)[0])
    path = root / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not path.exists():
        raise RuntimeError(f"no spatial extension for duckdb {duckdb.__version__} at {path}: "
                           "duckdb and duckdb-extension-spatial versions must match")
    return path


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """CLI flag beats the ONEMAP_DB environment variable beats data/onemap.duckdb."""
    chosen = path or os.environ.get(DB_PATH_ENV) or DEFAULT_DB_PATH
    return Path(chosen).expanduser().resolve()


def connect(path: str | os.PathLike | None = None, read_only: bool = False,
            threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database (":memory:" allowed) with spatial loaded and autoinstall off."""
    target = ":memory:" if str(path) == ":memory:" else str(resolve_db_path(path))
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    crashed = not read_only and target != ":memory:" and _wal_left_behind(Path(target))
    con = duckdb.connect(target, read_only=read_only, config=config)
    con.execute(f"LOAD '{spatial_extension_path()}'")
    if crashed:
        rebuild_rtrees(con)
    return con


def _wal_left_behind(path: Path) -> bool:
    wal = Path(str(path) + ".wal")
    return wal.exists() and wal.stat().st_size > 0


def rebuild_rtrees(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the R-tree indexes after a writer died with their changes in the WAL.

    With spatial 1.5.5, replaying R-tree inserts from the WAL leaves an index that fails the next write or
    checkpoint ("Operation requires a flat vector") and invalidates the database. Dropping the R-trees, checkpointing
    and creating them again gives a sound file. checkpoint() after each write keeps the WAL empty, so this runs
    only after a crash."""
    indexes = con.execute("SELECT index_name, sql FROM duckdb_indexes() WHERE sql ILIKE '%USING RTREE%'").fetchall()
    for name, _ in indexes:
        con.execute(f"DROP INDEX {name}")
    con.execute("CHECKPOINT")
    for _, sql in indexes:
        con.execute(sql)
    con.execute("CHECKPOINT")


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write committed changes into the file now, so no R-tree change waits in the WAL (see rebuild_rtrees).
    Skipped while another transaction writes; the next write's checkpoint, or rebuild_rtrees, covers it."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException:
        pass


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables and code tables; indexes come after the bulk load (see create_indexes)."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(LOOKUPS_SQL.read_text(encoding="utf-8"))
    create_macros(con)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('data_version', '0')", [SCHEMA_VERSION])


def schema_section(name: str) -> str:
    """The block of schema.sql between `-- >>> name` and `-- <<< name` (tables added after the first release)."""
    text = SCHEMA_SQL.read_text(encoding="utf-8")
    start, end = text.index(f"-- >>> {name}"), text.index(f"-- <<< {name}")
    return text[start:end]


def ensure_section(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a schema.sql section on a database built before it existed (its statements are IF NOT EXISTS).

    A change is checkpointed at once: DuckDB 1.5.5 cannot replay from the WAL an ADD COLUMN on a table whose
    CHECK calls a function (users, import_files: "GetDefaultDatabase with no default database set"), so a
    crash before the next checkpoint would leave a database that no longer opens."""
    before = _shape(con)
    con.execute(schema_section(name))
    if _shape(con) != before:
        checkpoint(con)


def _shape(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute("SELECT count(*), count(DISTINCT table_name) FROM information_schema.columns").fetchone()


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a database built by an older release up to this schema (the app runs it when its connection opens)."""
    _rename_sensor_code(con)
    _widen_checks(con)
    for name in LATER_SECTIONS:
        ensure_section(con, name)
    _fill_reference_codes(con)
    if con.execute("SELECT count(*) FROM meta WHERE key = 'demo_seed'").fetchone()[0]:
        from data.demo.places import upgrade_county
        upgrade_county(con)  # a demo database built before the county table: the demo county's row and rivers
    create_macros(con)
    checkpoint(con)  # nothing of an upgrade stays in the WAL (see ensure_section)


def _create_statement(table: str) -> str:
    """schema.sql's CREATE TABLE statement of a table (up to its closing semicolon)."""
    text = SCHEMA_SQL.read_text(encoding="utf-8")
    start = re.search(rf"CREATE TABLE (IF NOT EXISTS )?{table} \(", text).start()
    return text[start:text.index(";", start) + 1]


def _rebuild_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Re-create a table as schema.sql declares it now, keeping its rows: DuckDB cannot alter a CHECK constraint.
    Columns schema.sql adds later (ALTER ... ADD COLUMN) are carried over by name."""
    rtrees = con.execute("SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = ?", [table]).fetchall()
    old = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                     "ORDER BY ordinal_position", [table]).fetchall()]
    con.execute("BEGIN TRANSACTION")
    try:
        for name, _ in rtrees:
            con.execute(f'DROP INDEX "{name}"')
        con.execute(f"ALTER TABLE {table} RENAME TO {table}__old")
        con.execute(_create_statement(table).replace("IF NOT EXISTS ", ""))
        new = _columns(con, table)
        for column in old:
            if column not in new:
                kind = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = ? "
                                   "AND column_name = ?", [f"{table}__old", column]).fetchone()[0]
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {kind}')
        names = ", ".join(f'"{c}"' for c in old)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {table}__old")
        con.execute(f"DROP TABLE {table}__old")
        for _, sql in rtrees:
            con.execute(sql)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _widen_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Code lists that grew after a database was built: the duty-room phone channel (incidents recorded by hand)
    and the app/api import routes with their updated count."""
    def check_has(table: str, word: str) -> bool:
        return bool(con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
                                "AND constraint_type = 'CHECK' AND constraint_text LIKE ?",
                                [table, f"%{word}%"]).fetchone()[0])

    if check_has("incidents", "ai_video") and not check_has("incidents", "duty_phone"):
        _rebuild_table(con, "incidents")
        checkpoint(con)
    con.execute("INSERT INTO channels SELECT 'duty_phone', '值班电话', 'Duty-room phone', 'emergency', 7 "
                "WHERE NOT EXISTS (SELECT 1 FROM channels WHERE code = 'duty_phone')")
    if _columns(con, "import_files") and not check_has("import_files", "'api'"):
        _rebuild_table(con, "import_files")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [table]).fetchall()}


def _rename_sensor_code(con: duckdb.DuckDBPyConnection) -> None:
    """sensors.device_code became code (every reference table keys on code); DuckDB renames only unindexed tables."""
    if "device_code" not in _columns(con, "sensors"):
        return
    con.execute("DROP INDEX IF EXISTS sensors_geom_rtree")
    con.execute("ALTER TABLE sensors RENAME COLUMN device_code TO code")
    con.execute("CREATE INDEX sensors_geom_rtree ON sensors USING RTREE (geom)")


# Reference tables that gained a code column, with the prefix an older database's rows get (their id after it).
CODE_PREFIXES = {"villages": ("V", "village_id"), "grid_members": ("WGY", "member_id"),
                 "linkage_units": ("LD", "unit_id"), "reservoirs": ("SK", "reservoir_id"),
                 "rescue_teams": ("DW", "team_id"), "shelters": ("BN", "shelter_id")}


def _fill_reference_codes(con: duckdb.DuckDBPyConnection) -> None:
    for table, (prefix, key) in CODE_PREFIXES.items():
        con.execute(f"UPDATE {table} SET code = ? || {key} WHERE code IS NULL", [prefix])


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The domain rules queries call (data/macros.sql); CREATE OR REPLACE, so an older database gets today's."""
    con.execute(MACROS_SQL.read_text(encoding="utf-8"))


def create_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """R-tree and secondary indexes, built once after loading (far cheaper than maintaining them per insert)."""
    con.execute(INDEXES_SQL.read_text(encoding="utf-8"))


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Changes whenever data changes: every cached query result is keyed on it."""
    row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    return data_version(con)


def is_built(path: str | os.PathLike | None = None) -> bool:
    """True when the file exists and holds a finished demo build (the generator writes build_complete last).

    A file another process holds open counts as built: only a finished build is ever renamed into place."""
    target = resolve_db_path(path)
    if not target.exists():
        return False
    try:
        con = connect(target, read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return True
        return False
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'build_complete'").fetchone()
        return bool(row and row[0] == "true")
    except duckdb.Error:
        return False
    finally:
        con.close()
