"""The "five 100%" from records entered in the app (data/incident_ops.py) equal a hand count.

Six assignments on a two-unit county, entered as a duty officer would (times told by phone), counted by hand:
  #1 unit 1: accepted, on scene in time, feedback, callback
  #2 unit 1: accepted, on scene 15 min late, feedback, no callback
  #3 unit 2: accepted, never arrived (deadline passed)
  #4 unit 2: nothing (deadline passed)
  #5 unit 1: reassigned in time to unit 2 -> not judged; unit 2's assignment: accepted, on scene in time
=> judged 5; accepted 4 (80%), on scene 3 (60%), on time 2 of 3, feedback 2 (40%), callback 1 of 2 (50%), missed 3.
"""
from datetime import timedelta

import pytest

from data import incident_ops as ops
from data.clock import now
from queries import runner
from tests.queries.duty_fixture import add_incident, tiny_db

DUTY = ops.Actor("duty_zhao", "duty_officer")
NOW = now().replace(microsecond=0)
T = NOW - timedelta(hours=3)
M = timedelta(minutes=1)


@pytest.fixture(scope="module")
def con():
    connection = tiny_db()
    for incident_id in range(1, 6):
        add_incident(connection, incident_id, T - 10 * M if incident_id < 5 else NOW - 20 * M)
        connection.execute("UPDATE incidents SET status = 'received', dispatched_at = NULL WHERE incident_id = ?",
                           [incident_id])

    def enter(incident_id, unit_id, at, steps):
        version = ops.dispatch(connection, DUTY, incident_id, [unit_id], ops.state(connection, incident_id)["version"],
                               at=at)
        dispatch_id = ops.state(connection, incident_id)["dispatches"][-1]["dispatch_id"]
        for step, minutes in steps:
            version = ops.record_step(connection, DUTY, dispatch_id, step, version, at=at + minutes * M)
        return dispatch_id, version

    enter(1, 1, T, [("accepted", 5), ("arrived", 20), ("feedback", 60), ("callback", 90)])
    enter(2, 1, T, [("accepted", 5), ("arrived", 45), ("feedback", 70)])
    enter(3, 2, T, [("accepted", 10)])
    enter(4, 2, T, [])
    dispatch_id, version = enter(5, 1, NOW - 10 * M, [])
    version = ops.reassign(connection, DUTY, dispatch_id, 2, "不属该单位管辖", version)
    moved = ops.state(connection, 5)["dispatches"][-1]["dispatch_id"]
    version = ops.record_step(connection, DUTY, moved, "accepted", version)
    ops.record_step(connection, DUTY, moved, "arrived", version)
    yield connection
    connection.close()


WINDOW = {"start": NOW - timedelta(days=1), "end": NOW + timedelta(minutes=1)}


def test_unit_rates_equal_the_hand_count(con):
    rates = runner.run(con, "duty_unit_rates", now=NOW + M, **WINDOW).set_index("unit_id")
    one, two = rates.loc[1], rates.loc[2]
    assert (one.dispatched, one.accepted, one.arrived, one.on_time, one.feedback, one.callback, one.missed) == (
        2, 2, 2, 1, 2, 1, 1)
    assert (two.dispatched, two.accepted, two.arrived, two.on_time, two.feedback, two.callback, two.missed) == (
        3, 2, 1, 1, 0, 0, 2)
    assert (one.acceptance_rate, one.on_time_rate, one.callback_rate) == (1.0, 0.5, 0.5)
    assert two.acceptance_rate == pytest.approx(2 / 3) and two.turnout_rate == pytest.approx(1 / 3)


def test_county_rates_equal_the_hand_count(con):
    rates = runner.run(con, "duty_township_rates", now=NOW + M, **WINDOW)
    assert len(rates) == 1
    r = rates.iloc[0]
    assert (r.dispatched, r.accepted, r.arrived, r.on_time, r.feedback, r.callback, r.missed) == (5, 4, 3, 2, 2, 1, 3)
    assert r.acceptance_rate == pytest.approx(0.8) and r.turnout_rate == pytest.approx(0.6)
    assert r.on_time_rate == pytest.approx(2 / 3) and r.feedback_rate == pytest.approx(0.4)
    assert r.callback_rate == pytest.approx(0.5)


def test_the_incidents_carry_their_steps(con):
    first = ops.state(con, 1)
    assert (first["status"], first["dispatched_at"], first["on_scene_at"], first["callback_at"]) == (
        "callback", T, T + 20 * M, T + 90 * M)
    assert ops.state(con, 3)["dispatches"][0]["overdue"] and not ops.state(con, 5)["dispatches"][-1]["overdue"]
