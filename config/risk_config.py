"""Loads config/risk_weights.toml and turns it into the $parameters of the risk_, decision_ and coverage_ queries.

One file holds every weight and radius so an analyst can retune without touching SQL. Pure Python (no
Streamlit): the pages, the tests and the benchmark all take their parameters from here."""
from __future__ import annotations

import os
import tomllib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from settings import merge

DEFAULT_FILE = Path(__file__).resolve().parent / "risk_weights.toml"

CONFIG_ENV = "ONEMAP_RISK_CONFIG"
RISK_HAZARDS = ("flood", "geological", "forest_fire", "all")
COMPONENTS = ("history", "reservoir", "geo_points", "alarms", "population")


@lru_cache(maxsize=4)
def load(path: str | None = None) -> dict:
    """The shipped file, overlaid by ONEMAP_RISK_CONFIG (or path) when given; weights are checked."""
    with DEFAULT_FILE.open("rb") as fh:
        cfg = tomllib.load(fh)
    chosen = path or os.environ.get(CONFIG_ENV)
    if chosen:
        with Path(chosen).open("rb") as fh:
            cfg = merge(cfg, tomllib.load(fh))
    for hazard in RISK_HAZARDS:
        weights = cfg["risk"]["weights"][hazard]
        if (any(float(weights.get(c, 0)) < 0 for c in COMPONENTS)
                or sum(float(weights.get(c, 0)) for c in COMPONENTS) <= 0):
            raise ValueError(f"risk weights for {hazard!r} must be >= 0 and not all 0: {weights}")
    return cfg


def weights(hazard: str, cfg: dict | None = None) -> dict[str, float]:
    cfg = cfg or load()
    if hazard not in RISK_HAZARDS:
        raise ValueError(f"unknown risk hazard {hazard!r}; expected one of {RISK_HAZARDS}")
    raw = cfg["risk"]["weights"][hazard]
    return {c: float(raw.get(c, 0.0)) for c in COMPONENTS}


def risk_params(hazard: str, as_of: datetime, cfg: dict | None = None) -> dict:
    """$parameters of risk_cells.sql for one hazard as it stood at as_of (everything strictly before it)."""
    cfg = cfg or load()
    r = cfg["risk"]
    w = weights(hazard, cfg)
    return {
        "as_of": as_of,
        "hazards": list(r["incident_hazards"][hazard]),
        "history_years": int(r["history_years"]),
        "season_halfwidth_days": float(r["season_halfwidth_days"]),
        "alarm_days": int(r["alarm_days"]),
        "alarm_saturation": float(r["alarm_saturation"]),
        "reservoir_radius_m": float(r["reservoir_radius_km"]) * 1000.0,
        "reservoir_lookback_days": int(r["reservoir_lookback_days"]),
        **{f"w_{c}": w[c] for c in COMPONENTS},
    }


def travel_params(cfg: dict | None = None) -> dict:
    d = (cfg or load())["decision"]
    return {"detour": float(d["detour_factor"]), "speed_kmh": float(d["speed_kmh"])}


def fitting_specialties(hazard: str, cfg: dict | None = None) -> list[str]:
    """Specialties that fit a hazard; empty list = no preference (any team)."""
    return list((cfg or load())["decision"]["specialties"].get(hazard, []))


def headcount_need(severity: int, cfg: dict | None = None) -> int:
    return int((cfg or load())["decision"]["headcount_need"][str(int(severity))])


def affected_radius_m(hazard: str, severity: int, cfg: dict | None = None) -> float:
    radii = (cfg or load())["decision"]["radius_km"]
    table = radii.get(hazard, radii["default"])
    return float(table[str(int(severity))]) * 1000.0


def team_params(hazard: str, severity: int, cfg: dict | None = None) -> dict:
    """$parameters of decision_suggested_teams.sql (besides $incident_id)."""
    cfg = cfg or load()
    return {"specialties": fitting_specialties(hazard, cfg), "need": headcount_need(severity, cfg),
            "max_teams": int(cfg["decision"]["max_teams"]), **travel_params(cfg)}


def coverage_params(reach_minutes: float | None = None, cfg: dict | None = None) -> dict:
    """$parameters of coverage_villages.sql."""
    cfg = cfg or load()
    minutes = float(cfg["coverage"]["reach_minutes"] if reach_minutes is None else reach_minutes)
    if minutes <= 0:
        raise ValueError("reach must be a positive number of minutes")
    return {"specialties": list(cfg["coverage"]["specialties"]), "reach_min": minutes, **travel_params(cfg)}
