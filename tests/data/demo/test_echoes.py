"""The live weeks of the demo (data/demo/echoes.py): work left in hand at now, and echo reports."""
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from data.demo import echoes


def test_staged_events_leave_live_work_at_now():
    """The latest natural-hazard call of the last hours becomes an open serious incident whose first report
    is held back; times after its current step are cleared so the status lifecycle stays consistent."""
    now = datetime(2026, 11, 24, 14, 0)
    t = lambda minutes: pd.Timestamp(now - timedelta(minutes=minutes))  # noqa: E731
    inc = pd.DataFrame({
        "hazard": ["forest_fire", "traffic", "flood", "geological"],
        "channel": ["grid", "police_110", "police_110", "police_110"],
        "unit_idx": [3, 4, 5, 6], "severity": [4, 4, 4, 4], "is_flagged": [False] * 4, "status": ["closed"] * 4,
        "received_at": [t(200), t(100), t(60), t(20)],  # the geological call is too fresh to stage
        "on_scene_at": [t(180), t(90), t(40), pd.NaT], "feedback_at": [t(150), t(80), t(30), pd.NaT],
        "callback_at": [t(100), t(50), t(10), pd.NaT], "closed_at": [t(90), t(40), t(5), pd.NaT],
    })
    staged = echoes.stage_current_events(inc, now)
    flood, fire = staged.iloc[2], staged.iloc[0]
    assert (flood["severity"], flood["status"], bool(flood["first_report_held"])) == (2, "on_scene", True)
    assert pd.isna(flood["closed_at"]) and pd.isna(flood["feedback_at"])
    assert (fire["severity"], bool(fire["is_flagged"]), fire["status"]) == (3, True, "on_scene")
    assert staged.iloc[1]["status"] == "closed" and staged.iloc[3]["severity"] == 4


def test_echo_reports_come_from_the_other_channel_nearby_and_closed_as_duplicates():
    """Every 8th recent 110/grid hazard call, and each staged one, is reported again by the other channel a few
    minutes later and a few hundred metres off; the month stays in time order, numbered from its first id."""
    now = datetime(2026, 11, 24, 14, 0)
    n = 40
    inc = pd.DataFrame({
        "incident_id": np.arange(1001, 1001 + n), "hazard": ["forest_fire", "urban_mgmt"] * (n // 2),
        "channel": ["police_110", "grid", "grid", "hotline_96345"] * (n // 4),
        "received_at": [pd.Timestamp(now - timedelta(hours=3 * (n - k))) for k in range(n)],
        "lon": 119.06, "lat": 27.62, "severity": 4, "is_flagged": False, "status": "closed", "unit_idx": 2,
        "source_ref": [f"R{k}" for k in range(n)], "first_report_held": False, "staged": False,
        "dispatched_at": pd.NaT, "on_scene_at": pd.NaT, "feedback_at": pd.NaT, "callback_at": pd.NaT,
        "closed_at": pd.NaT})
    inc.loc[37, "staged"] = True  # urban_mgmt is no natural hazard: only staging brings its echo
    out = echoes.with_echo_reports(inc, now)
    echoed = out[~out["source_ref"].isin(inc["source_ref"])]
    hazard_calls = inc[inc["hazard"].eq("forest_fire") & inc["channel"].isin(["police_110", "grid"])]
    assert len(echoed) == len(hazard_calls.iloc[::echoes.ECHO_EVERY]) + 1
    assert out["received_at"].is_monotonic_increasing
    assert out["incident_id"].tolist() == list(range(1001, 1001 + len(out)))
    assert set(echoed["status"]) == {"closed"} and echoed["unit_idx"].eq(-1).all() and echoed["severity"].eq(4).all()
    assert echoed["source_ref"].is_unique
    for e in echoed.itertuples():  # each pairs with an original of the same hazard on the other channel
        orig = inc[(inc["hazard"] == e.hazard) & (inc["channel"] != e.channel)
                   & (e.received_at - inc["received_at"]).between(pd.Timedelta(minutes=4), pd.Timedelta(minutes=15))]
        assert len(orig) == 1
        metres = np.hypot((e.lon - orig["lon"].iloc[0]) * 98_600, (e.lat - orig["lat"].iloc[0]) * 110_540)
        assert 50 < metres < 400
