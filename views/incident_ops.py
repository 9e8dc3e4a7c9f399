"""The incident panel's logic without Streamlit: the status line (each step's time and who), the dispatches with
their time limits and next step, the action history and a stale version's conflict message as text in the UI
language, and the call form's values turned into data.incident_ops.record_call arguments.

    names = Names.load(fetch, lang)                   # code labels the texts need, from cached queries
    status_line(state, ops.history(con, i), lang)     # [{step, at, who, done}]
    conflict_text(err, lang, names)                   # who changed what meanwhile
Everything that acts lives in data/incident_ops.py; ui/incident_panel.py draws and clicks."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

import i18n
from data import incident_ops as ops
from data.domain import SEVERITY_ROMAN

# The incident's steps in order: its time column, and the actions whose author is "who" for it.
STATUS_STEPS = (("received", "received_at", ("record",)),
                ("dispatched", "dispatched_at", ("dispatch",)),
                ("on_scene", "on_scene_at", ("arrived",)),
                ("feedback", "feedback_at", ("feedback",)),
                ("callback", "callback_at", ("callback",)),
                ("closed", "closed_at", ("close", "false_alarm")))
PLACE_MODES = ("place", "coordinates")


@dataclass
class Names:
    """Code labels in one language (hazards, statuses, linkage levels, units, channels) and the display names
    of the people who act (username -> name); made from cached queries by load(), or by hand in tests."""
    lang: str = i18n.DEFAULT_LANGUAGE
    hazards: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    levels: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    channels: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def person(self, username: str | None) -> str:
        """The display name of an account (演示·值班员, not "duty"); the username when it has none."""
        return self.people.get(username, username) if username else ""

    @classmethod
    def load(cls, fetch: Callable[..., pd.DataFrame], lang: str, units: list[dict] | None = None) -> Names:
        levels, people = fetch("ops_linkage_levels"), fetch("ops_people")
        return cls(lang, i18n.code_names(fetch("hazard_types"), lang),
                   i18n.code_names(fetch("onemap_incident_statuses"), lang),
                   dict(zip(levels["level"].astype(int), levels[i18n.label_column(lang)])),
                   {int(u["unit_id"]): u["name"] for u in units or []},
                   i18n.code_names(fetch("onemap_channels"), lang),
                   dict(zip(people["username"], people["display_name"])))


def _t(lang: str, key: str, **values) -> str:
    return i18n.translate(key, lang, **values)


def ts(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%m-%d %H:%M")


def severity_label(level: int, lang: str) -> str:
    return _t(lang, "ops.severity_option", roman=SEVERITY_ROMAN[int(level)],
              name=_t(lang, f"ops.severity_name.{int(level)}"))


def is_alarm(state: dict) -> bool:
    return state["channel"] in ops.ALARM_CHANNELS


def may_act(state: dict) -> bool:
    return state["status"] != "closed"


# ------------------------------------------------------------------ what the panel shows
def status_line(state: dict, history: list[dict], names: Names | None = None) -> list[dict]:
    """Each step of the incident: its time (None: not yet) and who did it (the first app action that made it,
    by display name when names are given; empty when the source system's export set it)."""
    out = []
    for step, column, actions in STATUS_STEPS:
        who = next((h["username"] for h in history if h["action"] in actions), "")
        who = names.person(who) if names else who
        out.append({"step": step, "at": state.get(column), "who": who, "done": state.get(column) is not None})
    return out


def dispatch_rows(state: dict, names: Names) -> list[dict]:
    """The incident's dispatches as the panel lists them: unit, linkage level, time limit in minutes, deadline,
    the steps done with their times, the next step, overdue (computed in data.incident_ops.state) and, for an
    assignment ended by a reassignment, when and why."""
    rows = []
    for d in state["dispatches"]:
        limit = int(round((d["deadline_at"] - d["assigned_at"]).total_seconds() / 60))
        done = [(step, d[f"{step}_at"]) for step in ops.STEPS if d.get(f"{step}_at") is not None]
        rows.append({"dispatch_id": int(d["dispatch_id"]), "unit_id": int(d["unit_id"]),
                     "unit": d["unit_name"] or names.units.get(int(d["unit_id"]), f"#{d['unit_id']}"),
                     "level": names.levels.get(int(d["linkage_level"]), str(d["linkage_level"]))
                     if d["linkage_level"] is not None else "",
                     "limit_minutes": limit, "assigned_at": d["assigned_at"], "deadline_at": d["deadline_at"],
                     "done": done, "next_step": d["next_step"], "overdue": bool(d["overdue"]),
                     "ended_at": d["ended_at"], "ended_reason": ended_reason(d["ended_reason"], names.lang)})
    return rows


# Reasons the system writes (codes) rather than a person (free text): named in the user's language.
_SYSTEM_END_REASONS = {ops.STOOD_DOWN: "ops.dispatch.stood_down", "source_reassigned": "ops.dispatch.source_moved"}


def ended_reason(reason: str | None, lang: str) -> str:
    key = _SYSTEM_END_REASONS.get(reason or "")
    return _t(lang, key) if key else (reason or "")


def unit_options(units: list[dict], suggestions: list[dict], limits: pd.DataFrame, category: str,
                 names: Names) -> tuple[list[int], dict[int, str], list[int]]:
    """(every unit id, suggestions first; {unit_id: "name · level · time limit"}; the suggested ids to
    prefill). The time limit is the one the unit would get now (its level and the incident's category)."""
    minutes = {int(r.linkage_level): int(r.arrive_minutes) for r in limits.itertuples() if r.category == category}
    suggested = [int(s["unit_id"]) for s in suggestions]
    why = {int(s["unit_id"]): s["why"] for s in suggestions}
    by_id = {int(u["unit_id"]): u for u in units}
    order = suggested + [u for u in by_id if u not in why]
    labels = {}
    for unit_id in order:
        u = by_id.get(unit_id) or next(s for s in suggestions if int(s["unit_id"]) == unit_id)
        level = int(u["linkage_level"])
        text = _t(names.lang, "ops.unit_option", name=u["name"], level=names.levels.get(level, str(level)),
                  limit=duration(minutes.get(level), names.lang))
        if unit_id in why:
            text += " · " + _t(names.lang, f"ops.why.{why[unit_id]}")
        labels[unit_id] = text
    return order, labels, suggested


def duration(minutes, lang: str) -> str:
    return i18n.duration(minutes, lang)


def _value(field_name: str, value, names: Names) -> str:
    """One changed value as the user reads it: codes named, severities as numerals, times short."""
    if value is None:
        return "-"
    lang = names.lang
    if field_name == "severity":
        return SEVERITY_ROMAN.get(int(value), str(value))
    if field_name == "hazard":
        return names.hazards.get(value, str(value))
    if field_name == "status":
        return names.statuses.get(value, str(value))
    if field_name == "unit_id":
        return names.units.get(int(value), f"#{value}")
    if field_name == "alarm_verdict":
        return _t(lang, f"ops.verdict.{value}") if value in ops.VERDICTS else str(value)
    if field_name == "close_result" and value == ops.FALSE_ALARM_RESULT:
        return _t(lang, "ops.false_alarm_result")
    if field_name.endswith("_at"):
        return ts(value)
    return str(value)


def changes_text(changes: dict, names: Names) -> str:
    """{field: [before, after]} as "等级: IV → III；状态: …" (a new value alone when there was none)."""
    lang = names.lang
    sep = "; " if lang == "en" else "；"
    parts = []
    for name, pair in changes.items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        key = f"ops.field.{name}"
        label = _t(lang, key if key in i18n.strings(lang) else "ops.field.other")
        text = _value(name, after, names) if before is None else \
            f"{_value(name, before, names)} → {_value(name, after, names)}"
        parts.append(f"{label}: {text}")
    return sep.join(parts)


def action_label(action: str, lang: str) -> str:
    key = f"ops.action.{action}"
    return _t(lang, key if key in i18n.strings(lang) else "ops.action.other")


def history_rows(history: list[dict], names: Names) -> list[dict]:
    """The action log, newest first, as lines: when, who, what, and what changed or why."""
    out = []
    for h in reversed(history):
        detail = changes_text(h["changes"] or {}, names)
        if h.get("reason") and h["reason"] not in detail:  # a close's result is its reason too: said once
            detail = (detail + (" · " if detail else "")) + _t(names.lang, "ops.reason_is", reason=h["reason"])
        out.append({"at": ts(h["acted_at"]), "who": names.person(h["username"]), "detail": detail,
                    "action": action_label(h["action"], names.lang), "source": h.get("origin") not in (None, "app")})
    return out


def conflict_text(err: ops.IncidentConflict, names: Names) -> str:
    """What the user is told when the incident changed since they read it: the versions and each action taken
    meanwhile (when, who, what, what changed). Markdown: a list, one item each."""
    lang = names.lang
    items = []
    for a in err.since:
        what = changes_text(a.get("changes") or {}, names)
        items.append(f"- {ts(a['acted_at'])} {names.person(a['username'])} {action_label(a['action'], lang)}"
                     + (f"（{what}）" if what and lang != "en" else f" ({what})" if what else ""))
    if not err.since:
        items.append("- " + _t(lang, "ops.conflict_source"))
    # Blank lines around the list, so the closing sentence is not read as part of its last item.
    return "\n\n".join([_t(lang, "ops.conflict", expected=err.expected, current=err.current), "\n".join(items),
                        _t(lang, "ops.conflict_reloaded")])


def error_text(err: ops.OpsError, lang: str) -> str:
    """An OpsError in the UI language: ops.error.<key>; a record the import checks refused names the check's
    reason as the Data import page does; a key without a message says so generically (never English in zh)."""
    strings = i18n.strings(lang)
    values = {k: v for k, v in err.values.items()}
    key = f"ops.error.{err.key}"
    if key in strings:
        try:
            return strings[key].format(**values)
        except (KeyError, IndexError):
            return strings[key]
    if err.key.startswith("refused_"):
        reason = err.key.removeprefix("refused_")
        label = strings.get(f"data_import.reasons.{reason}", reason)
        return strings["ops.error.refused"].format(reason=label)
    return strings["ops.error.other"]


# ------------------------------------------------------------------ the call form
def places(frame: pd.DataFrame) -> dict[str, list[str]]:
    """{township: [its villages]} from queries/ops_places.sql, in name order."""
    out: dict[str, list[str]] = {}
    for township, village in zip(frame["township"], frame["village"]):
        villages = out.setdefault(township, [])
        if village is not None and not pd.isna(village):
            villages.append(village)
    return out


def call_arguments(*, mode: str, hazard: str, severity: int, received_at: datetime | None, township: str | None,
                   village: str | None, lon: float | None, lat: float | None, address: str = "",
                   caller_name: str = "", caller_phone: str = "", description: str = "") -> dict:
    """The form's values as record_call's keyword arguments: by place (township / village names) or by
    coordinates, never both, so a stale value of the hidden half cannot move the call; empty text is None."""
    if mode not in PLACE_MODES:
        raise ValueError(f"mode {mode!r}: one of {PLACE_MODES}")
    by_place = mode == "place"

    def text(value: str) -> str | None:
        return (value or "").strip() or None

    return {"hazard": hazard, "severity": int(severity), "received_at": received_at,
            "township": (township or None) if by_place else None,
            "village": (village or None) if by_place else None,
            "lon": None if by_place or lon is None else float(lon),
            "lat": None if by_place or lat is None else float(lat),
            "address": text(address), "caller_name": text(caller_name), "caller_phone": text(caller_phone),
            "description": text(description)}


def source_conflict_rows(conflicts: list[dict], names: Names) -> list[dict]:
    """Open conflicts with a source system as lines: which field, the value OneMap kept, the source's value."""
    lang = names.lang
    out = []
    for c in conflicts:
        key = f"ops.field.{c['field']}"
        label = _t(lang, key if key in i18n.strings(lang) else "ops.field.other")
        source_key = f"data_import.sources.{c['source']}"
        source = _t(lang, source_key) if c["source"] and source_key in i18n.strings(lang) else (c["source"] or "")
        out.append({"conflict_id": int(c["conflict_id"]), "field": label,
                    "kept": _value(c["field"], _parsed(c["app_value"]), names),
                    "source_value": _value(c["field"], _parsed(c["source_value"]), names),
                    "source": source, "found": ts(c["found_at"])})
    return out


def _parsed(text):
    """Conflict values are stored as text: an integer code (a unit) back to int, the rest as written."""
    return int(text) if isinstance(text, str) and text.isdigit() else text
