"""Local accounts, sign-in sessions, wall-screen tokens and the audit log (no Streamlit here).

- Passwords: argon2id through argon2-cffi (salted, slow, parameters inside the hash string).
- Lock-out: MAX_FAILURES wrong passwords in a row lock the account for LOCK_MINUTES.
- Sessions: a random id kept in the server-side Streamlit session; the record in user_sessions carries the
  idle and absolute expiry, checked on every page run. A reload keeps the sign-in through an HttpOnly cookie
  (web/session.py sets it): the page hands its browser a one-time code, the browser trades it for a cookie
  token; both are stored as SHA-256 only (session_tokens) and lead back to the same user_sessions row.
- Wall tokens: 256-bit random strings, only their SHA-256 stored; revocable and optionally expiring.
- Audit log: append-only (INSERT only, here and nowhere else) with a SHA-256 chain so edits made outside the
  app show up in verify_audit_chain().

CLI (outside demo mode there are no default passwords; this is how the first administrator is made):
    python -m data.accounts create-admin --username admin --display-name "值班室管理员"
    python -m data.accounts create-user --username zhang --role duty_officer --display-name 张三
    python -m data.accounts unlock --username zhang
    python -m data.accounts wall-token --label "大厅大屏" [--days 365]
    python -m data.accounts revoke-wall-token --id 3
Passwords are read from the terminal (or one line of stdin with --password-stdin), never from arguments.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import secrets
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from data import clock, db, roles

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_MINUTES = 60          # a session untouched this long has expired
MAX_SESSION_HOURS = 12     # and none outlives a long duty shift
MIN_PASSWORD_LENGTH = 10
HANDOFF_SECONDS = 60       # the browser trades the code right after sign-in: an unused one is void soon after
SESSION_COOKIE = "onemap_session"
SYSTEM_USER = "system"

_hasher = PasswordHasher()  # argon2id, library defaults (RFC 9106 low-memory profile)
# A real hash to verify against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
_audit_lock = threading.Lock()  # the hash chain needs one writer at a time within the process

# Demo mode only (a database the demo generator built): fixed, published in README.md and printed at start.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    # username, password, role, display name
    ("commander", "demo-commander-2026", "commander", "演示·指挥长"),
    ("duty", "demo-duty-2026", "duty_officer", "演示·值班员"),
    ("analyst", "demo-analyst-2026", "analyst", "演示·分析员"),
    ("leader", "demo-leader-2026", "leader", "演示·领导"),
    ("admin", "demo-admin-2026", "admin", "演示·管理员"),
)
DEMO_WALL_TOKEN = "demo-wall-token-7Hq2vN4kXc9LmP3sRt6WbY8zA1dF5gJ0"
DEMO_WALL_LABEL = "demo wall screen"


class AccountError(ValueError):
    """A refused account operation. `code` is an i18n key suffix (auth.error.<code>) for the UI."""

    def __init__(self, code: str, message: str | None = None):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str


def now() -> datetime:
    """CST time to the second (naive, like every time in the database), from the one clock."""
    return clock.now()


# ------------------------------------------------------------------ tables
def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the account tables on a database built before they existed (idempotent)."""
    present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'audit_log'").fetchone()[0]
    if not present:
        db.ensure_section(con, "accounts")


def is_demo_database(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM meta WHERE key = 'demo_seed'").fetchone()[0] > 0


# ------------------------------------------------------------------ users
def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password", f"password needs at least {MIN_PASSWORD_LENGTH} characters")


def create_user(con: duckdb.DuckDBPyConnection, username: str, password: str, role: str,
                display_name: str | None = None, is_demo: bool = False, created_by: str = SYSTEM_USER) -> User:
    username = username.strip().lower()
    if role not in roles.ACCOUNT_ROLES:
        raise AccountError("unknown_role", f"role must be one of {roles.ACCOUNT_ROLES}")
    if not (3 <= len(username) <= 32) or not all(c.isascii() and (c.isalnum() or c in "_.-") for c in username):
        raise AccountError("bad_username", "username: 3-32 of a-z 0-9 _ . -")
    _check_password_rules(password)
    if con.execute("SELECT count(*) FROM users WHERE username = ?", [username]).fetchone()[0]:
        raise AccountError("user_exists", f"user {username!r} exists")
    at = now()
    con.execute("INSERT INTO users (username, display_name, role, password_hash, is_demo, created_at, "
                "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [username, display_name or username, role, hash_password(password), is_demo, at, at])
    audit(con, created_by, None, "user_created", detail=f"{username} as {role}")
    return User(username, display_name or username, role)


def set_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str = SYSTEM_USER) -> None:
    _check_password_rules(password)
    _require_user(con, username)
    con.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, "
                "locked_until = NULL WHERE username = ?", [hash_password(password), now(), username])
    audit(con, by, None, "password_set", detail=username)


