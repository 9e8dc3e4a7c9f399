"""People correct the import's cross-channel links (data/ingest/link.py): link() joins reports into one event,
split() takes one report out of its event.

How the events rows are kept (schema.sql section event_links):
- an event's row is recomputed from its reports after every change, as the import computes it: first_at /
  last_at, the mean position, report_count, the sorted channels; hazard_family is the lead (earliest) report's;
- an event left with fewer than two reports is dissolved: its last report is unlinked (event_id NULL; its version
  is bumped and the change logged, since its event changed under it) and the events row stays with dissolved_at
  set and report_count 0, so the id is never reused for another event;
- link() moves only the reports it is given: a report taken from another event leaves that event's other
  reports where they are (that event may be dissolved); to merge two events, link their reports;
- a report split off is held in event_splits, which the import's linking respects (never linked again by the
  rule); a person's link() lifts the hold.

Each action is one transaction: every changed report's version is checked (IncidentConflict for a stale one) and
bumped, and an incident_actions row ("link" / "split", changes {"event_id": [before, after]}) and an audit row
written per changed report, through data/incident_ops."""
from __future__ import annotations

from data import incident_ops as ops
from data.clock import now
from data.incident_ops import Actor, IncidentConflict, OpsError

__all__ = ["Actor", "IncidentConflict", "OpsError", "link", "split", "event_reports"]


def _families() -> dict[str, str]:
    from data.ingest import mapping
    return dict(mapping.linking()["families"])


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OpsError("reason_required")
    return reason


def _report(cur, incident_id: int) -> tuple[int | None, int]:
    row = cur.execute("SELECT event_id, coalesce(version, 1) FROM incidents WHERE incident_id = ?",
                      [int(incident_id)]).fetchone()
    if row is None:
        raise OpsError("no_incident", incident=incident_id)
    return (None if row[0] is None else int(row[0])), int(row[1])


def _check_version(cur, incident_id: int, expected: int, current: int) -> None:
    """A report the action names but does not change must still be the version the user read."""
    if int(expected) != current:
        raise IncidentConflict(int(incident_id), int(expected), current,
                               ops._since(cur, incident_id, int(expected)))


def _move(cur, actor: Actor, incident_id: int, action: str, before: int | None, after: int | None,
          expected_version: int, reason: str) -> int:
    version = ops.bump_version(cur, incident_id, expected_version)
    cur.execute("UPDATE incidents SET event_id = ? WHERE incident_id = ?", [after, int(incident_id)])
    ops.log_action(cur, incident_id, action, actor, version, reason=reason, changes={"event_id": [before, after]})
    return version


