"""The side panel's queries: the dispatch/report timeline's overdue flag, and the reports of a linked event."""
from datetime import timedelta

from queries import runner


def test_timeline_overdue_is_true_or_false_for_steps_still_open(db_copy):
    """A unit not yet arrived before its time limit is not overdue, and is once the limit has passed; it was
    NULL, which crashed the side panel of every incident still being handled. (A private writable copy: other
    tests move the shared database's dispatches on.)"""
    from data import db
    con = db.connect(db_copy("timeline"))
    try:
        dispatch_id, incident_id, deadline = con.execute(
            "SELECT dispatch_id, incident_id, deadline_at FROM dispatches ORDER BY assigned_at DESC LIMIT 1").fetchone()
        con.execute("UPDATE dispatches SET arrived_at = NULL, feedback_at = NULL, callback_at = NULL "
                    "WHERE dispatch_id = $d", {"d": dispatch_id})
        for at, late in ((deadline - timedelta(minutes=1), False), (deadline + timedelta(minutes=1), True)):
            timeline = runner.run(con, "onemap_incident_timeline", incident_id=incident_id, now=at)
            assert timeline["overdue"].notna().all()
            still_open = timeline[(timeline["entry"] == "dispatch") & timeline["arrived_at"].isna()]
            assert not still_open.empty and still_open["overdue"].eq(late).all()
    finally:
        con.close()


def test_event_reports_are_the_linked_reports_of_every_channel(con):
    incident_id, event_id, count = con.execute("""SELECT i.incident_id, e.event_id, e.report_count
                                                  FROM incidents i JOIN events e USING (event_id) LIMIT 1""").fetchone()
    reports = runner.run(con, "onemap_event_reports", incident_id=incident_id)
    expected = con.execute("SELECT incident_id FROM incidents WHERE event_id = $e ORDER BY received_at, incident_id",
                           {"e": event_id}).fetchall()
    assert reports["incident_id"].tolist() == [r[0] for r in expected] and len(reports) == count
    assert reports["channel"].nunique() >= 2 and reports["received_at"].is_monotonic_increasing
    unlinked = con.execute("SELECT min(incident_id) FROM incidents WHERE event_id IS NULL").fetchone()[0]
    assert runner.run(con, "onemap_event_reports", incident_id=unlinked).empty
