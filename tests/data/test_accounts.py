"""data/accounts.py on a fresh in-memory database: argon2 hashes, lock-out, session expiry, wall tokens,
the append-only audit log and its hash chain, demo accounts and the CLI."""
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from data import accounts, db
from data.accounts import AccountError

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture()
def mem(memory_db):
    return memory_db


@pytest.fixture()
def alice(mem):
    return accounts.create_user(mem, "alice", PASSWORD, "duty_officer", "王爱丽")


def test_password_is_stored_as_a_salted_argon2id_hash(mem, alice):
    accounts.create_user(mem, "bob", PASSWORD, "analyst")
    hashes = [r[0] for r in mem.execute("SELECT password_hash FROM users ORDER BY username").fetchall()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1], "same password, different salt"
    assert PASSWORD not in "".join(hashes)


def test_sign_in_with_the_right_password_only(mem, alice):
    assert accounts.authenticate(mem, "ALICE ", PASSWORD) == alice
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "alice", PASSWORD + "x")
    assert err.value.code == "bad_credentials"
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "nobody", PASSWORD)
    assert err.value.code == "bad_credentials", "an unknown name looks the same as a wrong password"


@pytest.mark.parametrize("username,password,role,code", [
    ("ab", PASSWORD, "analyst", "bad_username"),
    ("张三", PASSWORD, "analyst", "bad_username"),
    ("carol", "short", "analyst", "weak_password"),
    ("carol", PASSWORD, "wall", "unknown_role"),
    ("carol", PASSWORD, "superuser", "unknown_role"),
    ("alice", PASSWORD, "analyst", "user_exists"),
])
def test_bad_accounts_are_refused_with_a_reason(mem, alice, username, password, role, code):
    with pytest.raises(AccountError) as err:
        accounts.create_user(mem, username, password, role)
    assert err.value.code == code


def test_lock_out_after_max_failures_even_for_the_right_password(mem, alice):
    t0 = accounts.now()
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(AccountError) as err:
            accounts.authenticate(mem, "alice", "wrong password", at=t0)
        assert err.value.code == "bad_credentials"
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "alice", "wrong password", at=t0)
    assert err.value.code == "locked"
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "alice", PASSWORD, at=t0 + timedelta(minutes=accounts.LOCK_MINUTES - 1))
    assert err.value.code == "locked", "the right password does not open a locked account"
    later = t0 + timedelta(minutes=accounts.LOCK_MINUTES, seconds=1)
    assert accounts.authenticate(mem, "alice", PASSWORD, at=later) == alice
    actions = [r[0] for r in mem.execute("SELECT action FROM audit_log WHERE username = 'alice' "
                                         "ORDER BY audit_id").fetchall()]
    assert actions.count("sign_in_failed") == accounts.MAX_FAILURES - 1
    assert "account_locked" in actions and "sign_in_refused" in actions


def test_success_resets_the_failure_count(mem, alice):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(AccountError):
            accounts.authenticate(mem, "alice", "wrong password")
    accounts.authenticate(mem, "alice", PASSWORD)
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "alice", "wrong password")
    assert err.value.code == "bad_credentials", "the count started again"


def test_unlock_and_disable(mem, alice):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.authenticate(mem, "alice", "wrong password")
    accounts.unlock(mem, "alice", by="admin")
    assert accounts.authenticate(mem, "alice", PASSWORD) == alice
    accounts.set_active(mem, "alice", False, by="admin")
    with pytest.raises(AccountError) as err:
        accounts.authenticate(mem, "alice", PASSWORD)
    assert err.value.code == "inactive"


def test_session_lives_while_used_and_expires_when_idle_or_too_old(mem, alice):
    t0 = accounts.now()
    sid = accounts.start_session(mem, alice, client="10.0.0.8", at=t0)
    assert accounts.check_session(mem, sid, at=t0 + timedelta(minutes=accounts.IDLE_MINUTES - 1)) == alice
    # used a minute before the idle limit, so it lives another idle period from there
    assert accounts.check_session(mem, sid, at=t0 + timedelta(minutes=2 * accounts.IDLE_MINUTES - 2)) == alice
    with pytest.raises(AccountError) as err:
        accounts.check_session(mem, sid, at=t0 + timedelta(minutes=3 * accounts.IDLE_MINUTES))
    assert err.value.code == "expired"
    with pytest.raises(AccountError):
        accounts.check_session(mem, sid, at=t0 + timedelta(minutes=2 * accounts.IDLE_MINUTES - 2)), \
            "once ended it stays ended"

    busy = accounts.start_session(mem, alice, at=t0)
    at = t0
    while at < t0 + timedelta(hours=accounts.MAX_SESSION_HOURS) - timedelta(minutes=30):
        at += timedelta(minutes=30)
        accounts.check_session(mem, busy, at=at)
    with pytest.raises(AccountError):
        accounts.check_session(mem, busy, at=t0 + timedelta(hours=accounts.MAX_SESSION_HOURS))


def test_session_ends_with_sign_out_disable_or_role_change(mem, alice):
    for end in (lambda sid: accounts.end_session(mem, sid),
                lambda sid: accounts.set_role(mem, "alice", "analyst", by="admin"),
                lambda sid: accounts.set_active(mem, "alice", False, by="admin")):
        accounts.set_active(mem, "alice", True)
        user = accounts.authenticate(mem, "alice", PASSWORD)
        sid = accounts.start_session(mem, user)
        assert accounts.check_session(mem, sid).username == "alice"
        end(sid)
        with pytest.raises(AccountError):
            accounts.check_session(mem, sid)


