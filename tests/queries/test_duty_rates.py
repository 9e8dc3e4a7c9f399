"""The "five 100%" per linkage unit and per township, against values computed by hand on a tiny fixture."""
from datetime import timedelta

import pandas as pd
import pytest

from queries import runner
from tests.queries.duty_fixture import T0, add_dispatch, add_incident, tiny_db

M = timedelta(minutes=1)
MONTH = {"start": T0.replace(day=1, hour=0), "end": T0.replace(month=8, day=1, hour=0)}


@pytest.fixture()
def con():
    c = tiny_db()
    for i, township in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 2)]:
        add_incident(c, i, T0, severity=4, township_id=township)
    d = T0 + 30 * M  # deadline
    # unit 1 (county bureau), incidents in township 1: 4 dispatches
    add_dispatch(c, 1, 1, 1, T0, d, accepted_at=T0 + M, arrived_at=T0 + 20 * M, feedback_at=T0 + 60 * M,
                 callback_at=T0 + 90 * M)                                      # perfect
    add_dispatch(c, 2, 2, 1, T0, d, accepted_at=T0 + M, arrived_at=d, feedback_at=T0 + 60 * M)   # on the deadline
    add_dispatch(c, 3, 3, 1, T0, d, accepted_at=T0 + M, arrived_at=d + M, feedback_at=T0 + 60 * M,
                 callback_at=T0 + 99 * M)                                      # one minute late
    add_dispatch(c, 4, 4, 1, T0, d)                                            # never accepted, never came
    # unit 2 (township government): 2 dispatches, township 2
    add_dispatch(c, 5, 5, 2, T0, d, accepted_at=T0 + 2 * M, arrived_at=T0 + 10 * M)
    add_dispatch(c, 6, 6, 2, T0, d, accepted_at=T0 + 2 * M, arrived_at=T0 + 12 * M, feedback_at=T0 + 30 * M,
                 callback_at=T0 + 40 * M)
    # next month: must not count
    add_incident(c, 7, T0 + timedelta(days=40), severity=4)
    add_dispatch(c, 7, 7, 2, T0 + timedelta(days=40), T0 + timedelta(days=40) + 30 * M)
    yield c
    c.close()


def test_unit_rates_by_hand(con):
    rates = runner.run(con, "duty_unit_rates", now=T0 + timedelta(days=2), **MONTH).set_index("unit_id")
    bureau = rates.loc[1]
    assert (bureau.dispatched, bureau.accepted, bureau.arrived, bureau.on_time, bureau.feedback, bureau.callback,
            bureau.missed) == (4, 3, 3, 2, 3, 2, 2)
    assert bureau.acceptance_rate == pytest.approx(3 / 4)
    assert bureau.turnout_rate == pytest.approx(3 / 4)
    assert bureau.on_time_rate == pytest.approx(2 / 3)
    assert bureau.feedback_rate == pytest.approx(3 / 4)
    assert bureau.callback_rate == pytest.approx(2 / 3)
    town = rates.loc[2]
    assert (town.dispatched, town.missed) == (2, 0)
    assert (town.acceptance_rate, town.turnout_rate, town.on_time_rate, town.feedback_rate) == (1, 1, 1, 0.5)
    assert town.callback_rate == 1
    assert list(rates.sort_values("rank").index) == [2, 1]      # the township government ranks first


def test_township_rates_by_hand(con):
    rates = runner.run(con, "duty_township_rates", now=T0 + timedelta(days=2), **MONTH).set_index("township")
    seat = rates.loc["松源街道"]                                   # dispatches 1 and 2
    assert (seat.dispatched, seat.on_time, seat.callback_rate, seat.missed) == (2, 2, 0.5, 0)
    town = rates.loc["黄田镇"]                                      # dispatches 3, 4, 5, 6
    assert (town.dispatched, town.accepted, town.arrived, town.on_time, town.feedback, town.callback,
            town.missed) == (4, 3, 3, 2, 2, 2, 2)
    assert town.on_time_rate == pytest.approx(2 / 3)
    assert town.feedback_rate == pytest.approx(2 / 4)


def test_not_yet_past_the_deadline_is_not_missed(con):
    rates = runner.run(con, "duty_unit_rates", now=T0 + 25 * M, **MONTH).set_index("unit_id")
    # at 08:25 nobody has arrived late yet and the open dispatch 4 still has 5 minutes
    assert rates.loc[1, "missed"] == 0
    assert rates.loc[1, "arrived"] == 1                            # only the 08:20 arrival has happened


@pytest.mark.parametrize("minutes_after_t0", [25, 45, 2 * 24 * 60])
def test_one_map_kpis_rate_as_the_duty_desk_does(con, minutes_after_t0):
    """One definition of the five rates: the KPI strip over a window equals the duty desk's totals over it,
    including a moment when some steps have not happened yet."""
    now = T0 + minutes_after_t0 * M
    kpis = runner.run(con, "onemap_kpis", now=now, **MONTH).iloc[0]
    units = runner.run(con, "duty_unit_rates", now=now, **MONTH)
    totals = units[["dispatched", "accepted", "arrived", "on_time", "feedback", "callback", "missed"]].sum()
    assert kpis["dispatches"] == totals["dispatched"] and kpis["overdue_dispatches"] == totals["missed"]
    assert kpis["acceptance_rate"] == pytest.approx(totals["accepted"] / totals["dispatched"])
    assert kpis["turnout_rate"] == pytest.approx(totals["arrived"] / totals["dispatched"])
    assert kpis["on_time_rate"] == pytest.approx(totals["on_time"] / totals["arrived"])
    feedback_rate = totals["feedback"] / totals["dispatched"]
    assert kpis["feedback_rate"] == pytest.approx(feedback_rate)
    if totals["feedback"]:
        assert kpis["callback_rate"] == pytest.approx(totals["callback"] / totals["feedback"])
    else:
        assert pd.isna(kpis["callback_rate"])
