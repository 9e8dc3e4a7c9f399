"""The duty room's work on an incident, from the first call to closing (统一接警、分级研判、分类指派、限时处置、
反馈回访、办结): record a call, grade, judge an alarm, dispatch to linkage units with their time limits, record each
unit's accepted / arrived / feedback / callback, reassign, close.

Every action:
- names who did it (Actor) and is kept in incident_actions with the fields it changed ({field: [before, after]});
- is audited (accounts.audit; action "incident_<action>");
- carries the incident version the user read: a stale one is refused with IncidentConflict, which lists what
  changed meanwhile (no silent lost update). Every change bumps incidents.version.
Times come from data.clock; overdue is computed from dispatches.deadline_at, never typed. Status and the
incident's step times follow its dispatches (derive_status): the first assignment is dispatched_at, the first
arrival on_scene_at, and so on."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from data import accounts, db
from data.clock import now

SEVERITIES = (1, 2, 3, 4)
VERDICTS = ("confirmed", "false")
STEPS = ("accepted", "arrived", "feedback", "callback")   # a dispatch's steps, in order
# Channels whose records are machine alarms a person confirms or marks false (误报).
ALARM_CHANNELS = ("iot_sensor", "ai_video")
FALSE_ALARM_RESULT = "false_alarm"
STOOD_DOWN = "incident_closed"   # dispatches.ended_reason of units not yet on scene when the incident closed


class OpsError(ValueError):
    """An action that cannot be done as asked. key/values name the message in i18n (ops.error.<key>)."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}" if values else key)


class IncidentConflict(OpsError):
    """The incident changed since the user read it: expected (the version read), current, and the actions taken
    meanwhile (rows of incident_actions as dicts: action, acted_at, username, changes) so the user sees what."""

    def __init__(self, incident_id: int, expected: int, current: int, since: list[dict]):
        self.incident_id, self.expected, self.current, self.since = incident_id, expected, current, since
        super().__init__("conflict", incident=incident_id, expected=expected, current=current,
                         who="、".join(dict.fromkeys(a["username"] for a in since)) or "?")


@dataclass(frozen=True)
class Actor:
    username: str
    role: str | None = None
    client: str | None = None


# ------------------------------------------------------------------ the shared write steps
def _since(cur, incident_id: int, version: int) -> list[dict]:
    rows = cur.execute("SELECT action, acted_at, username, changes FROM incident_actions "
                       "WHERE incident_id = ? AND version > ? ORDER BY version, action_id",
                       [int(incident_id), int(version)]).fetchall()
    return [{"action": a, "acted_at": t, "username": u, "changes": json.loads(c) if c else {}}
            for a, t, u, c in rows]


def bump_version(cur, incident_id: int, expected_version: int) -> int:
    """incidents.version + 1 if it still is expected_version, inside the caller's transaction; else
    IncidentConflict with the actions taken since. Returns the new version."""
    row = cur.execute("UPDATE incidents SET version = coalesce(version, 1) + 1 "
                      "WHERE incident_id = ? AND coalesce(version, 1) = ? RETURNING version",
                      [int(incident_id), int(expected_version)]).fetchone()
    if row is not None:
        return int(row[0])
    current = cur.execute("SELECT coalesce(version, 1) FROM incidents WHERE incident_id = ?",
                          [int(incident_id)]).fetchone()
    if current is None:
        raise OpsError("no_incident", incident=incident_id)
    raise IncidentConflict(int(incident_id), int(expected_version), int(current[0]),
                           _since(cur, incident_id, expected_version))


def log_action(cur, incident_id: int, action: str, actor: Actor, version: int, *, origin: str = "app",
               reason: str | None = None, changes: dict | None = None, dispatch_id: int | None = None,
               at: datetime | None = None) -> None:
    """One incident_actions row (and, for actions taken in the app, the audit log's incident_<action>)."""
    at = at or now()
    text = json.dumps(changes or {}, ensure_ascii=False, default=str)
    cur.execute("INSERT INTO incident_actions (action_id, incident_id, dispatch_id, action, acted_at, username, role,"
                " origin, reason, changes, version) SELECT coalesce(max(action_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ? FROM incident_actions",
                [int(incident_id), dispatch_id, action, at, actor.username, actor.role, origin, reason, text,
                 int(version)])
    if origin == "app":
        detail = (reason + " | " if reason else "") + text
        accounts.audit(cur, actor.username, actor.role, f"incident_{action}", incident_id=int(incident_id),
                       client=actor.client, at=at, detail=detail[:1000])


