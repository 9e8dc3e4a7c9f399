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
