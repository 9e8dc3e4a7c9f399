"""首报 / 续报 / 终报 written in the app: the content prefilled from the incident in the standard
information-report layout, edited, then marked sent (to whom, how). Sending clears the duty desk's deadline
(queries/duty_report_deadlines.sql matches the sent row); a report sent after its due time stays late, because
late is computed (sent_at > due_at), never stored. Every write bumps the row's version: a writer holding an older
version is refused with ReportConflict, so two duty officers never overwrite each other silently."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from data import accounts, db
from data.clock import now

KINDS = ("first", "follow_up", "final")
CHANNELS = ("phone", "written", "platform")  # 电话 / 书面 / 政务平台账号 (乐政通-style)
# The content's fields in the order of the standard layout; 报告人, 报送单位/对象 and 报送方式 are columns of their
# own (author, sent_to, channel). Every one of them is editable before sending.
LAYOUT = ("event_name", "occurred_at", "place", "hazard", "severity", "description", "casualties", "losses",
          "measures", "teams", "next_steps")


class ReportError(ValueError):
    """A report that cannot be written or sent as asked (unknown kind or channel, nobody named, already sent)."""


class ReportConflict(ReportError):
    """Someone else changed the report since it was read: the caller's version is stale."""

    def __init__(self, report_id: int, expected: int, current: int, sent_by: str | None = None):
        self.report_id, self.expected, self.current, self.sent_by = report_id, expected, current, sent_by
        super().__init__(f"report {report_id} changed meanwhile: you hold version {expected}, it is now {current}"
                         + (f" (sent by {sent_by})" if sent_by else ""))


@dataclass
class InfoReport:
    report_id: int
    incident_id: int
    kind: str
    seq: int
    due_at: datetime
    sent_at: datetime | None
    author: str | None
    content: dict = field(default_factory=dict)
    sent_to: str | None = None
    channel: str | None = None
    sent_by: str | None = None
    version: int = 1

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    @property
    def late(self) -> bool:
        """Sent after its due time (exactly on time counts as on time), as the deadlines query says."""
        return self.sent_at is not None and self.sent_at > self.due_at


_COLUMNS = "report_id, incident_id, kind, seq, due_at, sent_at, author, content, sent_to, channel, sent_by, version"


def _from_row(row) -> InfoReport:
    (report_id, incident_id, kind, seq, due_at, sent_at, author, content, sent_to, channel, sent_by, version) = row
    return InfoReport(int(report_id), int(incident_id), kind, int(seq), due_at, sent_at, author,
                      json.loads(content) if content else {}, sent_to, channel, sent_by, int(version or 1))


def load(con: duckdb.DuckDBPyConnection, report_id: int) -> InfoReport | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM info_reports WHERE report_id = ?", [int(report_id)]).fetchone()
    return _from_row(row) if row else None


def find(con: duckdb.DuckDBPyConnection, incident_id: int, kind: str, seq: int = 1) -> InfoReport | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM info_reports WHERE incident_id = ? AND kind = ? AND seq = ?",
                      [int(incident_id), kind, int(seq)]).fetchone()
    return _from_row(row) if row else None


def prefill(con: duckdb.DuckDBPyConnection, incident_id: int) -> dict[str, str]:
    """The layout's fields as the incident gives them: time, place (township / village / address), hazard,
    severity, description, the teams sent (dispatches -> linkage units) and what they did so far. Casualties,
    losses and next steps are for the duty officer to write."""
    row = con.execute("""
        SELECT i.received_at, t.name, v.name, i.address, h.name_zh, sl.roman, sl.name_zh, i.description
        FROM incidents i
        JOIN hazard_types h ON h.code = i.hazard
        JOIN severity_levels sl ON sl.level = i.severity
        LEFT JOIN townships t ON t.township_id = i.township_id
        LEFT JOIN villages v ON v.village_id = i.village_id
        WHERE i.incident_id = ?""", [int(incident_id)]).fetchone()
    if row is None:
        raise ReportError(f"no incident {incident_id}")
    received_at, township, village, address, hazard, roman, severity_name, description = row
    place = ""
    for part in (township, village, address):
        if part and part not in place:
            place = part if place and place in part else place + part
    dispatched = con.execute("""
        SELECT u.name, d.assigned_at, d.arrived_at, d.feedback_at
        FROM dispatches d JOIN linkage_units u ON u.unit_id = d.unit_id
        WHERE d.incident_id = ? ORDER BY d.assigned_at, d.dispatch_id""", [int(incident_id)]).fetchall()
    teams = list(dict.fromkeys(name for name, *_ in dispatched))
    measures = []
    for name, assigned, arrived, feedback in dispatched:
        step = f"{assigned:%m-%d %H:%M} 指派{name}处置"
        if arrived:
            step += f"，{arrived:%m-%d %H:%M} 到达现场"
        if feedback:
            step += f"，{feedback:%m-%d %H:%M} 反馈处置情况"
        measures.append(step + "。")
    return {"event_name": f"{township or ''}{village or ''}{hazard}事件",
            "occurred_at": f"{received_at:%Y-%m-%d %H:%M}",
            "place": place,
            "hazard": hazard,
            "severity": f"{roman}级（{severity_name}）",
            "description": description or "",
            "casualties": "",
            "losses": "",
            "measures": "\n".join(measures),
            "teams": "、".join(teams),
            "next_steps": ""}