def set_active(con: duckdb.DuckDBPyConnection, username: str, active: bool, by: str = SYSTEM_USER) -> None:
    _require_user(con, username)
    con.execute("UPDATE users SET active = ? WHERE username = ?", [active, username])
    if not active:  # a disabled account's open sessions end now, not at their expiry
        con.execute("UPDATE user_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL",
                    [now(), username])
    audit(con, by, None, "user_enabled" if active else "user_disabled", detail=username)


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, by: str = SYSTEM_USER) -> None:
    if role not in roles.ACCOUNT_ROLES:
        raise AccountError("unknown_role")
    _require_user(con, username)
    con.execute("UPDATE users SET role = ? WHERE username = ?", [role, username])
    con.execute("UPDATE user_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL", [now(), username])
    audit(con, by, None, "role_changed", detail=f"{username} -> {role}")


def unlock(con: duckdb.DuckDBPyConnection, username: str, by: str = SYSTEM_USER) -> None:
    _require_user(con, username)
    con.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
    audit(con, by, None, "user_unlocked", detail=username)


def _require_user(con: duckdb.DuckDBPyConnection, username: str) -> None:
    if not con.execute("SELECT count(*) FROM users WHERE username = ?", [username]).fetchone()[0]:
        raise AccountError("no_such_user", f"no user {username!r}")


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str, client: str | None = None,
                 at: datetime | None = None) -> User:
    """The user, or AccountError with code bad_credentials / locked / inactive. Every outcome is audited."""
    at = at or now()
    username = (username or "").strip().lower()
    row = con.execute("SELECT display_name, role, password_hash, active, failed_attempts, locked_until "
                      "FROM users WHERE username = ?", [username]).fetchone()
    if row is None:
        _verify(_DUMMY_HASH, password)
        audit(con, username or "?", None, "sign_in_failed", detail="unknown user", client=client, at=at)
        raise AccountError("bad_credentials")
    display_name, role, password_hash, active, failures, locked_until = row
    if locked_until is not None and locked_until > at:
        audit(con, username, role, "sign_in_refused", detail="locked", client=client, at=at)
        raise AccountError("locked")
    if not _verify(password_hash, password):
        failures += 1
        lock = at + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        con.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                    [0 if lock else failures, lock, username])
        audit(con, username, role, "account_locked" if lock else "sign_in_failed",
              detail=f"failure {failures} of {MAX_FAILURES}", client=client, at=at)
        raise AccountError("locked" if lock else "bad_credentials")
    if not active:
        audit(con, username, role, "sign_in_refused", detail="inactive", client=client, at=at)
        raise AccountError("inactive")
    if failures or locked_until is not None:
        con.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
    if _hasher.check_needs_rehash(password_hash):
        con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username])
    return User(username, display_name, role)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def external_user(con: duckdb.DuckDBPyConnection, username: str, source: str, client: str | None = None) -> User:
    """A user an identity provider vouched for (OIDC through st.login): the local account of that name
    decides the role, and must exist, be active and not locked. No password is checked here."""
    username = (username or "").strip().lower()
    row = con.execute("SELECT display_name, role, active, locked_until FROM users WHERE username = ?",
                      [username]).fetchone()
    if row is None:
        audit(con, username or "?", None, "sign_in_refused", detail=f"{source}: no local account", client=client)
        raise AccountError("no_local_account")
    display_name, role, active, locked_until = row
    if not active or (locked_until is not None and locked_until > now()):
        audit(con, username, role, "sign_in_refused", detail=f"{source}: inactive or locked", client=client)
        raise AccountError("inactive" if not active else "locked")
    return User(username, display_name, role)


# ------------------------------------------------------------------ sessions
def start_session(con: duckdb.DuckDBPyConnection, user: User, client: str | None = None,
                  at: datetime | None = None, source: str | None = None) -> str:
    at = at or now()
    session_id = secrets.token_urlsafe(32)
    con.execute("INSERT INTO user_sessions VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
                [session_id, user.username, user.role, at, at, at + timedelta(hours=MAX_SESSION_HOURS), client])
    audit(con, user.username, user.role, "sign_in", detail=source, client=client, at=at)
    return session_id


