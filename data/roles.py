"""Who may open which page and do which action: the one role table of OneMap.

Pure data, no Streamlit: ui/auth.py enforces it, pages/admin.py shows it, tests pin it cell by cell.
Reasoning behind the cells:
- Caller names and phones (PIPL) are seen in full only by the two roles that must call back or hand an
  incident over: the commander and the duty officer. Leaders read summaries; analysts work on masked data;
  the administrator manages accounts, not incidents (separation of duties); the wall screen is public-facing.
- Exports are allowed to every desk role; what an export contains follows view_personal (masked otherwise).
- Acting on an incident (record a call, grade, dispatch, record steps, close) belongs to the two roles on duty
  for it: the commander and the duty officer. Leaders and analysts watch; the admin does not run incidents.
"""
from __future__ import annotations

ROLES: tuple[str, ...] = ("commander", "duty_officer", "analyst", "leader", "admin", "wall")
# The wall role has no account and no password: it signs in with a revocable token in the URL.
ACCOUNT_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r != "wall")

PAGES: tuple[str, ...] = ("one_map", "resources", "risk", "analysis", "duty_desk", "daily_report",
                          "data_import", "admin")
ACTIONS: tuple[str, ...] = ("view_personal", "export", "edit_roster", "import_data", "manage_users",
                             "handle_incidents")

PAGE_ACCESS: dict[str, frozenset[str]] = {
    "commander":    frozenset({"one_map", "resources", "risk", "analysis", "duty_desk", "daily_report"}),
    "duty_officer": frozenset({"one_map", "resources", "risk", "duty_desk", "daily_report", "data_import"}),
    "analyst":      frozenset({"one_map", "resources", "risk", "analysis", "daily_report"}),
    "leader":       frozenset({"one_map", "resources", "risk", "analysis", "daily_report"}),
    "admin":        frozenset({"one_map", "data_import", "admin"}),
    "wall":         frozenset({"one_map"}),
}

ACTION_ACCESS: dict[str, frozenset[str]] = {
    "commander":    frozenset({"view_personal", "export", "handle_incidents"}),
    "duty_officer": frozenset({"view_personal", "export", "edit_roster", "import_data", "handle_incidents"}),
    "analyst":      frozenset({"export"}),
    "leader":       frozenset({"export"}),
    "admin":        frozenset({"import_data", "manage_users"}),
    "wall":         frozenset(),
}


def may_open(role: str | None, page: str) -> bool:
    if page not in PAGES:
        raise KeyError(f"unknown page {page!r}: add it to data/roles.py PAGES and PAGE_ACCESS")
    return page in PAGE_ACCESS.get(role or "", frozenset())


def may(role: str | None, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: one of {ACTIONS}")
    return action in ACTION_ACCESS.get(role or "", frozenset())


def pages_for(role: str | None) -> list[str]:
    """The role's pages in navigation order."""
    return [p for p in PAGES if may_open(role, p)]


def _check_table() -> None:
    """Fail at import when the table names a page, action or role that does not exist (typos hide grants)."""
    if not set(PAGE_ACCESS) == set(ROLES) == set(ACTION_ACCESS):
        raise ValueError("every role needs a row in PAGE_ACCESS and ACTION_ACCESS")
    for role in ROLES:
        if PAGE_ACCESS[role] - set(PAGES) or ACTION_ACCESS[role] - set(ACTIONS):
            raise ValueError(f"{role}: unknown page or action in the role table")


_check_table()
