"""Dispatch fields of the exports, and re-imports: a newer record of a stored incident updates it.

units (before the transaction): ing_typed + linkage_units + value_aliases (domain linkage_unit) +
dispatch_time_limits -> ing_unit (row_no, unit_name, unit_id, assigned_at, deadline_at). The handling unit
(处置部门 / 承办单位 / 管辖单位) is matched by its linkage_units name, else by a value_aliases alias
naming a unit's name or code. An unknown name never refuses the row: the incident is stored without its
dispatch and the name goes to the import's notes (import_files.notes). The deadline is the export's
(处置截止时间), else assigned + 办理时限 hours, else the unit's linkage level and the incident's category
in dispatch_time_limits.

dispatches (in the transaction, after store): a newly stored incident with a matched unit and a dispatch time gets
its dispatches row (origin 'source').

update (in the transaction, after store): rows of ing_present (their source id is stored) whose record is newer
than what the incident holds -- a later status step (incident_statuses.step) or a later newest time than
incidents.source_as_of -- update it and count as updated; older or identical records count as already present.
A source never clears a value (an empty cell states nothing) and never moves the status back. Conflict rule: a
field an app action changed (incident_actions.origin = 'app', its changes' keys) after the last source update of
that field keeps the OneMap value; the source value goes to incident_conflicts. Hazard, place and caller are not
updated: linking and placement are decided once, at the first store, and reclassifying is done in OneMap. Nor
is severity: no export that states later times or steps (数字城管, 96345) states a severity, and one that states
only the call (110) is never newer than what is stored.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from data import incident_ops

from .mapping import Mapping
from .store import CALLBACK_AT, STATED_AS_OF, STATED_STATUS

UPDATE_ACTION = "source_update"
UNIT_REASSIGNED = "source_reassigned"   # dispatches.ended_reason when a newer record names another unit
MAX_LIMIT_HOURS = 24 * 366              # a 办理时限 beyond a year is a typo: the table's limit applies instead

# Field -> the change keys of app actions that make it OneMap's (incident_ops writes these keys). An app dispatch
# (unit_id) also states when the incident was dispatched.
_APP_KEYS = {"status": ("status", "closed_at"), "closed_at": ("status", "closed_at"),
             "dispatched_at": ("dispatched_at", "unit_id"), "description": ("description",),
             "feedback_at": ("feedback_at", "callback_at"), "callback_at": ("feedback_at", "callback_at"),
             "unit_id": ("unit_id",)}


def match_units(con) -> None:
    """ing_unit: every row naming a handling unit, with the unit matched and its dispatch times."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_unit AS
        WITH names AS (SELECT DISTINCT unit AS name FROM ing_typed WHERE unit IS NOT NULL),
        matched AS (
            SELECT n.name, coalesce(
                (SELECT min(u.unit_id) FROM linkage_units u WHERE u.name = n.name),
                (SELECT min(u.unit_id) FROM value_aliases a JOIN linkage_units u ON a.code IN (u.name, u.code)
                 WHERE a.domain = 'linkage_unit' AND lower(trim(a.alias)) = lower(n.name))) AS unit_id
            FROM names n)
        SELECT t.row_no, t.unit AS unit_name, u.unit_id, t.t_dispatched AS assigned_at,
               CASE WHEN u.unit_id IS NULL OR t.t_dispatched IS NULL THEN NULL
                    WHEN t.t_deadline > t.t_dispatched THEN t.t_deadline
                    WHEN t.n_limit_hours * 60 >= 1 AND t.n_limit_hours <= $max_hours
                         THEN t.t_dispatched + to_minutes(CAST(round(t.n_limit_hours * 60) AS BIGINT))
                    ELSE t.t_dispatched + to_minutes(CAST(l.arrive_minutes AS BIGINT)) END AS deadline_at
        FROM ing_typed t JOIN matched m ON m.name = t.unit
        LEFT JOIN linkage_units u ON u.unit_id = m.unit_id
        LEFT JOIN hazard_types h ON h.code = t.hazard_code
        LEFT JOIN dispatch_time_limits l ON l.linkage_level = u.linkage_level
             AND l.category = CASE WHEN h.class_code = 'service' THEN 'service' ELSE 'emergency' END""",
                {"max_hours": MAX_LIMIT_HOURS})


def store_dispatches(con) -> int:
    """The dispatches of the incidents just stored (ids base + seq, store.py)."""
    before = con.execute("SELECT count(*) FROM dispatches").fetchone()[0]
    con.execute("""
        INSERT INTO dispatches (dispatch_id, incident_id, unit_id, assigned_at, deadline_at, origin)
        SELECT (SELECT coalesce(max(dispatch_id), 0) FROM dispatches) + row_number() OVER (ORDER BY s.seq),
               r.base + s.seq, u.unit_id, u.assigned_at, u.deadline_at, 'source'
        FROM ing_unit u JOIN ing_seq s USING (row_no), ing_new_range r
        WHERE u.unit_id IS NOT NULL AND u.assigned_at IS NOT NULL AND u.deadline_at IS NOT NULL""")
    return con.execute("SELECT count(*) FROM dispatches").fetchone()[0] - before


@dataclass
class _Plan:
    """What one newer record does to its incident."""
    values: dict = field(default_factory=dict)       # incidents columns to set
    changes: dict = field(default_factory=dict)      # {field: [before, after]} for incident_actions
    conflicts: list = field(default_factory=list)    # (field, app value, source value)
    end_dispatch: tuple | None = None                # (dispatch_id, ended_at): moved to another unit
    new_dispatch: tuple | None = None                # (unit_id, assigned_at, deadline_at)
    set_dispatch: tuple | None = None                # (dispatch_id, assigned_at, deadline_at)

    def offer(self, name: str, before, after, touched: set) -> bool:
        """The source's value of a field, unless it states nothing new or an app edit holds the field."""
        if after is None or after == before:
            return False
        if touched & set(_APP_KEYS[name]):
            self.conflicts.append((name, before, after))
            return False
        self.values[name] = after
        self.changes[name] = [before, after]
        return True