def test_forged_session_id_is_refused(mem, alice):
    with pytest.raises(AccountError):
        accounts.check_session(mem, "forged-session-id")


def test_wall_token_valid_until_revoked(mem):
    token_id, token = accounts.create_wall_token(mem, "大厅大屏", "admin")
    assert len(token) >= 40
    wall = accounts.check_wall_token(mem, token)
    assert wall.role == "wall" and wall.display_name == "大厅大屏"
    assert mem.execute("SELECT count(*) FROM wall_tokens WHERE token_hash = ?", [token]).fetchone()[0] == 0, \
        "only the hash is stored"
    accounts.revoke_wall_token(mem, token_id, "admin")
    with pytest.raises(AccountError) as err:
        accounts.check_wall_token(mem, token)
    assert err.value.code == "bad_token"
    with pytest.raises(AccountError):
        accounts.revoke_wall_token(mem, token_id, "admin")


def test_expired_and_forged_wall_tokens_are_refused(mem):
    _, token = accounts.create_wall_token(mem, "会议室", "admin", days=1)
    assert accounts.check_wall_token(mem, token).role == "wall"
    with pytest.raises(AccountError):
        accounts.check_wall_token(mem, token, at=accounts.now() + timedelta(days=1, minutes=1))
    for forged in (None, "", "short", token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x",
                   "x" * len(token)):
        with pytest.raises(AccountError):
            accounts.check_wall_token(mem, forged)


def test_audit_rows_carry_who_when_what_where_and_chain(mem):
    first = accounts.audit(mem, "alice", "duty_officer", "view_personal", incident_id=42, client="10.1.2.3")
    second = accounts.audit(mem, "alice", "duty_officer", "export", detail="analysis.csv, 10 rows")
    rows = mem.execute("SELECT audit_id, username, role, action, incident_id, detail, client, logged_at "
                       "FROM audit_log ORDER BY audit_id").fetchall()
    assert [r[0] for r in rows] == [first, second]
    assert rows[0][1:7] == ("alice", "duty_officer", "view_personal", 42, None, "10.1.2.3")
    assert rows[1][3] == "export" and rows[1][5] == "analysis.csv, 10 rows"
    assert all(r[7] is not None for r in rows)
    assert accounts.verify_audit_chain(mem) is None


def test_an_edit_made_outside_the_app_breaks_the_chain(mem):
    for i in range(5):
        accounts.audit(mem, "alice", "commander", "view_personal", incident_id=i)
    # what an attacker with the database file could do; the app itself has no such statement
    mem.execute("UPDATE audit_log SET incident_id = 99 WHERE incident_id = 2")
    assert accounts.verify_audit_chain(mem) == 3
    mem.execute("UPDATE audit_log SET incident_id = 2 WHERE incident_id = 99")
    assert accounts.verify_audit_chain(mem) is None
    mem.execute("DELETE FROM audit_log WHERE incident_id = 3")
    assert accounts.verify_audit_chain(mem) == 5, "a removed row shows at the next one"


def test_no_code_path_updates_or_deletes_the_audit_log():
    """Append-only by construction: outside tests, no file writes anything to audit_log but an INSERT."""
    import re
    offenders = []
    pattern = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|ALTER\s+TABLE)\s+(\w+\.)?audit_log", re.I)
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".sql", ".toml"} or "tests" in path.parts or ".git" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_demo_accounts_only_on_a_demo_database_and_only_once(mem):
    assert accounts.ensure_demo_accounts(mem) == [], "not a demo database: no default passwords"
    assert mem.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    mem.execute("INSERT INTO meta VALUES ('demo_seed', '7')")
    created = accounts.ensure_demo_accounts(mem)
    assert {r for _, _, r in created} == {"commander", "duty_officer", "analyst", "leader", "admin", "wall"}
    for username, password, role in created:
        if role == "wall":
            assert accounts.check_wall_token(mem, password).role == "wall"
        else:
            assert accounts.authenticate(mem, username, password).role == role
    assert accounts.ensure_demo_accounts(mem) == [], "second start creates nothing"
    text = accounts.demo_accounts_text(created)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for _username, password, role in created:
        assert password in text and password in readme, f"{role} demo sign-in printed and in the README"


def test_tables_are_added_to_a_database_built_before_them():
    con = db.connect(":memory:")
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    accounts.ensure_tables(con)
    accounts.ensure_tables(con)
    accounts.create_user(con, "admin", PASSWORD, "admin")
    assert accounts.audit(con, "admin", "admin", "export") > 0


def test_cli_creates_the_first_admin_and_refuses_weak_passwords(tmp_path):
    path = tmp_path / "real.duckdb"
    con = db.connect(path)
    db.create_schema(con)
    con.close()

    def cli(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "data.accounts", "--db", str(path), *args], cwd=ROOT,
                              input=stdin, capture_output=True, text=True, timeout=60)

    weak = cli("create-admin", "--username", "root1", "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "refused" in weak.stderr
    ok = cli("create-admin", "--username", "root1", "--display-name", "管理员", "--password-stdin",
             stdin=PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    token = cli("wall-token", "--label", "大厅大屏", "--days", "30")
    assert token.returncode == 0 and "token=" in token.stdout
    assert cli("verify-audit").returncode == 0
    con = db.connect(path, read_only=True)
    try:
        assert accounts.authenticate(con, "root1", PASSWORD).role == "admin"  # success writes nothing
        role, demo = con.execute("SELECT role, is_demo FROM users WHERE username = 'root1'").fetchone()
        assert (role, demo) == ("admin", False)
        wall = accounts.check_wall_token(con, token.stdout.strip().split("token=")[1])
        assert wall.display_name == "大厅大屏"
    finally:
        con.close()
