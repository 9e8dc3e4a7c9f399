"""views/caller.py reveal_caller on a private copy of the demo database: who may reveal, the required reason,
the audit row it writes (the hash chain still verifies), and that refusals write nothing."""
import pytest

import i18n
from data import accounts, db, privacy, roles
from views import caller


@pytest.fixture(scope="module")
def con(db_copy):
    connection = db.connect(db_copy("reveal"))
    accounts.ensure_tables(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def incident(con):
    """(incident_id, caller_name, caller_phone) of an incident with both caller fields."""
    return con.execute("SELECT incident_id, caller_name, caller_phone FROM incidents "
                       "WHERE caller_name IS NOT NULL AND caller_phone IS NOT NULL ORDER BY incident_id LIMIT 1"
                       ).fetchone()


def _reveals(con) -> list[tuple]:
    return con.execute("SELECT username, role, incident_id, detail FROM audit_log WHERE action = 'reveal_caller' "
                       "ORDER BY audit_id").fetchall()


@pytest.mark.parametrize("role", ["duty_officer", "commander"])
def test_view_personal_roles_get_the_full_caller_and_an_audit_row(con, incident, role):
    incident_id, name, phone = incident
    before = len(_reveals(con))
    assert caller.reveal_caller(con, incident_id, "duty", role, "  回访核实  ", client="10.0.0.7") == (name, phone)
    rows = _reveals(con)
    assert len(rows) == before + 1
    assert rows[-1] == ("duty", role, incident_id, "回访核实")
    client = con.execute("SELECT client FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()[0]
    assert client == "10.0.0.7"
    assert accounts.verify_audit_chain(con) is None, "the reveal row extends the hash chain"


@pytest.mark.parametrize("role", [r for r in roles.ROLES if not roles.may(r, "view_personal")] + [None])
def test_other_roles_are_refused_and_nothing_is_written(con, incident, role):
    before = len(_reveals(con))
    with pytest.raises(caller.RevealRefused) as refused:
        caller.reveal_caller(con, incident[0], "analyst", role, "回访核实")
    assert refused.value.code == "forbidden"
    assert len(_reveals(con)) == before


@pytest.mark.parametrize("reason", ["", "   ", "x", None, " 回 "])
def test_a_reason_of_two_characters_is_required(con, incident, reason):
    before = len(_reveals(con))
    with pytest.raises(caller.RevealRefused) as refused:
        caller.reveal_caller(con, incident[0], "duty", "duty_officer", reason)
    assert refused.value.code == "reason"
    assert len(_reveals(con)) == before
    assert caller.reveal_caller(con, incident[0], "duty", "duty_officer", "回访")[1] == incident[2], "2 is enough"


def test_an_unknown_incident_is_refused(con):
    with pytest.raises(caller.RevealRefused) as refused:
        caller.reveal_caller(con, -1, "duty", "duty_officer", "回访核实")
    assert refused.value.code == "not_found"


def test_every_refusal_has_a_string_in_both_languages():
    for code in ("forbidden", "reason", "not_found"):
        key = caller.RevealRefused(code).key
        assert i18n.translate(key, "zh-CN") != i18n.translate(key, "en")


def test_the_masked_detail_query_still_masks(con, incident):
    """Revealing changes nothing stored: the side panel's query keeps returning the masks."""
    from queries import runner
    incident_id, name, phone = incident
    caller.reveal_caller(con, incident_id, "duty", "duty_officer", "回访核实")
    row = runner.run(con, "onemap_incident_detail", incident_id=incident_id).iloc[0]
    assert (row["caller_name"], row["caller_phone"]) == (privacy.mask_name(name), privacy.mask_phone(phone))
