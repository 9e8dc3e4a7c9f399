"""The page data paths the benchmark times: the same named queries (and payload builders) the pages call.

Each path: run(con, variant) does the page's work for one filter variant; floor(con, variant) is the bare
DuckDB scan-and-count over the same rows (the best any page could do); peer names the bench/peer.py path
doing the same job the tutorial way (None: no tutorial equivalent)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from queries import runner

FLOOR_SQL = ("SELECT count(*) FROM incidents WHERE received_at >= $start AND received_at < $end "
             "AND (len($hazards::VARCHAR[]) = 0 OR list_contains($hazards::VARCHAR[], hazard))")


def floor_count(con, v) -> int:
    return con.execute(FLOOR_SQL, {"start": v["start"], "end": v["end"], "hazards": v["hazards"]}).fetchone()[0]


def analysis_params(v: dict) -> dict:
    """The analysis page's filter parameters for a variant (everything else 'all')."""
    return {"start": v["start"], "end": v["end"], "now": v["end"], "hazards": v["hazards"], "townships": [],
            "grid_cells": [], "channels": [], "statuses": [], "severities": [], "hours": [], "weekdays": [],
            "text": "", "overdue_only": False}


def _query(name: str, params: Callable[[dict], dict]) -> Callable:
    def run(con, v):
        return runner.run(con, name, **params(v))
    run.__name__ = name
    return run


@dataclass
class Path:
    name: str
    run: Callable
    peer: str | None = None
    floor: Callable = floor_count
    requires: tuple[str, ...] = ()  # named queries that must exist (a page not built yet is skipped, and said so)


def daily_report(con, v):
    """The whole daily report for the variant's last day (every section's queries; no document rendering)."""
    from reports import daily_report as dr
    return dr.build(con, v["end"].date(), v["end"])


def risk_cells(con, v):
    from config import risk_config
    hazard = {"flood": "flood", "forest_fire": "forest_fire", "geological": "geological"}.get(
        (v["hazards"] or ["all"])[0], "all")
    return runner.run(con, "risk_cells", **risk_config.risk_params(hazard, v["end"]))


def coverage(con, v):
    from config import risk_config
    return runner.run(con, "coverage_villages", township_id=None, **risk_config.coverage_params(None))


def decision_aid(con, v):
    """Suggested teams and the affected area for the newest serious incident of the window."""
    from config import risk_config
    row = con.execute("SELECT incident_id, hazard, severity FROM incidents WHERE received_at >= $start AND "
                      "received_at < $end ORDER BY severity, received_at DESC LIMIT 1",
                      {"start": v["start"], "end": v["end"]}).fetchone()
    if row is None:
        return None
    incident_id, hazard, severity = row
    runner.run(con, "decision_suggested_teams", incident_id=incident_id, **risk_config.team_params(hazard, severity))
    return runner.run(con, "decision_affected_summary", incident_id=incident_id,
                      radius_m=risk_config.affected_radius_m(hazard, severity))


def all_paths() -> list[Path]:
    from bench import map_path  # imported late: it pulls pydeck and the layers
    return [
        Path("onemap.map", map_path.onemap_map_payload, peer="map"),
        Path("onemap.deck", map_path.onemap_deck_payload),
        Path("onemap.kpi", _query("onemap_kpis", lambda v: {"start": v["start"], "end": v["end"], "now": v["end"]})),
        Path("analysis.summary", _query("analysis_summary", analysis_params), requires=("analysis_summary",)),
        Path("analysis.over_time", _query("analysis_over_time", lambda v: {**analysis_params(v), "granularity": "day"}),
             peer="over_time", requires=("analysis_over_time",)),
        Path("analysis.by_township", _query("analysis_by_township", analysis_params), peer="by_township",
             requires=("analysis_by_township",)),
        Path("analysis.response_times", _query("analysis_response_times",
                                               lambda v: {**analysis_params(v), "max_units": 20, "min_dispatches": 5}),
             peer="response_times",
             requires=("analysis_response_times",)),
        Path("daily_report.build", daily_report),
        Path("risk.cells", risk_cells),
        Path("resources.coverage", coverage),
        Path("resources.decision_aid", decision_aid),
    ]


def available(path: Path) -> bool:
    names = set(runner.query_names())
    return all(r in names for r in path.requires)
