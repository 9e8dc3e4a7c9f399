"""The incident model (expected calls per day by channel and hazard) and the month-by-month generation that
writes incidents, their dispatches and information reports."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import Progress, insert_frame, normalised
from data.demo.dispatches import dispatches_for, reports_for
from data.demo.echoes import LINKED_DAYS, stage_current_events, with_echo_reports
from data.demo.lifecycle import complete_incidents
from data.demo.places import County


class IncidentModel:
    """Expected incidents per day for each (channel, hazard): volumes x mix x season x events."""

    def __init__(self, county: County, start: datetime, end: datetime, scale: float):
        self.county = county
        self.start, self.end = start, end
        self.days = pd.date_range(start.date(), end.date(), freq="D")
        months = self.days.month.to_numpy() - 1
        self.day_weight: dict[str, np.ndarray] = {}
        self.event_boost: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for hazard in cat.HAZARDS:
            w = np.asarray(cat.SEASON.get(hazard, [1.0] * 12))[months].astype(float)
            if hazard == "forest_fire":
                w = w * self._festival_boost()
            w = w * (1 + 0.04 * (self.days.year.to_numpy() - self.days.year[0]))  # slow growth in reporting
            self.day_weight[hazard] = w
        self.event_mask = self._event_days()
        self.rate: dict[tuple[str, str], np.ndarray] = {}
        for channel, volume in cat.CHANNEL_VOLUMES.items():
            for hazard, p in cat.HAZARD_MIX[channel].items():
                w = self.day_weight[hazard]
                self.rate[(channel, hazard)] = volume * scale * p * w / w.sum()

    def _festival_boost(self) -> np.ndarray:
        boost = np.ones(len(self.days))
        day_index = {d.date(): i for i, d in enumerate(self.days)}
        for sf in cat.SPRING_FESTIVAL:
            d0 = pd.Timestamp(sf)
            for k in range(-3, 12):
                i = day_index.get((d0 + pd.Timedelta(days=k)).date())
                if i is not None:
                    boost[i] = 2.5
        for y in range(self.days.year[0], self.days.year[-1] + 1):
            for k in range(-3, 4):
                i = day_index.get((pd.Timestamp(y, 4, cat.QINGMING_DAY) + pd.Timedelta(days=k)).date())
                if i is not None:
                    boost[i] = 3.0
        return boost

    def _event_days(self) -> list[dict]:
        events = []
        for ev in cat.EVENTS:
            first = pd.Timestamp(self.end.year - ev["years_back"], ev["month"], ev["day"])
            sel = (self.days >= first) & (self.days < first + pd.Timedelta(days=ev["days"]))
            if sel.any():
                tids = self.county.seats.loc[self.county.seats["name"].isin(ev["townships"]), "township_id"].to_numpy()
                events.append({**ev, "mask": np.asarray(sel), "township_ids": tids})
        return events


def _choose_villages(county: County, rng, hazard: str, channel: str, n: int) -> np.ndarray:
    pop = county.villages["population"].to_numpy().astype(float) + 30
    if channel == "city_mgmt":
        w = pop * county.v_urban  # digital city management covers the urban streets
    elif hazard in ("urban_mgmt", "livelihood"):
        w = pop * np.where(county.v_urban, 2.0, 0.6)
    elif hazard == "forest_fire":
        w = (county.v_remoteness + 4) * np.where(county.v_urban, 0.1, 1.0)
    elif hazard in ("flood", "typhoon"):
        w = (pop ** 0.5) / (0.5 + county.v_river_km)
    elif hazard == "geological":
        w = (county.v_remoteness + 3) * np.where(county.v_urban, 0.2, 1.0)
    else:
        w = pop
    return rng.choice(len(w), n, p=normalised(w))


def generate_month(county: County, model: IncidentModel, units: pd.DataFrame, sensors: pd.DataFrame,
                   day_slice: slice, rng, now: datetime, first_id: int) -> pd.DataFrame:
    """All incidents received in the given days, sorted by time, with ids from first_id."""
    frames = []
    days = model.days[day_slice]
    for (channel, hazard), rate in model.rate.items():
        lam = rate[day_slice].copy()
        boost_townships = []
        for ev in model.event_mask:
            mult = ev["boost"].get(hazard)
            if mult and channel != "city_mgmt":
                hit = ev["mask"][day_slice]
                extra = lam * hit * (mult - 1)
                boost_townships.append((extra, ev["township_ids"]))
        counts = rng.poisson(lam)
        n = int(counts.sum())
        day_of = np.repeat(np.arange(len(days)), counts)
        village = _choose_villages(county, rng, hazard, channel, n)
        for extra, tids in boost_townships:
            ec = rng.poisson(extra)
            if ec.sum():
                in_hit = np.flatnonzero(np.isin(county.v_township, tids))
                day_of = np.concatenate([day_of, np.repeat(np.arange(len(days)), ec)])
                village = np.concatenate([village, rng.choice(in_hit, int(ec.sum()))])
        if len(day_of) == 0:
            continue
        hours = rng.choice(24, len(day_of), p=normalised(cat.HOUR_PROFILE.get(hazard, cat.DEFAULT_HOUR_PROFILE)))
        secs = hours * 3600 + rng.integers(0, 3600, len(day_of))
        received = days.to_numpy()[day_of] + secs.astype("timedelta64[s]")
        frames.append(pd.DataFrame({"channel": channel, "hazard": hazard, "received_at": received,
                                    "village_idx": village}))
    if not frames:
        return pd.DataFrame()
    inc = pd.concat(frames, ignore_index=True)
    inc = inc[inc["received_at"] <= np.datetime64(now)].sort_values("received_at", kind="stable").reset_index(drop=True)
    return complete_incidents(county, units, sensors, inc, rng, now, first_id)


INCIDENT_COLUMNS = ["incident_id", "channel", "source_ref", "category", "hazard", "severity", "is_flagged", "status",
                    "received_at", "dispatched_at", "on_scene_at", "feedback_at", "callback_at", "closed_at",
                    "lon", "lat", "location_precision", "township_id", "village_id", "grid_cell_id", "address",
                    "caller_name", "caller_phone", "description", "device_id", "event_id"]


def generation_chunks(days: pd.DatetimeIndex, now: datetime) -> np.ndarray:
    """The key of each day's generation chunk: its calendar month, except that the live weeks (the linking
    window) form one last chunk. Live work is staged and echoed over that whole chunk, so on the 1st of a month
    the last fortnight still has its cross-channel reports."""
    live_start = (pd.Timestamp(now) - pd.Timedelta(days=LINKED_DAYS)).normalize()
    return np.where(days < live_start, days.strftime("%Y-%m"), "live")


def write_incidents(con, county: County, units: pd.DataFrame, sensors: pd.DataFrame, seed: int, scale: float,
                    now: datetime, progress: Progress) -> None:
    start = (pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)).normalize().to_pydatetime()
    model = IncidentModel(county, start, now, scale)
    limits = {(int(a), b): int(c) for a, b, c in
              con.execute("SELECT linkage_level, category, arrive_minutes FROM dispatch_time_limits").fetchall()}
    rules = {int(s): (a, b, c) for s, a, b, c in con.execute("SELECT * FROM report_rules").fetchall()}
    months = pd.Series(np.arange(len(model.days)), index=model.days).groupby(generation_chunks(model.days, now),
                                                                              sort=False)
    next_incident, next_dispatch, report_rows = 1, 1, []
    n_months = len(months)
    for k, (_, idx) in enumerate(months):
        rng = np.random.default_rng([seed, k])  # per-month stream: chunks are independent and reproducible
        inc = generate_month(county, model, units, sensors, slice(int(idx.iloc[0]), int(idx.iloc[-1]) + 1),
                             rng, now, next_incident)
        if len(inc) and k == n_months - 1:
            inc = with_echo_reports(stage_current_events(inc, now), now)
        if len(inc):
            insert_frame(con, "incidents", inc[INCIDENT_COLUMNS])
            disp = dispatches_for(inc, units, limits, rng, now, next_dispatch)
            insert_frame(con, "dispatches", disp, geom_sql="")
            report_rows.extend(reports_for(inc, rules, rng, now))
            next_incident += len(inc)
            next_dispatch += len(disp)
        progress(0.25 + 0.6 * (k + 1) / n_months, f"incidents {next_incident - 1:,}")
    reports = pd.DataFrame(report_rows)
    reports.insert(0, "report_id", np.arange(1, len(reports) + 1))
    reports["author"] = "县联合值班室"
    reports["summary"] = None
    insert_frame(con, "info_reports", reports, geom_sql="")
