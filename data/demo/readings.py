"""Reservoir levels and flows every 6 hours over the history, hourly for the last 30 days."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import insert_frame
from data.domain import FLOOD_SEASON


def flood_season_mask(times: pd.DatetimeIndex) -> np.ndarray:
    """domain.in_flood_season for each time, by (month, day) so leap years keep the same calendar days."""
    (m0, d0), (m1, d1) = FLOOD_SEASON
    month_day = times.month.to_numpy() * 100 + times.day.to_numpy()
    return (month_day >= m0 * 100 + d0) & (month_day <= m1 * 100 + d1)


def write_reservoir_readings(con, reservoirs: pd.DataFrame, events: list[dict], seed: int, now: datetime) -> None:
    rng = np.random.default_rng([seed, 9001])
    start = pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)
    recent = pd.Timestamp(now) - pd.Timedelta(days=30)
    times = pd.DatetimeIndex(list(pd.date_range(start.floor("6h"), recent, freq="6h", inclusive="left")) +
                             list(pd.date_range(recent.ceil("h"), pd.Timestamp(now).floor("h"), freq="h")))
    in_flood_season = flood_season_mask(times)
    frames = []
    for r in reservoirs.itertuples():
        target = np.where(in_flood_season, r.flood_limit_level_m - 0.6, r.normal_level_m - 0.8)
        level = target + np.cumsum(rng.normal(0, 0.02, len(times)))
        level = target + (level - target) * 0.3
        for ev in events:
            first = pd.Timestamp(now.year - ev["years_back"], ev["month"], ev["day"])
            rise = np.clip((times - first) / pd.Timedelta(days=1), 0, None)
            pulse = np.where(rise > 0, rise * np.exp(1 - rise / 1.5) / 1.5, 0)
            level = level + pulse * (1.6 if ev["years_back"] == 1 else 1.0)
        level = np.clip(level, r.dead_level_m + 1, r.check_flood_level_m - 0.2)
        inflow = np.clip(20 + (level - target) * 60 + rng.normal(0, 5, len(times)), 0, None) * r.capacity_mcm / 78
        outflow = np.clip(inflow * rng.uniform(0.6, 1.0, len(times)), 0, None)
        frames.append(pd.DataFrame({"reservoir_id": r.reservoir_id, "observed_at": times, "level_m": level.round(2),
                                    "inflow_m3s": inflow.round(1), "outflow_m3s": outflow.round(1)}))
    insert_frame(con, "reservoir_readings", pd.concat(frames, ignore_index=True), geom_sql="")