def check_session(con: duckdb.DuckDBPyConnection, session_id: str, at: datetime | None = None,
                  touch: bool = True) -> User:
    """The session's user, or AccountError('expired') when it ended, idled out, outlived its maximum or
    its account was disabled. A live session's last_seen moves on (at most once a minute: fewer writes)
    unless touch=False (a look that is not the user's activity)."""
    at = at or now()
    row = con.execute(
        "SELECT s.username, u.display_name, u.role, s.last_seen, s.expires_at, s.ended_at, u.active, s.role "
        "FROM user_sessions s JOIN users u USING (username) WHERE s.session_id = ?", [session_id]).fetchone()
    if row is None:
        raise AccountError("expired")
    username, display_name, role, last_seen, expires_at, ended_at, active, session_role = row
    idle_out = last_seen + timedelta(minutes=IDLE_MINUTES) <= at
    if ended_at is not None or not active or role != session_role or expires_at <= at or idle_out:
        if ended_at is None:
            con.execute("UPDATE user_sessions SET ended_at = ? WHERE session_id = ?", [at, session_id])
        raise AccountError("expired")
    if touch and at - last_seen >= timedelta(minutes=1):
        con.execute("UPDATE user_sessions SET last_seen = ? WHERE session_id = ?", [at, session_id])
    return User(username, display_name, role)


def end_session(con: duckdb.DuckDBPyConnection, session_id: str, client: str | None = None) -> None:
    row = con.execute("SELECT username, role FROM user_sessions WHERE session_id = ? AND ended_at IS NULL",
                      [session_id]).fetchone()
    if row:
        con.execute("UPDATE user_sessions SET ended_at = ? WHERE session_id = ?", [now(), session_id])
        audit(con, row[0], row[1], "sign_out", client=client)


def issue_handoff(con: duckdb.DuckDBPyConnection, session_id: str, at: datetime | None = None) -> str:
    """A one-time code for the browser that just signed in: a page cannot set an HttpOnly cookie (its output
    travels over the websocket), so the browser trades this code at /auth/session for the session cookie."""
    at = at or now()
    code = secrets.token_urlsafe(32)
    # spent links are of no use to anyone: dropped here rather than by a job
    con.execute("DELETE FROM session_tokens WHERE expires_at < ?", [at - timedelta(days=1)])
    con.execute("INSERT INTO session_tokens VALUES (?, ?, 'handoff', ?, ?, NULL)",
                [_token_hash(code), session_id, at, at + timedelta(seconds=HANDOFF_SECONDS)])
    return code


def redeem_handoff(con: duckdb.DuckDBPyConnection, code: str | None, at: datetime | None = None) -> tuple[str, int]:
    """Trade a handoff code for a cookie token: (token, seconds the cookie may live: the session's remaining
    absolute life). The code works once, within HANDOFF_SECONDS, and only while its session is live;
    otherwise AccountError('bad_handoff') or ('expired')."""
    at = at or now()
    if not code or len(code) < 20:
        raise AccountError("bad_handoff")
    try:
        row = con.execute("UPDATE session_tokens SET used_at = ? WHERE token_hash = ? AND purpose = 'handoff' "
                          "AND used_at IS NULL AND expires_at > ? RETURNING session_id",
                          [at, _token_hash(code), at]).fetchone()
    except duckdb.TransactionException:  # the same code redeemed at the same moment elsewhere: one wins
        row = None
    if row is None:
        raise AccountError("bad_handoff")
    session_id = row[0]
    check_session(con, session_id, at=at)
    expires_at = con.execute("SELECT expires_at FROM user_sessions WHERE session_id = ?",
                             [session_id]).fetchone()[0]
    token = secrets.token_urlsafe(32)
    con.execute("INSERT INTO session_tokens VALUES (?, ?, 'cookie', ?, ?, NULL)",
                [_token_hash(token), session_id, at, expires_at])
    return token, max(int((expires_at - at).total_seconds()), 0)


def _cookie_session_id(con: duckdb.DuckDBPyConnection, token: str | None, at: datetime) -> str | None:
    if not token or len(token) < 20:
        return None
    row = con.execute("SELECT session_id FROM session_tokens WHERE token_hash = ? AND purpose = 'cookie' "
                      "AND expires_at > ?", [_token_hash(token), at]).fetchone()
    return row[0] if row else None


