"""Revealing one incident's caller for a callback (回访): the role check, the reason, the audit row.

No Streamlit: ui/one_map_detail.py calls reveal_caller and keeps the answer in the browser session only
(for that incident); nothing is persisted but the audit row. Everyone else sees the masks of data/privacy.py.
"""
from __future__ import annotations

import duckdb

from data import accounts, roles
from queries import runner

AUDIT_ACTION = "reveal_caller"
MIN_REASON_LENGTH = 2
ERROR_KEY_PREFIX = "one_map.reveal.error."


class RevealRefused(PermissionError):
    """A refused reveal. `code` names the reason; `key` is its UI string (one_map.reveal.error.<code>)."""

    def __init__(self, code: str, message: str | None = None):
        super().__init__(message or code)
        self.code = code

    @property
    def key(self) -> str:
        return ERROR_KEY_PREFIX + self.code


def clean_reason(reason: str | None) -> str:
    """The reason as audited (surrounding blanks dropped); RevealRefused("reason") when too short."""
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON_LENGTH:
        raise RevealRefused("reason", f"a reason of at least {MIN_REASON_LENGTH} characters is required")
    return text


def reveal_caller(con: duckdb.DuckDBPyConnection, incident_id: int, user: str, role: str | None, reason: str,
                  client: str | None = None) -> tuple[str | None, str | None]:
    """The unmasked (caller_name, caller_phone) of one incident, for a role with view_personal and a reason.

    Writes one audit row (action reveal_caller, the incident, detail = the reason) before returning.
    Raises RevealRefused: "forbidden" (role may not view personal data), "reason" (empty or shorter than
    MIN_REASON_LENGTH), "not_found" (no such incident). Refusals write nothing."""
    if not roles.may(role, "view_personal"):
        raise RevealRefused("forbidden", f"role {role!r} may not view personal data")
    text = clean_reason(reason)
    found = runner.run(con, "onemap_incident_caller", incident_id=int(incident_id))
    if found.empty:
        raise RevealRefused("not_found", f"no incident {incident_id}")
    row = found.iloc[0]
    accounts.audit(con, user, role, AUDIT_ACTION, incident_id=int(incident_id), detail=text, client=client)
    return _text(row["caller_name"]), _text(row["caller_phone"])


def _text(value) -> str | None:
    return None if value is None or value != value else str(value)  # NULL arrives as None or NaN
