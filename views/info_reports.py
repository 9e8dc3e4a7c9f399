"""The duty desk's report form without Streamlit: which due reports can be written, and the report to show for
one of them (the stored one, or a new draft prefilled from the incident)."""
from __future__ import annotations

import pandas as pd

import i18n
from data import info_reports
from data.info_reports import InfoReport

OPEN_STATES = ("overdue", "due_soon", "pending")  # owed and not sent, worst first


def due_choices(deadlines: pd.DataFrame, lang: str, limit: int = 200) -> dict[tuple[int, str, int], str]:
    """{(incident_id, kind, seq): label} of the reports still owed, overdue first, then by due time."""
    owed = deadlines[deadlines["state"].isin(OPEN_STATES)].copy()
    owed["rank"] = owed["state"].map({s: k for k, s in enumerate(OPEN_STATES)})
    owed = owed.sort_values(["rank", "due_at", "incident_id"]).head(limit)
    s = i18n.strings(lang)
    hazard = i18n.label_column(lang, "hazard")
    return {(int(r["incident_id"]), r["kind"], int(r["seq"])): "{} · {}".format(
        s[f"info_report.state_{r['state']}"],
        s["info_report.option"].format(due=f"{r['due_at']:%m-%d %H:%M}",
                                       kind=s[f"info_report.kind_{r['kind']}"].format(seq=r["seq"]),
                                       level=r["severity_roman"], hazard=r[hazard], place=r["township"] or ""))
        for _, r in owed.iterrows()}


KIND_ORDER = ("first", "follow_up", "final")


def overdue_by_incident(deadlines: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The overdue (owed, not sent) reports grouped by incident: one row each, most urgent first.

    missed: how many reports are overdue; missed_reports: which ("首报、续报 ×121"); oldest_due and late_minutes:
    the first one missed and how long ago it fell due; next_due: the next report still owed after $now (NaT when
    none: closed). Most urgent: the most severe first, a missed 首报 before follow-ups only, then the soonest next
    deadline, then the oldest miss. A stale event missing a 续报 every day is one row, not one per day."""
    cols = ["incident_id", "severity", "severity_roman", "hazard_zh", "hazard_en", "township", "description",
            "missed", "missed_reports", "oldest_due", "late_minutes", "next_due"]
    over = deadlines[deadlines["state"] == "overdue"]
    if over.empty:
        return pd.DataFrame(columns=cols)
    s = i18n.strings(lang)
    kind_names = {k: s[f"duty_desk.kind_short.{k}"] for k in KIND_ORDER}
    ahead = (deadlines[deadlines["state"].isin(("due_soon", "pending"))]
             .groupby("incident_id")["due_at"].min().rename("next_due"))

    def kinds(frame: pd.DataFrame) -> str:
        counts = frame["kind"].value_counts()
        return s["app.list_sep"].join(kind_names[k] + (f" ×{counts[k]}" if counts[k] > 1 else "")
                                            for k in KIND_ORDER if k in counts)

    grouped = over.sort_values("due_at").groupby("incident_id", sort=False)
    out = grouped.agg(severity=("severity", "first"), severity_roman=("severity_roman", "first"),
                      hazard_zh=("hazard_zh", "first"), hazard_en=("hazard_en", "first"),
                      township=("township", "first"), description=("description", "first"),
                      missed=("kind", "size"), oldest_due=("due_at", "min"), late_minutes=("late_minutes", "max"))
    out["missed_reports"] = pd.Series({i: kinds(f) for i, f in grouped}, dtype=object)
    out["first_missed"] = pd.Series({i: bool((f["kind"] == "first").any()) for i, f in grouped})
    out = out.join(ahead, how="left").reset_index()
    out = out.sort_values(["severity", "first_missed", "next_due", "oldest_due", "incident_id"],
                          ascending=[True, False, True, True, True], na_position="last")
    return out[cols].reset_index(drop=True)


def draft(con, incident_id: int, kind: str, seq: int, author: str) -> tuple[InfoReport, bool]:
    """The stored report (True) or a draft not yet saved (False): prefilled, version 0, due time from the rules."""
    stored = info_reports.find(con, incident_id, kind, seq)
    if stored is not None:
        if not stored.content:  # a row the import or the demo wrote: no text yet
            stored.content = info_reports.prefill(con, incident_id)
        return stored, True
    due = info_reports.due_at(con, incident_id, kind, seq)
    return InfoReport(0, incident_id, kind, seq, due, None, author, info_reports.prefill(con, incident_id),
                      version=0), False
