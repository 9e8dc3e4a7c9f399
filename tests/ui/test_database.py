"""ui/database.py: opening the app's connection brings a database built by an older release up to the schema,
so no page has to, and gives a demo database its sign-in accounts."""
from data import accounts, db
from ui import database

LATER_TABLES = ("duty_roster_history", "import_files", "events", "users", "audit_log")


def _older_database(path, demo: bool) -> None:
    con = db.connect(path)
    db.create_schema(con)
    for table in LATER_TABLES:
        con.execute(f"DROP TABLE {table}")
    if demo:
        con.execute("INSERT INTO meta VALUES ('demo_seed', '7')")
    con.close()


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def test_opening_the_connection_upgrades_the_schema_once(tmp_path):
    path = tmp_path / "older.duckdb"
    _older_database(path, demo=False)
    try:
        con = database._connection(str(path))
        assert set(LATER_TABLES) <= _tables(con)
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 0, "not a demo: no default passwords"
        assert database._connection(str(path)) is con, "one connection per process"
    finally:
        database._connection(str(path)).close()
        database._connection.clear()


def test_a_demo_database_gets_its_accounts_when_the_connection_opens(tmp_path):
    path = tmp_path / "older_demo.duckdb"
    _older_database(path, demo=True)
    try:
        con = database._connection(str(path))
        roles = {r[0] for r in con.execute("SELECT role FROM users").fetchall()}
        assert roles == {r for _, _, r, _ in accounts.DEMO_ACCOUNTS}
    finally:
        database._connection(str(path)).close()
        database._connection.clear()