_STATED_COLUMNS = ("row_no", "incident_id", "status", "step", "as_of", "dispatched_at", "closed_at", "description",
                   "callback_at", "unit_id", "unit_name", "assigned_at", "deadline_at")
_CURRENT_COLUMNS = ("cur_status", "cur_step", "version", "received_at", "cur_dispatched_at", "on_scene_at",
                    "cur_closed_at", "cur_description", "cur_feedback_at", "cur_callback_at",
                    "source_as_of")


def _newer(con) -> list[dict]:
    """The newest valid record per stored incident of the file, where it is newer than the incident."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_newer AS
        WITH stated AS (
            SELECT k.row_no, i.incident_id, {STATED_STATUS} AS status, {STATED_AS_OF} AS as_of,
                   t.t_dispatched AS dispatched_at, t.t_closed AS closed_at, t.description,
                   {CALLBACK_AT} AS callback_at, u.unit_id, u.unit_name, u.assigned_at, u.deadline_at
            FROM ing_present p JOIN ing_key k USING (row_no) JOIN ing_checked c USING (row_no)
            JOIN ing_typed t USING (row_no) LEFT JOIN ing_unit u USING (row_no)
            JOIN incidents i ON i.channel = k.channel AND i.source_ref = k.ref
            WHERE c.reason IS NULL),
        newest AS (
            SELECT s.*, st.step FROM stated s JOIN incident_statuses st ON st.code = s.status
            QUALIFY row_number() OVER (PARTITION BY s.incident_id ORDER BY st.step DESC, s.as_of DESC,
                                       s.row_no DESC) = 1)
        SELECT n.{", n.".join(_STATED_COLUMNS)}, i.status AS cur_status, cs.step AS cur_step,
               coalesce(i.version, 1) AS version, i.received_at, i.dispatched_at AS cur_dispatched_at, i.on_scene_at,
               i.closed_at AS cur_closed_at, i.description AS cur_description,
               i.feedback_at AS cur_feedback_at, i.callback_at AS cur_callback_at,
               coalesce(i.source_as_of, greatest(i.received_at, i.dispatched_at, i.closed_at)) AS source_as_of
        FROM newest n JOIN incidents i USING (incident_id) JOIN incident_statuses cs ON cs.code = i.status
        WHERE n.step > cs.step
           OR n.as_of > coalesce(i.source_as_of, greatest(i.received_at, i.dispatched_at, i.closed_at))""")
    rows = con.execute("SELECT * FROM ing_newer ORDER BY incident_id").fetchall()
    return [dict(zip(_STATED_COLUMNS + _CURRENT_COLUMNS, r)) for r in rows]


