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
