"""ui/event_links.py in an AppTest: the event's reports, a stale version refused with a conflict message (nothing
saved), split out, linked again by a typed number; Chinese labels."""
import pytest

from data import db


@pytest.fixture()
def copy(db_copy):
    path = db_copy("event_links_ui")
    con = db.connect(path)
    yield path, con
    con.close()


def event_id_of(con, incident_id):
    return con.execute("SELECT event_id FROM incidents WHERE incident_id = ?", [incident_id]).fetchone()[0]


def test_split_conflict_and_link_again(app_test, copy):
    path, con = copy
    lead, partner = con.execute("""SELECT min(incident_id), max(incident_id) FROM incidents WHERE event_id IS NOT NULL
                                   GROUP BY event_id ORDER BY event_id LIMIT 1""").fetchone()
    event_id = event_id_of(con, lead)
    at = app_test("tests/ui/event_links_app.py", role=None, db=str(path), incident=str(lead))
    at.run()
    assert not at.exception
    assert any("关联报告" in m.value for m in at.markdown)
    assert len(at.dataframe[0].value) == 2
    split = next(b for b in at.button if b.label == "将本报告移出该事件")

    # someone else changes the report after the panel was drawn: the split is refused, nothing saved
    con.execute("UPDATE incidents SET version = coalesce(version, 1) + 1 WHERE incident_id = ?", [lead])
    db.checkpoint(con)
    at.text_input[0].input("核实后不是同一起事件")
    split.click().run()
    assert not at.exception
    assert any("已被他人修改" in e.value for e in at.error), [e.value for e in at.error]
    assert event_id_of(con, lead) == event_id

    # drawn again with the current version, the split goes through
    at.text_input[0].input("核实后不是同一起事件")
    next(b for b in at.button if b.label == "将本报告移出该事件").click().run()
    assert any("已将第" in s.value for s in at.success), [e.value for e in at.error]
    assert event_id_of(con, lead) is None

    # linked again with the partner by its number
    at.text_input[0].input("复核：确为同一事件")
    at.number_input[0].set_value(int(partner))
    next(b for b in at.button if b.label == "与所选报告关联为同一事件").click().run()
    assert any("关联为第" in s.value for s in at.success), [e.value for e in at.error]
    assert event_id_of(con, lead) == event_id_of(con, partner) is not None
