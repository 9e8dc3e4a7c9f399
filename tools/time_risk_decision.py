"""Time the coverage, decision-aid and risk queries on a database: python -m tools.time_risk_decision --db PATH

Opens the file read-only, takes the newest flood incident of severity I-III (or any newest incident) as the
"selected incident", and prints the median of --repeat warm runs after one cold run for each step."""
from __future__ import annotations

import argparse
import statistics
import time

from config import risk_config
from data import db
from queries import runner


def _timed(fn, repeat: int) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    con = db.connect(args.db, read_only=True)
    incidents, as_of = con.execute("SELECT count(*), max(received_at) FROM incidents").fetchone()
    row = con.execute("SELECT incident_id FROM incidents WHERE hazard = 'flood' AND severity <= 3 "
                      "ORDER BY received_at DESC LIMIT 1").fetchone() or \
        con.execute("SELECT incident_id FROM incidents ORDER BY received_at DESC LIMIT 1").fetchone()
    incident = runner.run(con, "decision_incident", incident_id=row[0]).iloc[0]
    cfg = risk_config.load()
    severity = int(incident.severity)
    radius_m = risk_config.affected_radius_m(incident.hazard, severity, cfg)
    lon, lat = float(incident.lon), float(incident.lat)

    def decision_aid():
        runner.run(con, "decision_incident", incident_id=int(incident.incident_id))
        runner.run(con, "decision_suggested_teams", incident_id=int(incident.incident_id),
                   **risk_config.team_params(incident.hazard, severity, cfg))
        runner.run(con, "decision_affected_summary", incident_id=int(incident.incident_id), radius_m=radius_m)
        runner.run(con, "decision_affected_area", incident_id=int(incident.incident_id), radius_m=radius_m)
        runner.run(con, "decision_affected_cells", incident_id=int(incident.incident_id), radius_m=radius_m)
        runner.run(con, "nearby_cameras", lon=lon, lat=lat, radius_m=radius_m)
        similar = runner.run(con, "similar_incidents", lon=lon, lat=lat, hazard=incident.hazard,
                             radius_km=float(cfg["decision"]["similar_radius_km"]),
                             at=incident.received_at.to_pydatetime(), limit=int(cfg["decision"]["similar_limit"]))
        runner.run(con, "decision_case_handling", incident_ids=[int(i) for i in similar["incident_id"]])

    villages = con.execute("SELECT count(*) FROM villages").fetchone()[0]
    steps = {
        f"coverage of {villages} villages": lambda: runner.run(con, "coverage_villages", township_id=None,
                                                               **risk_config.coverage_params(None, cfg)),
        f"decision aid for incident {incident.incident_id} ({incident.hazard}, severity {severity})": decision_aid,
    }
    for hazard in risk_config.RISK_HAZARDS:
        steps[f"risk_cells {hazard}"] = (lambda h=hazard: runner.run(con, "risk_cells",
                                                                     **risk_config.risk_params(h, as_of, cfg)))
    print(f"{args.db}: {incidents:,} incidents")
    for name, fn in steps.items():
        cold, warm = _timed(fn, args.repeat)
        print(f"  {name:<60} cold {cold * 1000:8.1f} ms   warm median {warm * 1000:8.1f} ms")
    con.close()


if __name__ == "__main__":
    main()
