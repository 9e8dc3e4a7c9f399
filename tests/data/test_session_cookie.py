"""data/accounts.py's browser links to a session: the one-time handoff code, the cookie token it is traded for,
and resuming a session from the cookie (same expiry rules as every run; audited)."""
from datetime import timedelta

import pytest

from data import accounts
from data.accounts import AccountError

PASSWORD = "correct horse battery"


@pytest.fixture()
def session(memory_db):
    user = accounts.create_user(memory_db, "alice", PASSWORD, "commander", "王爱丽")
    return memory_db, user, accounts.start_session(memory_db, user, at=accounts.now())


def test_a_handoff_code_is_traded_once_for_a_cookie_that_lives_as_long_as_the_session(session):
    con, user, session_id = session
    at = accounts.now()
    code = accounts.issue_handoff(con, session_id, at=at)
    token, max_age = accounts.redeem_handoff(con, code, at=at + timedelta(seconds=5))
    assert max_age == accounts.MAX_SESSION_HOURS * 3600 - 5
    stored = {r[0] for r in con.execute("SELECT token_hash FROM session_tokens").fetchall()}
    assert code not in stored and token not in stored, "only hashes are kept"
    with pytest.raises(AccountError) as err:
        accounts.redeem_handoff(con, code, at=at + timedelta(seconds=6))
    assert err.value.code == "bad_handoff", "a code works once"
    assert accounts.resume_session(con, token, client="10.0.0.9", at=at + timedelta(minutes=5)) == (session_id, user)
    row = con.execute("SELECT username, action, client FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
    assert row == ("alice", "session_resumed", "10.0.0.9")


def test_a_handoff_code_goes_stale_and_a_session_id_is_no_code(session):
    con, _, session_id = session
    at = accounts.now()
    code = accounts.issue_handoff(con, session_id, at=at)
    for wrong, when in ((code, at + timedelta(seconds=accounts.HANDOFF_SECONDS)), (session_id, at), ("", at)):
        with pytest.raises(AccountError) as err:
            accounts.redeem_handoff(con, wrong, at=when)
        assert err.value.code == "bad_handoff"


def test_the_cookie_dies_with_its_session(session):
    con, user, session_id = session
    at = accounts.now()
    token, _ = accounts.redeem_handoff(con, accounts.issue_handoff(con, session_id, at=at), at=at)
    assert accounts.cookie_is_live(con, token, at=at)
    accounts.end_session(con, session_id)  # signing out
    assert not accounts.cookie_is_live(con, token, at=at)
    with pytest.raises(AccountError):
        accounts.resume_session(con, token, at=at)
    with pytest.raises(AccountError):
        accounts.resume_session(con, token[:-1] + ("A" if token[-1] != "A" else "B"), at=at)


@pytest.mark.parametrize("what", ["idle", "maximum", "disabled", "role_changed"])
def test_a_cookie_resumes_nothing_the_session_rules_would_refuse(session, what):
    con, user, session_id = session
    at = accounts.now()
    token, _ = accounts.redeem_handoff(con, accounts.issue_handoff(con, session_id, at=at), at=at)
    when = at + timedelta(minutes=1)
    if what == "idle":
        when = at + timedelta(minutes=accounts.IDLE_MINUTES)
    elif what == "maximum":
        con.execute("UPDATE user_sessions SET last_seen = ?", [at + timedelta(hours=accounts.MAX_SESSION_HOURS)])
        when = at + timedelta(hours=accounts.MAX_SESSION_HOURS, minutes=1)
    elif what == "disabled":
        accounts.set_active(con, "alice", False)
    else:
        accounts.set_role(con, "alice", "analyst")
    with pytest.raises(AccountError) as err:
        accounts.resume_session(con, token, at=when)
    assert err.value.code == "expired"
    assert not con.execute("SELECT count(*) FROM audit_log WHERE action = 'session_resumed'").fetchone()[0]


def test_a_redeemed_code_of_an_ended_session_gives_no_cookie(session):
    con, _, session_id = session
    code = accounts.issue_handoff(con, session_id)
    accounts.end_session(con, session_id)
    with pytest.raises(AccountError) as err:
        accounts.redeem_handoff(con, code)
    assert err.value.code == "expired"