def _touched(con) -> dict[int, set]:
    """Per incident of ing_newer: the fields app actions changed after the last source update of each."""
    rows = con.execute("""
        WITH keyed AS (
            SELECT a.incident_id, a.action_id, a.origin, unnest(json_keys(a.changes)) AS field
            FROM incident_actions a WHERE a.incident_id IN (SELECT incident_id FROM ing_newer)),
        last_source AS (
            SELECT incident_id, field, max(action_id) AS action_id FROM keyed WHERE origin = 'source' GROUP BY ALL)
        SELECT DISTINCT k.incident_id, k.field FROM keyed k LEFT JOIN last_source s USING (incident_id, field)
        WHERE k.origin = 'app' AND k.action_id > coalesce(s.action_id, 0)""").fetchall()
    out: dict[int, set] = {}
    for incident_id, name in rows:
        out.setdefault(int(incident_id), set()).add(name)
    return out


def _open_dispatches(con) -> dict[int, list[dict]]:
    rows = con.execute("""
        SELECT d.incident_id, d.dispatch_id, d.unit_id, u.name, coalesce(d.origin, 'source'), d.assigned_at,
               d.deadline_at, least(d.accepted_at, d.arrived_at, d.feedback_at) AS first_step
        FROM dispatches d LEFT JOIN linkage_units u USING (unit_id)
        WHERE d.ended_at IS NULL AND d.incident_id IN (SELECT incident_id FROM ing_newer)
        ORDER BY d.assigned_at DESC, d.dispatch_id DESC""").fetchall()
    out: dict[int, list[dict]] = {}
    keys = ("dispatch_id", "unit_id", "name", "origin", "assigned_at", "deadline_at", "first_step")
    for incident_id, *values in rows:
        out.setdefault(int(incident_id), []).append(dict(zip(keys, values)))
    return out


def _plan(rec: dict, touched: set, dispatches: list[dict]) -> _Plan:
    plan = _Plan()
    if rec["step"] > rec["cur_step"]:  # a later step: the status moves on (closing sets closed_at with it)
        if rec["status"] == "closed":
            if not touched & set(_APP_KEYS["status"]):
                plan.values |= {"status": "closed", "closed_at": rec["closed_at"]}
                plan.changes |= {"status": [rec["cur_status"], "closed"],
                                 "closed_at": [rec["cur_closed_at"], rec["closed_at"]]}
            else:
                plan.conflicts.append(("status", rec["cur_status"], "closed"))
        else:
            plan.offer("status", rec["cur_status"], rec["status"], touched)
    elif rec["status"] == "closed" and rec["cur_status"] == "closed":
        plan.offer("closed_at", rec["cur_closed_at"], rec["closed_at"], touched)
    dispatched = rec["dispatched_at"]
    if dispatched is not None and rec["on_scene_at"] is not None and dispatched > rec["on_scene_at"]:
        # Someone was on scene (recorded in OneMap) before the dispatch time the source states: OneMap's stands.
        plan.conflicts.append(("dispatched_at", rec["cur_dispatched_at"], dispatched))
    else:
        plan.offer("dispatched_at", rec["cur_dispatched_at"], dispatched, touched)
    if plan.values.get("status") == "dispatched" and plan.values.get("dispatched_at",
                                                                     rec["cur_dispatched_at"]) is None:
        del plan.values["status"], plan.changes["status"]  # the schema: dispatched needs its time
    plan.offer("description", rec["cur_description"], rec["description"], touched)
    if rec["callback_at"] is not None and rec["cur_callback_at"] is None:  # 已回访: done once, never moved
        if touched & set(_APP_KEYS["callback_at"]):
            plan.conflicts.append(("callback_at", None, rec["callback_at"]))
        else:
            feedback = rec["cur_feedback_at"] or rec["callback_at"]
            plan.offer("feedback_at", rec["cur_feedback_at"], feedback, touched)
            plan.offer("callback_at", None, max(feedback, rec["callback_at"]), touched)
    _plan_dispatch(plan, rec, touched, dispatches)
    return plan