def due_at(con: duckdb.DuckDBPyConnection, incident_id: int, kind: str, seq: int) -> datetime:
    """The due time by the report_rules code table, as queries/duty_report_deadlines.sql computes it."""
    row = con.execute("""
        SELECT CASE ? WHEN 'first' THEN i.received_at + to_minutes(r.first_report_minutes)
                      WHEN 'follow_up' THEN i.received_at + to_hours(? * r.follow_up_hours)
                      ELSE i.closed_at + to_days(r.final_report_days) END
        FROM incidents i JOIN report_rules r ON r.severity = i.severity
        WHERE i.incident_id = ?""", [kind, int(seq), int(incident_id)]).fetchone()
    if row is None:
        raise ReportError(f"no incident {incident_id}")
    if row[0] is None:
        raise ReportError(f"incident {incident_id} is not closed: no final report is due yet")
    return row[0]


def write_report(con: duckdb.DuckDBPyConnection, incident_id: int, kind: str, text_fields: dict[str, str],
                 author: str, seq: int = 1, expected_version: int | None = None) -> InfoReport:
    """Write (or rewrite, before it is sent) the report kind #seq of an incident: the prefilled layout with the
    given fields over it. A new report gets its due time from the rules; an existing one keeps its own.
    expected_version: the version the writer read (None for a report not written yet); stale -> ReportConflict."""
    if kind not in KINDS:
        raise ReportError(f"unknown report kind {kind!r}")
    author = (author or "").strip()
    if not author:
        raise ReportError("author is required: every report names who wrote it")
    unknown = set(text_fields) - set(LAYOUT)
    if unknown:
        raise ReportError(f"unknown report fields: {sorted(unknown)}")
    existing = find(con, incident_id, kind, seq)
    content = {**prefill(con, incident_id), **(existing.content if existing else {}),
               **{k: str(v or "").strip() for k, v in text_fields.items()}}
    text = json.dumps(content, ensure_ascii=False)
    summary = content["event_name"][:200]
    con.execute("BEGIN TRANSACTION")
    try:
        if existing is None:
            if expected_version is not None:
                raise ReportConflict(-1, expected_version, 0)
            report_id = con.execute("SELECT coalesce(max(report_id), 0) + 1 FROM info_reports").fetchone()[0]
            con.execute("INSERT INTO info_reports (report_id, incident_id, kind, seq, due_at, sent_at, author, "
                        "summary, content, version) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 1)",
                        [report_id, int(incident_id), kind, int(seq), due_at(con, incident_id, kind, seq), author,
                         summary, text])
        else:
            report_id = existing.report_id
            if existing.sent:
                raise ReportError(f"report {report_id} was sent at {existing.sent_at:%Y-%m-%d %H:%M}: "
                                  "a sent report is not rewritten (write the next follow-up)")
            _update_checked(con, report_id, expected_version if expected_version is not None else -1,
                            "author = ?, summary = ?, content = ?", [author, summary, text])
        db.bump_data_version(con)
        con.execute("COMMIT")
    except (duckdb.ConstraintException, duckdb.TransactionException) as exc:  # another writer got there first
        _rollback(con)
        raise ReportConflict(existing.report_id if existing else -1, expected_version or 0,
                             existing.version + 1 if existing else 1) from exc
    except Exception:
        _rollback(con)
        raise
    return load(con, report_id)


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:  # DuckDB already ended a transaction it aborted
        pass


def _update_checked(con, report_id: int, expected_version: int, assignments: str, values: list) -> None:
    """UPDATE ... WHERE version = expected: no row changed means someone else wrote first."""
    changed = con.execute(f"UPDATE info_reports SET {assignments}, version = version + 1 "
                          "WHERE report_id = ? AND version = ? RETURNING version",
                          [*values, int(report_id), int(expected_version)]).fetchall()
    if not changed:
        current = con.execute("SELECT version, sent_by FROM info_reports WHERE report_id = ?",
                              [int(report_id)]).fetchone()
        if current is None:
            raise ReportError(f"no report {report_id}")
        raise ReportConflict(report_id, expected_version, int(current[0] or 1), current[1])


def mark_sent(con: duckdb.DuckDBPyConnection, report_id: int, sent_to: str, channel: str, sent_by: str,
              expected_version: int, role: str | None = None, client: str | None = None) -> InfoReport:
    """Record that the report went to sent_to by channel (phone / written / platform), now (data.clock), and
    audit it (action report_sent). The deadline is cleared; sent after due_at it stays late."""
    sent_to, sent_by = (sent_to or "").strip(), (sent_by or "").strip()
    if channel not in CHANNELS:
        raise ReportError(f"unknown channel {channel!r}: one of {', '.join(CHANNELS)}")
    if not sent_to:
        raise ReportError("sent_to is required: whom the report went to")
    if not sent_by:
        raise ReportError("sent_by is required: every send is attributed")
    at = now()
    con.execute("BEGIN TRANSACTION")
    try:
        report = load(con, report_id)
        if report is None:
            raise ReportError(f"no report {report_id}")
        if report.sent:
            raise ReportConflict(report_id, expected_version, report.version, report.sent_by)
        _update_checked(con, report_id, expected_version, "sent_at = ?, sent_to = ?, channel = ?, sent_by = ?",
                        [at, sent_to, channel, sent_by])
        late = at > report.due_at
        accounts.audit(con, sent_by, role, "report_sent", incident_id=report.incident_id, client=client, at=at,
                       detail=f"info_report {report_id} {report.kind} #{report.seq} to {sent_to} by {channel}"
                              + (" (late)" if late else ""))
        db.bump_data_version(con)
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:  # a concurrent writer committed this row first
        _rollback(con)
        raise ReportConflict(report_id, expected_version, expected_version + 1) from exc
    except Exception:
        _rollback(con)
        raise
    db.checkpoint(con)
    return load(con, report_id)
