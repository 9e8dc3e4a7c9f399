"""The live weeks: work still in hand at the demo's now, and echo reports (one happening reported again from
another channel) for the import's linking rule to join."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

ECHO_EVERY = 8  # of the last fortnight's natural-hazard and traffic calls, every 8th is also reported elsewhere
LINKED_DAYS = 30  # the live weeks the build links into events, as an import would have


def stage_current_events(inc: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Leave live work at the demo's 'now', as a command centre always has: the latest natural-hazard call of
    the last few hours becomes a serious (II) incident still being handled whose first report is not yet
    sent, and the one before it a flagged III incident. Times after the current step are cleared."""
    now_ts = pd.Timestamp(now)
    recent = inc[inc["hazard"].isin(["forest_fire", "geological", "flood"]) & (inc["unit_idx"] >= 0)
                 & inc["channel"].isin(["police_110", "grid"])
                 & (inc["received_at"] <= now_ts - pd.Timedelta(minutes=35))
                 & (inc["received_at"] >= now_ts - pd.Timedelta(hours=6))].sort_values("received_at")
    inc = inc.copy()
    inc["first_report_held"] = False
    inc["staged"] = False
    for idx, (severity, flagged, held) in zip(recent.index[::-1][:2], [(2, False, True), (3, True, False)]):
        inc.loc[idx, ["severity", "is_flagged", "first_report_held", "staged"]] = [severity, flagged, held, True]
        inc.loc[idx, ["feedback_at", "callback_at", "closed_at"]] = pd.NaT
        inc.loc[idx, "status"] = "on_scene" if not pd.isna(inc.loc[idx, "on_scene_at"]) else "dispatched"
    return inc


def with_echo_reports(inc: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The month's incidents with echo_reports added, in time order and numbered again from the first id
    (incidents are stored and numbered by received_at: zone maps prune time windows)."""
    first_id = int(inc["incident_id"].min())
    staged = inc.index[inc["staged"]] if "staged" in inc else inc.index[:0]
    inc = pd.concat([inc, echo_reports(inc, staged, now)]).sort_values("received_at", kind="stable")
    inc["incident_id"] = first_id + np.arange(len(inc))
    return inc.reset_index(drop=True)


def echo_reports(inc: pd.DataFrame, staged: pd.Index, now: datetime) -> pd.DataFrame:
    """Second reports of one happening from another channel, as the 1+N platform sees them: a grid reporter
    after a 110 call or the other way round, 4-15 minutes later and a few hundred metres off. The duty desk
    closes them as duplicates at once (no dispatch, no information reports); the import's linking rule later
    joins them to the first report's event. The staged incidents (index `staged`) always get one."""
    now_ts = pd.Timestamp(now)
    recent = inc[inc["hazard"].isin(["forest_fire", "geological", "flood", "traffic"])
                 & inc["channel"].isin(["police_110", "grid"])
                 & (inc["received_at"] >= now_ts - pd.Timedelta(days=14))
                 & (inc["received_at"] <= now_ts - pd.Timedelta(minutes=20))].sort_values("received_at")
    picked = recent.index[::ECHO_EVERY].union(staged)
    e = inc.loc[picked].copy()
    if e.empty:
        return e
    k = np.arange(len(e))
    e["incident_id"] = int(inc["incident_id"].max()) + 1 + k
    e["channel"] = np.where(e["channel"] == "grid", "police_110", "grid")
    e["received_at"] = e["received_at"] + pd.to_timedelta(4 + k % 12, unit="min")
    e["closed_at"] = e["received_at"] + pd.Timedelta(minutes=3)
    e[["dispatched_at", "on_scene_at", "feedback_at", "callback_at"]] = pd.NaT
    e["status"], e["severity"], e["is_flagged"], e["unit_idx"] = "closed", 4, False, -1
    e["first_report_held"], e["staged"] = False, False
    e["lon"] = e["lon"] + np.where(k % 2, 0.002, -0.0015)  # ~150-200 m
    e["lat"] = e["lat"] + np.where(k % 3, 0.0012, -0.001)
    prefix = np.where(e["channel"] == "grid", "WG-331126-", "QY110-")
    e["source_ref"] = [f"{p}{t:%Y%m%d}-{i}" for p, t, i in zip(prefix, e["received_at"], e["incident_id"])]
    return e
