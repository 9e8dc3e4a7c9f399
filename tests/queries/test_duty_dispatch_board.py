"""The dispatch board lists open dispatches only, overdue first (most overdue on top), with time limits."""
from datetime import timedelta

from queries import runner
from tests.queries.duty_fixture import T0, add_dispatch, add_incident, tiny_db

M = timedelta(minutes=1)


def test_open_dispatches_overdue_first():
    con = tiny_db()
    for i in range(1, 6):
        add_incident(con, i, T0, severity=4)
    add_incident(con, 6, T0, severity=4, closed_at=T0 + 50 * M)
    add_dispatch(con, 1, 1, 1, T0, T0 + 30 * M)                                   # not arrived, 30 min over at 09:00
    add_dispatch(con, 2, 2, 2, T0, T0 + 50 * M)                                   # not arrived, 10 min over
    add_dispatch(con, 3, 3, 1, T0, T0 + 120 * M)                                  # still within its limit
    add_dispatch(con, 4, 4, 1, T0, T0 + 30 * M, arrived_at=T0 + 31 * M)          # arrived one minute late, no feedback
    add_dispatch(con, 5, 5, 1, T0, T0 + 30 * M, arrived_at=T0 + 5 * M, feedback_at=T0 + 20 * M)  # done: not open
    add_dispatch(con, 6, 6, 1, T0, T0 + 30 * M)                                   # incident closed: not open
    board = runner.run(con, "duty_open_dispatches", now=T0 + 60 * M, max_rows=100)
    assert list(board["dispatch_id"]) == [1, 2, 4, 3]
    assert list(board["overdue"]) == [True, True, True, False]
    assert list(board["overdue_minutes"]) == [30, 10, 1, 0]
    assert list(board["limit_minutes"]) == [30, 50, 30, 120]
    assert board.loc[board["dispatch_id"] == 2, "unit_name"].item() == "黄田镇人民政府"
    # exactly at the deadline is not overdue yet
    at_deadline = runner.run(con, "duty_open_dispatches", now=T0 + 30 * M, max_rows=100).set_index("dispatch_id")
    assert not at_deadline.loc[1, "overdue"]
    con.close()