def _plan_dispatch(plan: _Plan, rec: dict, touched: set, dispatches: list[dict]) -> None:
    unit_id, assigned, deadline = rec["unit_id"], rec["assigned_at"], rec["deadline_at"]
    if unit_id is None or assigned is None or deadline is None:
        return
    same = next((d for d in dispatches if d["unit_id"] == unit_id), None)
    if same is not None:
        if same["origin"] != "source":
            return  # OneMap already sent that unit: its own assignment stands
        if same["first_step"] is not None and assigned > same["first_step"]:
            assigned = same["assigned_at"]  # the unit's steps recorded in OneMap come after its assignment
        if deadline <= assigned or (assigned, deadline) == (same["assigned_at"], same["deadline_at"]):
            return
        plan.set_dispatch = (same["dispatch_id"], assigned, deadline)
        for name, before, after in (("assigned_at", same["assigned_at"], assigned),
                                    ("deadline_at", same["deadline_at"], deadline)):
            if before != after:
                plan.changes[name] = [before, after]
        return
    source = next((d for d in dispatches if d["origin"] == "source"), None)
    before = source["unit_id"] if source else None
    if "unit_id" in touched:
        app_units = "、".join(d["name"] or str(d["unit_id"]) for d in dispatches) or None
        plan.conflicts.append(("unit_id", app_units, rec["unit_name"]))
        return
    if source is not None:  # ended when the other unit got it
        plan.end_dispatch = (source["dispatch_id"], max(assigned, source["assigned_at"]))
    plan.new_dispatch = (unit_id, assigned, deadline)
    plan.changes["unit_id"] = [before, unit_id]


def apply_updates(con, m: Mapping, import_id: int, at) -> int:
    """Apply the newer records of stored incidents (see the module's docstring); returns how many."""
    records = _newer(con)
    if not records:
        return 0
    touched, dispatches = _touched(con), _open_dispatches(con)
    plans = {rec["incident_id"]: _plan(rec, touched.get(rec["incident_id"], set()),
                                       dispatches.get(rec["incident_id"], [])) for rec in records}
    _write_incidents(con, records, plans)
    dispatch_ids = _write_dispatches(con, plans)
    _write_conflicts(con, records, plans, import_id, at)
    actor = incident_ops.Actor(username=f"import:{m.source}")
    for rec in records:
        plan = plans[rec["incident_id"]]
        conflicted = ", ".join(dict.fromkeys(c[0] for c in plan.conflicts))
        incident_ops.log_action(con, rec["incident_id"], UPDATE_ACTION, actor, rec["version"] + 1, origin="source",
                                reason=f"conflicts: {conflicted}" if conflicted else None,
                                changes=plan.changes, dispatch_id=dispatch_ids.get(rec["incident_id"]), at=at)
    return len(records)


_SET_COLUMNS = {"status": "VARCHAR", "dispatched_at": "TIMESTAMP", "closed_at": "TIMESTAMP",
                "description": "VARCHAR", "feedback_at": "TIMESTAMP", "callback_at": "TIMESTAMP"}


