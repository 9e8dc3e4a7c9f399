"""Dispatches to linkage units and the information reports (首报 / 续报 / 终报) of major incidents."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd


def dispatches_for(inc: pd.DataFrame, units: pd.DataFrame, limits: dict, rng, now: datetime,
                   first_id: int) -> pd.DataFrame:
    """One dispatch per dispatched incident (plus the emergency management bureau for major ones)."""
    d = inc[inc["unit_idx"] >= 0]
    major = d[(d["severity"] <= 2) | d["is_flagged"]]
    u = units.iloc[d["unit_idx"].to_numpy()]
    primary = pd.DataFrame({
        "incident_id": d["incident_id"].to_numpy(), "unit_id": u["unit_id"].to_numpy(),
        "level": u["linkage_level"].to_numpy(), "category": d["category"].to_numpy(),
        "assigned_at": d["dispatched_at"].to_numpy(), "arrived_at": d["on_scene_at"].to_numpy(),
        "feedback_at": d["feedback_at"].to_numpy(), "callback_at": d["callback_at"].to_numpy()})
    # Major incidents also go to the emergency management bureau (multi-department linkage).
    bureau = int(units.loc[units["role"] == "emergency", "unit_id"].iloc[0])
    major = major[units["unit_id"].to_numpy()[major["unit_idx"].to_numpy()] != bureau]
    extra = pd.DataFrame({
        "incident_id": major["incident_id"].to_numpy(), "unit_id": bureau,
        "level": 1, "category": major["category"].to_numpy(), "assigned_at": major["dispatched_at"].to_numpy(),
        "arrived_at": (major["on_scene_at"] + pd.to_timedelta(rng.integers(5, 40, len(major)), unit="m")).to_numpy(),
        "feedback_at": major["feedback_at"].to_numpy(), "callback_at": major["callback_at"].to_numpy()})
    primary["travel_km"] = d["travel_km"].to_numpy()
    extra["travel_km"] = 0.0
    out = pd.concat([primary, extra], ignore_index=True)
    out = out[~pd.isna(out["assigned_at"])].reset_index(drop=True)
    limit = np.array([limits[(lv, c)] for lv, c in zip(out["level"], out["category"])])
    # Remote allowance: 1.5 extra minutes per km beyond 8 km of mountain road from the unit's base.
    allowance = 1.5 * np.clip(out["travel_km"].to_numpy() - 8, 0, None)
    out["deadline_at"] = out["assigned_at"] + pd.to_timedelta(limit + allowance, unit="m")
    acc = out["assigned_at"] + pd.to_timedelta(rng.integers(1, 6, len(out)), unit="m")
    out["accepted_at"] = acc.where((acc <= now) & (rng.random(len(out)) > 0.003))
    out["arrived_at"] = out["arrived_at"].where(out["arrived_at"] <= now)
    out["arrived_at"] = out["arrived_at"].where(out["arrived_at"].isna() | (out["arrived_at"] >= out["assigned_at"]),
                                                out["assigned_at"])
    out.insert(0, "dispatch_id", np.arange(first_id, first_id + len(out), dtype=np.int64))
    return out[["dispatch_id", "incident_id", "unit_id", "assigned_at", "accepted_at", "deadline_at", "arrived_at",
                "feedback_at", "callback_at"]]


def reports_for(inc: pd.DataFrame, rules: dict, rng, now: datetime) -> list[dict]:
    """首报 / 续报 / 终报 for major incidents (severity I-II or flagged), some of them late."""
    rows = []
    major = inc[(inc["severity"] <= 2) | inc["is_flagged"]]
    for r in major.itertuples():
        first_min, follow_h, final_d = rules[int(r.severity)]
        recv = pd.Timestamp(r.received_at)
        due = recv + pd.Timedelta(minutes=first_min)
        sent = recv + pd.Timedelta(minutes=float(rng.lognormal(np.log(first_min * 0.7), 0.45)))
        held = bool(getattr(r, "first_report_held", False))  # staged: the duty desk has one to chase
        rows.append({"incident_id": r.incident_id, "kind": "first", "seq": 1, "due_at": due,
                     "sent_at": sent if sent <= now and not held else None})
        end = pd.Timestamp(r.closed_at) if not pd.isna(r.closed_at) else pd.Timestamp(now)
        k = 1
        while recv + pd.Timedelta(hours=follow_h * k) < end and k <= 10:
            due = recv + pd.Timedelta(hours=follow_h * k)
            sent = (due - pd.Timedelta(hours=float(rng.uniform(0.5, 6)))
                    + pd.Timedelta(hours=float(rng.exponential(1.0))))
            rows.append({"incident_id": r.incident_id, "kind": "follow_up", "seq": k, "due_at": due,
                         "sent_at": sent if sent <= now and rng.random() > 0.05 else None})
            k += 1
        if not pd.isna(r.closed_at):
            closed = pd.Timestamp(r.closed_at)
            due = closed + pd.Timedelta(days=final_d)
            sent = closed + pd.Timedelta(hours=float(rng.lognormal(np.log(48), 0.6)))
            rows.append({"incident_id": r.incident_id, "kind": "final", "seq": 1, "due_at": due,
                         "sent_at": sent if sent <= now else None})
    return rows