def resume_session(con: duckdb.DuckDBPyConnection, token: str | None, client: str | None = None,
                   at: datetime | None = None) -> tuple[str, User]:
    """(session_id, user) for a browser's session cookie, checked like every run (ended, idle, past its
    maximum, account disabled or its role changed: AccountError('expired')). Audited as session_resumed:
    call it once per browser session, not per run."""
    at = at or now()
    session_id = _cookie_session_id(con, token, at)
    if session_id is None:
        raise AccountError("expired")
    user = check_session(con, session_id, at=at)
    audit(con, user.username, user.role, "session_resumed", client=client, at=at)
    return session_id, user


def cookie_is_live(con: duckdb.DuckDBPyConnection, token: str | None, at: datetime | None = None) -> bool:
    """Does this session cookie still lead to a live session? (Clearing a cookie must not end a newer sign-in
    made in another tab of the same browser: only a dead cookie is cleared.)"""
    at = at or now()
    session_id = _cookie_session_id(con, token, at)
    if session_id is None:
        return False
    try:
        check_session(con, session_id, at=at, touch=False)
    except AccountError:
        return False
    return True


# ------------------------------------------------------------------ wall tokens
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_wall_token(con: duckdb.DuckDBPyConnection, label: str, created_by: str, days: int | None = None,
                      token: str | None = None) -> tuple[int, str]:
    """(token_id, token). The token is shown once; only its hash is stored."""
    if not label.strip():
        raise AccountError("label_required")
    token = token or secrets.token_urlsafe(32)
    at = now()
    expires = at + timedelta(days=days) if days else None
    token_id = con.execute("INSERT INTO wall_tokens (label, token_hash, created_by, created_at, expires_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING token_id",
                           [label.strip(), _token_hash(token), created_by, at, expires]).fetchone()[0]
    audit(con, created_by, None, "wall_token_created", detail=f"#{token_id} {label.strip()}")
    return token_id, token


def check_wall_token(con: duckdb.DuckDBPyConnection, token: str | None, at: datetime | None = None) -> User:
    """The wall user for a valid token, else AccountError('bad_token'): unknown, revoked or expired alike."""
    at = at or now()
    if not token or len(token) < 20:
        raise AccountError("bad_token")
    row = con.execute("SELECT token_id, label, expires_at, revoked_at FROM wall_tokens WHERE token_hash = ?",
                      [_token_hash(token)]).fetchone()
    if row is None or row[3] is not None or (row[2] is not None and row[2] <= at):
        raise AccountError("bad_token")
    return User(f"wall#{row[0]}", row[1], "wall")


def revoke_wall_token(con: duckdb.DuckDBPyConnection, token_id: int, by: str) -> None:
    changed = con.execute("UPDATE wall_tokens SET revoked_at = ?, revoked_by = ? "
                          "WHERE token_id = ? AND revoked_at IS NULL RETURNING token_id",
                          [now(), by, token_id]).fetchall()
    if not changed:
        raise AccountError("no_such_token")
    audit(con, by, None, "wall_token_revoked", detail=f"#{token_id}")