def _write_incidents(con, records: list[dict], plans: dict) -> None:
    """One UPDATE for all: every newer record advances source_as_of and the version; the planned fields change."""
    rows = []
    for rec in records:
        values = plans[rec["incident_id"]].values
        rows.append({"incident_id": rec["incident_id"], "version": rec["version"],
                     "source_as_of": max(rec["as_of"], rec["source_as_of"] or rec["as_of"]),
                     **{c: values.get(c) for c in _SET_COLUMNS}, **{f"set_{c}": c in values for c in _SET_COLUMNS}})
    frame = pd.DataFrame(rows)
    con.register("ing_apply_frame", frame)
    try:
        # Typed explicitly: a column the frame holds only NULLs in has no type of its own.
        assignments = ", ".join(f"{c} = CASE WHEN a.set_{c} THEN CAST(a.{c} AS {t}) ELSE incidents.{c} END"
                                for c, t in _SET_COLUMNS.items())
        updated = con.execute(f"""
            UPDATE incidents SET {assignments}, source_as_of = CAST(a.source_as_of AS TIMESTAMP),
                   version = coalesce(incidents.version, 1) + 1
            FROM ing_apply_frame a
            WHERE incidents.incident_id = a.incident_id AND coalesce(incidents.version, 1) = a.version""").fetchone()
    finally:
        con.unregister("ing_apply_frame")
    if updated is not None and updated[0] != len(rows):  # read and written in this transaction: cannot differ
        raise RuntimeError(f"source update: {updated[0]} of {len(rows)} incidents matched their version")


def _write_dispatches(con, plans: dict) -> dict[int, int]:
    """Ended, moved and new source dispatches; returns incident_id -> the new dispatch's id."""
    ends = [(ended_at, UNIT_REASSIGNED, dispatch_id) for p in plans.values() if p.end_dispatch
            for dispatch_id, ended_at in [p.end_dispatch]]
    if ends:
        con.executemany("UPDATE dispatches SET ended_at = ?, ended_reason = ? WHERE dispatch_id = ?", ends)
    moves = [(assigned, deadline, dispatch_id) for p in plans.values() if p.set_dispatch
             for dispatch_id, assigned, deadline in [p.set_dispatch]]
    if moves:
        con.executemany("UPDATE dispatches SET assigned_at = ?, deadline_at = ? WHERE dispatch_id = ?", moves)
    new = [(incident_id, *p.new_dispatch) for incident_id, p in plans.items() if p.new_dispatch]
    if not new:
        return {}
    base = con.execute("SELECT coalesce(max(dispatch_id), 0) FROM dispatches").fetchone()[0]
    frame = pd.DataFrame([{"dispatch_id": base + n, "incident_id": i, "unit_id": u, "assigned_at": a,
                           "deadline_at": d} for n, (i, u, a, d) in enumerate(new, start=1)])
    con.register("ing_dispatch_frame", frame)
    try:
        con.execute("""INSERT INTO dispatches (dispatch_id, incident_id, unit_id, assigned_at, deadline_at, origin)
                       SELECT dispatch_id, incident_id, unit_id, assigned_at, deadline_at, 'source'
                       FROM ing_dispatch_frame""")
    finally:
        con.unregister("ing_dispatch_frame")
    return {int(r["incident_id"]): int(r["dispatch_id"]) for r in frame.to_dict("records")}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _write_conflicts(con, records: list[dict], plans: dict, import_id: int, at) -> None:
    rows = [(rec["incident_id"], name, _text(app), _text(src), import_id, at)
            for rec in records for name, app, src in plans[rec["incident_id"]].conflicts]
    for row in rows:  # few: one per field an app edit holds
        con.execute("""
            INSERT INTO incident_conflicts (conflict_id, incident_id, field, app_value, source_value, import_id,
                                            found_at, status)
            SELECT (SELECT coalesce(max(conflict_id), 0) + 1 FROM incident_conflicts), $1, $2, $3, $4, $5, $6, 'open'
            WHERE NOT EXISTS (SELECT 1 FROM incident_conflicts WHERE incident_id = $1 AND field = $2
                              AND source_value IS NOT DISTINCT FROM $4 AND status = 'open')""", list(row))


def notes(con, updated_rows: bool) -> str | None:
    """The import's notes as JSON: unknown handling units among the rows stored or applied as updates."""
    applied = "SELECT row_no FROM ing_seq" + (" UNION ALL SELECT row_no FROM ing_newer" if updated_rows else "")
    unknown = Counter(dict(con.execute(f"""
        SELECT unit_name, count(*) FROM ing_unit WHERE unit_id IS NULL AND row_no IN ({applied})
        GROUP BY unit_name ORDER BY 2 DESC, 1""").fetchall()))
    return json.dumps({"unknown_units": dict(unknown)}, ensure_ascii=False) if unknown else None