def _refresh(cur, actor: Actor, event_id: int, reason: str) -> None:
    """The events row from its reports now; dissolved when fewer than two are left (see the module's doc)."""
    members = cur.execute("SELECT incident_id, coalesce(version, 1), hazard FROM incidents WHERE event_id = ? "
                          "ORDER BY received_at, incident_id", [int(event_id)]).fetchall()
    if len(members) < 2:
        for incident_id, version, _ in members:
            _move(cur, actor, incident_id, "split", int(event_id), None, version, reason)
        cur.execute("UPDATE events SET report_count = 0, channels = [], dissolved_at = ? WHERE event_id = ?",
                    [now(), int(event_id)])
        return
    lead_hazard = members[0][2]
    family = _families().get(lead_hazard, lead_hazard)
    shape = """SELECT min(received_at), max(received_at), avg(lon), avg(lat), count(*),
                      list(DISTINCT channel ORDER BY channel) FROM incidents WHERE event_id = ?"""
    first_at, last_at, lon, lat, count, channels = cur.execute(shape, [int(event_id)]).fetchone()
    values = [family, first_at, last_at, lon, lat, count, channels]
    exists = cur.execute("SELECT count(*) FROM events WHERE event_id = ?", [int(event_id)]).fetchone()[0]
    if exists:
        cur.execute("UPDATE events SET hazard_family = ?, first_at = ?, last_at = ?, lon = ?, lat = ?, "
                    "report_count = ?, channels = ?, dissolved_at = NULL WHERE event_id = ?", [*values, int(event_id)])
    else:
        cur.execute("INSERT INTO events (event_id, hazard_family, first_at, last_at, lon, lat, report_count, channels)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [int(event_id), *values])


def link(con, actor: Actor, incident_ids, expected_versions: dict[int, int], reason: str) -> int:
    """Join the reports into one event: the lowest-numbered event one of them already belongs to (the import's
    rule), else a new one. expected_versions: incident id -> the version the user read, for every report named.
    Returns the event id."""
    ids = list(dict.fromkeys(int(i) for i in incident_ids))
    if len(ids) < 2:
        raise OpsError("link_needs_two")
    versions = {int(k): int(v) for k, v in expected_versions.items()}
    if missing := [i for i in ids if i not in versions]:
        raise OpsError("no_version", incident=missing[0])
    reason = _reason(reason)

    def work(cur):
        current = {i: _report(cur, i) for i in ids}
        existing = sorted({ev for ev, _ in current.values() if ev is not None})
        if len(existing) == 1 and all(ev == existing[0] for ev, _ in current.values()):
            raise OpsError("already_linked", event=existing[0])
        # A dissolved event keeps its row, so max() over events never hands out an id that history names.
        target = existing[0] if existing else int(
            cur.execute("SELECT coalesce(max(event_id), 0) + 1 FROM events").fetchone()[0])
        left = set()
        for incident_id in ids:
            before, version = current[incident_id]
            if before == target:
                _check_version(cur, incident_id, versions[incident_id], version)
                continue
            _move(cur, actor, incident_id, "link", before, target, versions[incident_id], reason)
            if before is not None:
                left.add(before)
        # A person's link overrides an earlier split: the import may treat the report like any other again.
        cur.execute("DELETE FROM event_splits WHERE list_contains(?, incident_id)", [ids])
        _refresh(cur, actor, target, reason)
        for event_id in sorted(left):
            _refresh(cur, actor, event_id, reason)
        return target
    return ops._transaction(con, work)


def split(con, actor: Actor, incident_id: int, expected_version: int, reason: str) -> int:
    """Take the report out of its event, for good as far as the import goes (event_splits). Returns the report's
    new version. The event's row is recomputed; left with one report it is dissolved."""
    reason = _reason(reason)

    def work(cur):
        event_id, _ = _report(cur, incident_id)
        if event_id is None:
            raise OpsError("not_linked", incident=incident_id)
        version = _move(cur, actor, incident_id, "split", event_id, None, expected_version, reason)
        cur.execute("DELETE FROM event_splits WHERE incident_id = ?", [int(incident_id)])
        cur.execute("INSERT INTO event_splits (incident_id, from_event_id, split_at, username, reason) "
                    "VALUES (?, ?, ?, ?, ?)", [int(incident_id), event_id, now(), actor.username, reason])
        _refresh(cur, actor, event_id, reason)
        return version
    return ops._transaction(con, work)


def event_reports(con, incident_id: int) -> list[dict]:
    """The reports of the incident's event (the incident alone when unlinked), oldest first, with their versions."""
    rows = con.execute("""
        SELECT r.incident_id, r.channel, r.source_ref, r.received_at, r.status, coalesce(r.version, 1), r.event_id
        FROM incidents i JOIN incidents r
          ON r.incident_id = i.incident_id OR (i.event_id IS NOT NULL AND r.event_id = i.event_id)
        WHERE i.incident_id = ? ORDER BY r.received_at, r.incident_id""", [int(incident_id)]).fetchall()
    keys = ("incident_id", "channel", "source_ref", "received_at", "status", "version", "event_id")
    return [dict(zip(keys, r)) for r in rows]