def _transaction(con, work):
    """Run work(cur) in one transaction on a cursor of con; commit, bump the data version, checkpoint (UPDATEs of
    the R-tree indexed incidents table must not stay in the WAL). A concurrent writer's commit is a conflict."""
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            out = work(cur)
            db.bump_data_version(cur)
            cur.execute("COMMIT")
        except duckdb.TransactionException as exc:
            _rollback(cur)
            raise OpsError("concurrent_write") from exc
        except BaseException:
            _rollback(cur)
            raise
        db.checkpoint(cur)
        return out
    finally:
        cur.close()


def _rollback(cur) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException:  # DuckDB already ended a transaction it aborted
        pass


_INCIDENT_COLUMNS = ("incident_id", "channel", "source_ref", "category", "hazard", "severity", "status",
                     "received_at", "dispatched_at", "on_scene_at", "feedback_at", "callback_at", "closed_at",
                     "alarm_verdict", "close_result", "version", "township_id", "village_id", "event_id", "lon",
                     "lat", "location_precision", "address", "description")
_DISPATCH_COLUMNS = ("dispatch_id", "unit_id", "unit_name", "linkage_level", "assigned_at", "accepted_at",
                     "deadline_at", "arrived_at", "feedback_at", "callback_at", "ended_at", "ended_reason", "origin")


def _incident(cur, incident_id: int) -> dict:
    row = cur.execute(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents WHERE incident_id = ?",
                      [int(incident_id)]).fetchone()
    if row is None:
        raise OpsError("no_incident", incident=incident_id)
    out = dict(zip(_INCIDENT_COLUMNS, row))
    out["version"] = int(out["version"] or 1)
    return out


def next_step(dispatch: dict) -> str | None:
    """The step a dispatch waits for (accepted -> arrived -> feedback -> callback); None when done or ended."""
    if dispatch.get("ended_at") is not None:
        return None
    for step in STEPS:
        if dispatch.get(f"{step}_at") is None:
            return step
    return None


def _dispatches(cur, incident_id: int, at: datetime) -> list[dict]:
    rows = cur.execute("""
        SELECT d.dispatch_id, d.unit_id, u.name, u.linkage_level, d.assigned_at, d.accepted_at, d.deadline_at,
               d.arrived_at, d.feedback_at, d.callback_at, d.ended_at, d.ended_reason, coalesce(d.origin, 'source')
        FROM dispatches d LEFT JOIN linkage_units u USING (unit_id)
        WHERE d.incident_id = ? ORDER BY d.assigned_at, d.dispatch_id""", [int(incident_id)]).fetchall()
    out = []
    for row in rows:
        d = dict(zip(_DISPATCH_COLUMNS, row))
        # Overdue is computed: not on scene by the deadline (arrived late, or still away after it).
        d["overdue"] = (d["arrived_at"] > d["deadline_at"]) if d["arrived_at"] is not None else (
            d["ended_at"] is None and at > d["deadline_at"])
        d["next_step"] = next_step(d)
        out.append(d)
    return out


def state(con, incident_id: int) -> dict | None:
    """The incident as the panel shows it, with its dispatches (overdue and next step computed at now)."""
    cur = con.cursor()
    try:
        try:
            out = _incident(cur, incident_id)
        except OpsError:
            return None
        out["dispatches"] = _dispatches(cur, incident_id, now())
        return out
    finally:
        cur.close()


def history(con, incident_id: int) -> list[dict]:
    """Every action on the incident, oldest first, with its information reports sent up (首报/续报/终报 as
    report_first / report_follow_up / report_final; reason = to whom and how) in the same timeline."""
    rows = con.execute("""
        SELECT action, acted_at, username, role, origin, reason, changes, version, dispatch_id FROM (
            SELECT action, acted_at, username, role, origin, reason, changes, version, dispatch_id,
                   0 AS k, action_id AS n
            FROM incident_actions WHERE incident_id = $id
            UNION ALL
            SELECT 'report_' || kind, sent_at, coalesce(sent_by, author, ''), NULL, 'app',
                   concat_ws(' / ', sent_to, channel), json_object('seq', seq)::VARCHAR, NULL, NULL, 1, report_id
            FROM info_reports WHERE incident_id = $id AND sent_at IS NOT NULL)
        ORDER BY acted_at, k, n""", {"id": int(incident_id)}).fetchall()
    keys = ("action", "acted_at", "username", "role", "origin", "reason", "changes", "version", "dispatch_id")
    return [{**dict(zip(keys, r)), "changes": json.loads(r[6]) if r[6] else {}} for r in rows]