# ------------------------------------------------------------------ audit log
def _row_digest(prev_hash: str, at: datetime, username: str, role: str | None, action: str,
                incident_id: int | None, detail: str | None, client: str | None) -> str:
    fields = [prev_hash, at.isoformat(sep=" "), username, role or "", action,
              "" if incident_id is None else str(int(incident_id)), detail or "", client or ""]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def audit(con: duckdb.DuckDBPyConnection, username: str, role: str | None, action: str,
          incident_id: int | None = None, detail: str | None = None, client: str | None = None,
          at: datetime | None = None) -> int:
    """Append one row (who, when, what, which incident, from where); returns its audit_id."""
    at = (at or now()).replace(microsecond=0)
    with _audit_lock:
        last = con.execute("SELECT row_hash FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
        prev_hash = last[0] if last else "0" * 64
        row_hash = _row_digest(prev_hash, at, username, role, action, incident_id, detail, client)
        return con.execute(
            "INSERT INTO audit_log (logged_at, username, role, action, incident_id, detail, client, prev_hash, "
            "row_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING audit_id",
            [at, username, role, action, incident_id, detail, client, prev_hash, row_hash]).fetchone()[0]


def verify_audit_chain(con: duckdb.DuckDBPyConnection) -> int | None:
    """None when every row still hashes to its stored value and links to the one before; else the first bad id."""
    prev = "0" * 64
    rows = con.execute("SELECT audit_id, logged_at, username, role, action, incident_id, detail, client, prev_hash, "
                       "row_hash FROM audit_log ORDER BY audit_id").fetchall()
    for audit_id, at, username, role, action, incident_id, detail, client, prev_hash, row_hash in rows:
        if prev_hash != prev or _row_digest(prev, at, username, role, action, incident_id, detail, client) != row_hash:
            return audit_id
        prev = row_hash
    return None


# ------------------------------------------------------------------ demo mode
def ensure_demo_accounts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """On a demo database with no accounts yet: one account per role and the demo wall token.
    Returns what it created as (username, password, role), empty when nothing was needed."""
    if not is_demo_database(con) or con.execute("SELECT count(*) FROM users").fetchone()[0]:
        return []
    created = []
    for username, password, role, display_name in DEMO_ACCOUNTS:
        create_user(con, username, password, role, display_name, is_demo=True)
        created.append((username, password, role))
    create_wall_token(con, DEMO_WALL_LABEL, SYSTEM_USER, token=DEMO_WALL_TOKEN)
    created.append((DEMO_WALL_LABEL, DEMO_WALL_TOKEN, "wall"))
    return created


def demo_accounts_text(created: list[tuple[str, str, str]]) -> str:
    lines = ["OneMap demo accounts (demo database only; see README.md 'Demo accounts'):"]
    for username, password, role in created:
        if role == "wall":
            lines.append(f"  wall screen: /one_map?screen=wall&token={password}")
        else:
            lines.append(f"  {role:<13} {username:<10} {password}")
    return "\n".join(lines)


# ------------------------------------------------------------------ CLI
def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise AccountError("mismatch", "passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m data.accounts", description="OneMap accounts and wall tokens")
    ap.add_argument("--db", help="database file (default: $ONEMAP_DB or data/onemap.duckdb)")
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("create-admin", "create-user"):
        p = sub.add_parser(name)
        p.add_argument("--username", required=True)
        p.add_argument("--display-name")
        p.add_argument("--password-stdin", action="store_true")
        if name == "create-user":
            p.add_argument("--role", required=True, choices=roles.ACCOUNT_ROLES)
    p = sub.add_parser("reset-password")
    p.add_argument("--username", required=True)
    p.add_argument("--password-stdin", action="store_true")
    p = sub.add_parser("unlock")
    p.add_argument("--username", required=True)
    p = sub.add_parser("wall-token")
    p.add_argument("--label", required=True)
    p.add_argument("--days", type=int)
    p = sub.add_parser("revoke-wall-token")
    p.add_argument("--id", type=int, required=True)
    sub.add_parser("verify-audit")
    args = ap.parse_args(argv)

    path = db.resolve_db_path(args.db)
    if not path.exists():
        print(f"no database at {path}", file=sys.stderr)
        return 2
    try:
        con = db.connect(path)
    except duckdb.IOException as exc:  # DuckDB allows one writing process: the running app holds it
        print(f"cannot open {path} for writing (is the app running? stop it first): {exc}", file=sys.stderr)
        return 2
    try:
        ensure_tables(con)
        cli = "cli:" + getpass.getuser()
        if args.command in ("create-admin", "create-user"):
            role = "admin" if args.command == "create-admin" else args.role
            user = create_user(con, args.username, _read_password(args.password_stdin), role,
                               args.display_name, created_by=cli)
            print(f"created {user.username} ({user.role})")
        elif args.command == "reset-password":
            set_password(con, args.username, _read_password(args.password_stdin), by=cli)
            print(f"password of {args.username} set; lock-out cleared")
        elif args.command == "unlock":
            unlock(con, args.username, by=cli)
            print(f"{args.username} unlocked")
        elif args.command == "wall-token":
            token_id, token = create_wall_token(con, args.label, cli, days=args.days)
            print(f"wall token #{token_id} (shown once): /one_map?screen=wall&token={token}")
        elif args.command == "revoke-wall-token":
            revoke_wall_token(con, args.id, cli)
            print(f"wall token #{args.id} revoked")
        elif args.command == "verify-audit":
            bad = verify_audit_chain(con)
            print("audit log intact" if bad is None else f"audit log altered at or before row {bad}")
            return 0 if bad is None else 1
    except AccountError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