def _require_open(incident: dict) -> None:
    if incident["status"] == "closed":
        raise OpsError("closed", incident=incident["incident_id"])


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OpsError("reason_required")
    return reason


def _set(cur, incident_id: int, values: dict) -> None:
    assignments = ", ".join(f"{k} = ?" for k in values)
    cur.execute(f"UPDATE incidents SET {assignments} WHERE incident_id = ?", [*values.values(), int(incident_id)])


def _changes(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# ------------------------------------------------------------------ recording a call
def record_call(con, actor: Actor, *, hazard: str, severity: int, received_at: datetime | None = None,
                lon: float | None = None, lat: float | None = None, township: str | None = None,
                village: str | None = None, address: str | None = None, caller_name: str | None = None,
                caller_phone: str | None = None, description: str | None = None) -> int:
    """A call taken in the duty room, as a record of the duty source through the import pipeline (the same
    checks and placement as every export): coordinates place it exactly; else the village or township named
    places it at that seat, marked approximate. Returns the new incident's id; a record the checks refuse
    raises OpsError with the quarantine reason (it stays in the quarantine, to be corrected)."""
    from data.ingest import pipeline

    at = received_at or now()
    if at > now():
        raise OpsError("future_time")
    if severity not in SEVERITIES:
        raise OpsError("bad_severity")
    if (lon is None) != (lat is None):
        raise OpsError("coordinates_incomplete")
    if lon is None and not (township or village or (address or "").strip()):
        raise OpsError("no_place")
    place = "".join(p for p in (township, village) if p)
    written = (address or "").strip()
    record = {"source_ref": _call_ref(con, at), "received_at": f"{at:%Y-%m-%d %H:%M:%S}", "hazard": hazard,
              "severity": str(severity), "township": township, "x": lon, "y": lat,
              "address": (written if place and place in written else place + written) or None,
              "caller_name": caller_name or None, "caller_phone": caller_phone or None,
              "description": description or None}
    result = pipeline.import_records(con, "duty", [record], via="app", name=f"{record['source_ref']}")
    if result.error:
        raise OpsError("unreadable", detail=result.error)
    if not result.stored:
        reason = next(iter(result.reasons), "already_present")
        raise OpsError(f"refused_{reason}", reason=reason)
    row = con.execute("SELECT incident_id FROM incidents WHERE channel = 'duty_phone' AND source_ref = ?",
                      [record["source_ref"]]).fetchone()
    incident_id = int(row[0])

    def work(cur):
        log_action(cur, incident_id, "record", actor, 1, changes={"hazard": [None, hazard],
                                                                   "severity": [None, severity]})
    _transaction(con, work)
    return incident_id


def _call_ref(con, at: datetime) -> str:
    """The duty room's own record number: ZB-YYYYMMDD-NNNN, numbered per day."""
    prefix = f"ZB-{at:%Y%m%d}-"
    n = con.execute("SELECT count(*) FROM incidents WHERE channel = 'duty_phone' AND starts_with(source_ref, ?)",
                    [prefix]).fetchone()[0]
    return f"{prefix}{n + 1:04d}"


# ------------------------------------------------------------------ judging
def grade(con, actor: Actor, incident_id: int, severity: int, reason: str, expected_version: int) -> int:
    """Set the severity (I-IV) with a reason: report obligations follow it (queries use incidents.severity)."""
    if int(severity) not in SEVERITIES:
        raise OpsError("bad_severity")
    reason = _reason(reason)

    def work(cur):
        incident = _incident(cur, incident_id)
        _require_open(incident)
        version = bump_version(cur, incident_id, expected_version)
        changes = _changes(incident, {"severity": int(severity)})
        _set(cur, incident_id, {"severity": int(severity)})
        log_action(cur, incident_id, "grade", actor, version, reason=reason, changes=changes)
        return version
    return _transaction(con, work)


def judge_alarm(con, actor: Actor, incident_id: int, verdict: str, reason: str, expected_version: int) -> int:
    """An AI-video or sensor alarm confirmed, or marked false (误报): a false alarm is closed as such."""
    if verdict not in VERDICTS:
        raise OpsError("bad_verdict")
    reason = _reason(reason)

    def work(cur):
        incident = _incident(cur, incident_id)
        if incident["channel"] not in ALARM_CHANNELS:
            raise OpsError("not_an_alarm", incident=incident_id)
        _require_open(incident)
        version = bump_version(cur, incident_id, expected_version)
        values = {"alarm_verdict": verdict}
        if verdict == "false":
            values |= {"status": "closed", "closed_at": max(now(), incident["received_at"]),
                       "close_result": FALSE_ALARM_RESULT}
        changes = _changes(incident, values)
        _set(cur, incident_id, values)
        log_action(cur, incident_id, "false_alarm" if verdict == "false" else "confirm", actor, version,
                   reason=reason, changes=changes)
        return version
    return _transaction(con, work)


# ------------------------------------------------------------------ dispatching
def units(con) -> list[dict]:
    rows = con.execute("SELECT unit_id, name, kind, linkage_level, township_id FROM linkage_units "
                       "ORDER BY linkage_level, kind, name").fetchall()
    return [dict(zip(("unit_id", "name", "kind", "linkage_level", "township_id"), r)) for r in rows]


def suggest_units(con, incident_id: int) -> list[dict]:
    """Units to send, by the incident's hazard and place: units of the incident's township whose duties cover the
    hazard first (属地), then county departments covering it (行业); the township government when nobody covers
    the hazard. Each with the time limit it would get (dispatch_time_limits)."""
    rows = con.execute("""
        WITH i AS (SELECT hazard, township_id, category FROM incidents WHERE incident_id = $id),
        covering AS (
            SELECT u.*, CASE WHEN u.township_id = i.township_id THEN 'jurisdiction' ELSE 'hazard' END AS why
            FROM linkage_units u, i
            WHERE list_contains(u.hazards, i.hazard) AND (u.township_id IS NULL OR u.township_id = i.township_id)),
        fallback AS (
            SELECT u.*, 'jurisdiction' AS why FROM linkage_units u, i
            WHERE u.kind = 'township' AND u.township_id = i.township_id AND NOT EXISTS (SELECT 1 FROM covering))
        SELECT c.unit_id, c.name, c.kind, c.linkage_level, l.arrive_minutes, c.why
        FROM (SELECT * FROM covering UNION ALL SELECT * FROM fallback) c, i
        JOIN dispatch_time_limits l ON l.linkage_level = c.linkage_level AND l.category = i.category
        ORDER BY c.why = 'hazard', c.linkage_level, c.name""", {"id": int(incident_id)}).fetchall()
    keys = ("unit_id", "name", "kind", "linkage_level", "arrive_minutes", "why")
    return [dict(zip(keys, r)) for r in rows]


def _derive_steps(cur, incident: dict) -> dict:
    """The incident's step times and status from its dispatches: the first assignment is when it was dispatched,
    the first arrival when someone was on scene, and so on; a time the source gave earlier is kept."""
    first = cur.execute("SELECT min(assigned_at), min(arrived_at), min(feedback_at), min(callback_at) "
                        "FROM dispatches WHERE incident_id = ?", [incident["incident_id"]]).fetchone()
    values = {}
    for column, value in zip(("dispatched_at", "on_scene_at", "feedback_at", "callback_at"), first):
        have = incident[column]
        values[column] = min(v for v in (have, value) if v is not None) if (have or value) else None
    if incident["status"] != "closed":
        status = "received"
        for column, code in (("dispatched_at", "dispatched"), ("on_scene_at", "on_scene"),
                             ("feedback_at", "feedback"), ("callback_at", "callback")):
            if values[column] is not None:
                status = code
        values["status"] = status
    return values


def _insert_dispatch(cur, incident: dict, unit_id: int, at: datetime) -> int:
    limit = cur.execute("""SELECT l.arrive_minutes FROM linkage_units u JOIN dispatch_time_limits l
                           ON l.linkage_level = u.linkage_level AND l.category = ? WHERE u.unit_id = ?""",
                        [incident["category"], int(unit_id)]).fetchone()
    if limit is None:
        raise OpsError("no_unit", unit=unit_id)
    dispatch_id = cur.execute("SELECT coalesce(max(dispatch_id), 0) + 1 FROM dispatches").fetchone()[0]
    cur.execute("INSERT INTO dispatches (dispatch_id, incident_id, unit_id, assigned_at, deadline_at, origin) "
                "VALUES (?, ?, ?, ?, ? + to_minutes(?), 'app')",
                [dispatch_id, incident["incident_id"], int(unit_id), at, at, int(limit[0])])
    return int(dispatch_id)


def _step_time(incident: dict, at: datetime | None) -> datetime:
    at = at or now()
    if at > now():
        raise OpsError("future_time")
    return max(at, incident["received_at"])


def dispatch(con, actor: Actor, incident_id: int, unit_ids, expected_version: int, note: str | None = None,
             at: datetime | None = None) -> int:
    """Assign the incident to one or more linkage units, each with its time limit from dispatch_time_limits (by
    the unit's linkage level and the incident's category). A unit already working on it is not sent twice."""
    unit_ids = list(dict.fromkeys(int(u) for u in unit_ids))
    if not unit_ids:
        raise OpsError("no_units")

    def work(cur):
        incident = _incident(cur, incident_id)
        _require_open(incident)
        when = _step_time(incident, at)
        busy = {r[0] for r in cur.execute("SELECT unit_id FROM dispatches WHERE incident_id = ? AND ended_at IS NULL",
                                          [int(incident_id)]).fetchall()}
        if busy & set(unit_ids):
            raise OpsError("already_dispatched")
        version = bump_version(cur, incident_id, expected_version)
        for unit_id in unit_ids:
            dispatch_id = _insert_dispatch(cur, incident, unit_id, when)
            log_action(cur, incident_id, "dispatch", actor, version, reason=note, dispatch_id=dispatch_id,
                       changes={"unit_id": [None, unit_id]}, at=when)
        values = _derive_steps(cur, incident)
        _set(cur, incident_id, values)
        return version
    return _transaction(con, work)


def _dispatch_row(cur, dispatch_id: int) -> dict:
    row = cur.execute("SELECT incident_id, assigned_at, accepted_at, arrived_at, feedback_at, callback_at, "
                      "ended_at, unit_id FROM dispatches WHERE dispatch_id = ?", [int(dispatch_id)]).fetchone()
    if row is None:
        raise OpsError("no_dispatch", dispatch=dispatch_id)
    return dict(zip(("incident_id", "assigned_at", "accepted_at", "arrived_at", "feedback_at", "callback_at",
                     "ended_at", "unit_id"), row))


def record_step(con, actor: Actor, dispatch_id: int, step: str, expected_version: int, note: str | None = None,
                at: datetime | None = None) -> int:
    """A unit's next step (签收 accepted, 到场 arrived, 反馈 feedback, 回访 callback), in that order, at now or at a
    time reported by phone (not in the future, not before the step before it)."""
    if step not in STEPS:
        raise OpsError("bad_step")

    def work(cur):
        d = _dispatch_row(cur, dispatch_id)
        incident = _incident(cur, d["incident_id"])
        _require_open(incident)
        if d["ended_at"] is not None:
            raise OpsError("dispatch_ended")
        expected_step = next_step(d)
        if step != expected_step:
            raise OpsError("step_order", step=step, expected=expected_step or "-")
        when = _step_time(incident, at)
        before = [d[f"{s}_at"] for s in STEPS if d[f"{s}_at"] is not None] + [d["assigned_at"]]
        if when < max(before):
            raise OpsError("step_before_previous")
        version = bump_version(cur, d["incident_id"], expected_version)
        cur.execute(f"UPDATE dispatches SET {step}_at = ? WHERE dispatch_id = ?", [when, int(dispatch_id)])
        log_action(cur, d["incident_id"], step, actor, version, reason=note, dispatch_id=int(dispatch_id),
                   changes={f"{step}_at": [None, when]}, at=when)
        _set(cur, d["incident_id"], _derive_steps(cur, incident))
        return version
    return _transaction(con, work)


def reassign(con, actor: Actor, dispatch_id: int, to_unit_id: int, reason: str, expected_version: int) -> int:
    """改派: the assignment ends (kept, with the reason) and the other unit gets its own, with a fresh time limit."""
    reason = _reason(reason)

    def work(cur):
        d = _dispatch_row(cur, dispatch_id)
        incident = _incident(cur, d["incident_id"])
        _require_open(incident)
        if d["ended_at"] is not None:
            raise OpsError("dispatch_ended")
        if int(to_unit_id) == int(d["unit_id"]):
            raise OpsError("same_unit")
        when = _step_time(incident, None)
        version = bump_version(cur, d["incident_id"], expected_version)
        cur.execute("UPDATE dispatches SET ended_at = ?, ended_reason = ? WHERE dispatch_id = ?",
                    [when, reason, int(dispatch_id)])
        new_id = _insert_dispatch(cur, incident, int(to_unit_id), when)
        log_action(cur, d["incident_id"], "reassign", actor, version, reason=reason, dispatch_id=new_id,
                   changes={"unit_id": [int(d["unit_id"]), int(to_unit_id)]}, at=when)
        _set(cur, d["incident_id"], _derive_steps(cur, incident))
        return version
    return _transaction(con, work)


def close(con, actor: Actor, incident_id: int, result: str, expected_version: int) -> int:
    """办结 with a result. Units that had not arrived are stood down (ended_reason incident_closed)."""
    result = (result or "").strip()
    if not result:
        raise OpsError("result_required")

    def work(cur):
        incident = _incident(cur, incident_id)
        _require_open(incident)
        version = bump_version(cur, incident_id, expected_version)
        values = {"status": "closed", "closed_at": _step_time(incident, None), "close_result": result}
        changes = _changes(incident, values)
        _set(cur, incident_id, values)
        # Units still on their way are stood down: their assignment ends with the incident (a deadline already
        # missed stays missed in the rates; one not yet due is not held against them).
        cur.execute("UPDATE dispatches SET ended_at = ?, ended_reason = ? WHERE incident_id = ? "
                    "AND ended_at IS NULL AND arrived_at IS NULL", [values["closed_at"], STOOD_DOWN, int(incident_id)])
        log_action(cur, incident_id, "close", actor, version, reason=result, changes=changes)
        return version
    return _transaction(con, work)


# ------------------------------------------------------------------ source conflicts
def conflicts(con, incident_id: int, open_only: bool = True) -> list[dict]:
    """Newer source records that disagreed with an edit made in OneMap (the OneMap value was kept)."""
    rows = con.execute("""
        SELECT c.conflict_id, c.field, c.app_value, c.source_value, f.source, f.file_name, c.found_at, c.status,
               c.resolved_by, c.resolved_at
        FROM incident_conflicts c LEFT JOIN import_files f ON f.import_id = c.import_id
        WHERE c.incident_id = ? AND (c.status = 'open' OR NOT ?)
        ORDER BY c.found_at, c.conflict_id""", [int(incident_id), bool(open_only)]).fetchall()
    keys = ("conflict_id", "field", "app_value", "source_value", "source", "file_name", "found_at", "status",
            "resolved_by", "resolved_at")
    return [dict(zip(keys, r)) for r in rows]


def resolve_conflict(con, actor: Actor, conflict_id: int, expected_version: int) -> int:
    """The duty officer has seen the source's value and keeps OneMap's (a change the other way is an ordinary
    action: grade, close, ...). Logged and audited like every action."""
    def work(cur):
        row = cur.execute("SELECT incident_id, field, app_value, source_value, status FROM incident_conflicts "
                          "WHERE conflict_id = ?", [int(conflict_id)]).fetchone()
        if row is None:
            raise OpsError("no_conflict", conflict=conflict_id)
        incident_id, field_name, app_value, source_value, status = row
        if status != "open":
            raise OpsError("conflict_resolved")
        version = bump_version(cur, incident_id, expected_version)
        at = now()
        cur.execute("UPDATE incident_conflicts SET status = 'resolved', resolved_by = ?, resolved_at = ? "
                    "WHERE conflict_id = ?", [actor.username, at, int(conflict_id)])
        log_action(cur, incident_id, "conflict_resolved", actor, version, at=at,
                   reason=f"{field_name}: {source_value}", changes={field_name: [app_value, app_value]})
        return version
    return _transaction(con, work)
