"""数据接入: upload source exports, see the accounting, view / correct / re-import the quarantine."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import settings
from data import ingest
from data.ingest import detect, export, inbox, mapping, records
from ui import auth, county, database, language, navigation

navigation.require("data_import")
t = language.t
RECENT = 20
QUARANTINE_ROWS = 500


def _source_label(code: str) -> str:
    return t(f"data_import.sources.{code}")


def _reason_label(code: str) -> str:
    return t(f"data_import.reasons.{code}")


def _error_text(res: dict) -> str:
    """Why a file was not imported, in the user's language: never the reader's raw message."""
    if res["error"] == "mismatch":
        return t("data_import.mismatch_skipped", file=res["file"], detected=_source_label(res["detected"]),
                 chosen=_source_label(res["source"]))
    reason = str(res["error"]).split(":", 1)[0].strip()
    if reason not in ("empty", "encoding", "format", "header", "json", "missing", "xlsx"):
        reason = "other"
    expected = " / ".join(list(mapping.load(res["source"]).columns)[:4]) if res.get("source") in ingest.SOURCES else ""
    return t("data_import.unreadable", file=res["file"],
             error=t(f"data_import.unreadable_reasons.{reason}", source=_source_label(res.get("source", "")),
                     expected=expected))


def _show_result(res: dict) -> None:
    st.subheader(t("data_import.result_heading", file=res["file"]))
    if res.get("error"):
        st.error(_error_text(res))
        return
    shown = ("rows_in", "stored", "updated", "quarantined", "already_present", "linked")
    for col, key in zip(st.columns(len(shown)), shown):
        col.metric(t(f"data_import.{key}"), f"{res.get(key, 0):,}")
    st.caption(t("data_import.accounting", **{k: f"{res.get(k, 0):,}" for k in
                                               ("rows_in", "stored", "updated", "quarantined", "already_present")}))
    unknown_units = (res.get("notes") or {}).get("unknown_units")
    if unknown_units:
        st.warning(t("data_import.unknown_units", units="、".join(f"{name}（{rows}）"
                                                                 for name, rows in unknown_units.items())))
    if res.get("reasons"):
        st.dataframe(pd.DataFrame([(_reason_label(k), v) for k, v in res["reasons"].items()],
                                  columns=[t("data_import.reason"), t("data_import.rows")]), hide_index=True)


county.header(t("data_import.title"))
st.caption(t("data_import.intro"))
con = database.cursor()
db_path = database.path()
st.caption(t("data_import.sharing", inbox=str(inbox.inbox_dir(db_path)),
             seconds=settings.load()["wall"]["refresh_seconds"]))
waiting = len(inbox.pending(db_path))
if waiting:
    st.info(t("data_import.inbox_pending", n=waiting))

may_import = auth.can("import_data")
if not may_import:
    st.info(t("data_import.no_permission"))
else:
    # A new uploader key after each import clears it: a file is imported once, never re-submitted under
    # another source. The source is recognised from each file's header (or first record) and preselected.
    round_no = st.session_state.setdefault("upload_round", 0)
    uploads = st.file_uploader(t("data_import.files"), accept_multiple_files=True,
                               type=["csv", "txt", "xlsx", "json", "jsonl"], key=f"uploads_{round_no}")
    found = {up.file_id: detect.detect(up.getvalue()[:detect.HEAD_BYTES] if not up.name.lower().endswith(".xlsx")
                                       else up.getvalue(), up.name) for up in uploads or []}
    recognised = sorted({d.source for d in found.values() if d.source})
    signature = (round_no, tuple(sorted(found)))
    if recognised and st.session_state.get("source_detected_for") != signature:
        st.session_state["source"] = recognised[0]  # preselect what the files are
        st.session_state["source_detected_for"] = signature
    source = st.selectbox(t("data_import.source"), ingest.SOURCES, format_func=_source_label, key="source")
    for up in uploads or []:
        d = found[up.file_id]
        if d.source is None:
            st.warning(t("data_import.not_recognised", file=up.name))
        elif d.source != source:
            st.error(t("data_import.mismatch", file=up.name, detected=_source_label(d.source),
                       chosen=_source_label(source)))
        else:
            st.caption(t("data_import.recognised", file=up.name, source=_source_label(d.source)))
    submitted = st.button(t("data_import.submit"), type="primary", key="submit_import")
    if submitted:
        if not uploads:
            st.warning(t("data_import.need_file"))
        else:
            results = []
            with tempfile.TemporaryDirectory(prefix="onemap-upload-") as tmp:
                for up in uploads:
                    d = found[up.file_id]
                    if d.source is not None and d.source != source:  # never read a file as another system's
                        results.append({"file": up.name, "source": source, "error": "mismatch",
                                        "detected": d.source})
                        continue
                    path = Path(tmp) / Path(up.name).name
                    path.write_bytes(up.getvalue())
                    bar = st.progress(0.0, text=up.name)
                    res = ingest.import_file(con, path, source, via="page", file_name=up.name,
                                             progress=lambda f, step, b=bar, n=up.name: b.progress(f, text=n))
                    bar.empty()
                    results.append(res.as_dict())
            st.session_state["import_results"] = results
            st.session_state["upload_round"] = round_no + 1
            st.rerun()
for res in st.session_state.get("import_results", []):
    _show_result(res)

st.subheader(t("data_import.recent_heading"))
recent = database.query("ingest_recent_imports", limit=RECENT)
if len(recent):
    via_names = {v: t(f"data_import.via_names.{v}") for v in ("cli", "page", "inbox", "quarantine", "app", "api")}
    st.dataframe(recent.drop(columns=["import_id"]).assign(
        source=recent["source"].map(_source_label),
        via=recent["via"].map(lambda v: via_names.get(v, v))).rename(columns={
        "encoding": t("data_import.encoding"),
        "imported_at": t("data_import.when"), "source": t("data_import.source"), "file_name": t("data_import.file"),
        "via": t("data_import.via"), "rows_in": t("data_import.rows_in"), "stored": t("data_import.stored"),
        "updated": t("data_import.updated"), "quarantined": t("data_import.quarantined"),
        "already_present": t("data_import.already_present"),
        "linked": t("data_import.linked")}), hide_index=True)

st.subheader(t("data_import.quarantine_heading"))
choice = st.selectbox(t("data_import.quarantine_filter"), ("",) + ingest.SOURCES, key="q_source",
                      format_func=lambda c: t("data_import.all_sources") if c == "" else _source_label(c))
held = database.query("ingest_quarantine_open", source=choice, limit=QUARANTINE_ROWS)
if held.empty:
    st.success(t("data_import.quarantine_empty"))
else:
    # the field as the source system names it (报警时间, not received_at), as in the record beside it
    columns_of = {src: mapping.load(src).column_of() for src in held["source"].unique()}
    shown = held.assign(
        field=[columns_of[src].get(f, f) if f else "" for src, f in zip(held["source"], held["field"])],
        source=held["source"].map(_source_label), reason=held["reason"].map(_reason_label),
        record=[json.dumps(records.masked_fields(s, r), ensure_ascii=False)
                for s, r in zip(held["source"], held["record"])])
    shown = shown.rename(columns={"quarantine_id": "#", "record": t("data_import.record"),
                                  "source": t("data_import.source"), "file_name": t("data_import.file"),
                                  "row_no": t("data_import.row_no"), "reason": t("data_import.reason"),
                                  "field": t("data_import.field"), "bad_value": t("data_import.bad_value")})
    st.dataframe(shown, hide_index=True)
    st.download_button(t("data_import.download"), export.to_csv_bytes(shown), file_name="quarantine.csv",
                       mime="text/csv")
    if may_import:
        st.markdown(f"**{t('data_import.correct_heading')}**")
        st.caption(t("data_import.correct_hint"))
        fixable = held[held["reason"] != "malformed_row"]
        if len(fixable):
            reason_of = held.set_index("quarantine_id")["reason"]
            qid = st.selectbox(t("data_import.pick_row"), fixable["quarantine_id"].tolist(), key="q_pick",
                               format_func=lambda i: f"#{i} · {_reason_label(reason_of.at[i])}")
            row = fixable.set_index("quarantine_id").loc[qid]
            personal = records.personal_keys(row["source"])
            with st.form(f"fix_{qid}"):
                edits = {}
                for key, value in records.masked_fields(row["source"], row["record"]).items():
                    edits[key] = st.text_input(key, value, disabled=key in personal, key=f"fix_{qid}_{key}")
                again = st.form_submit_button(t("data_import.reimport"))
            if again:
                try:
                    fixed = records.merge_corrections(row["source"], row["record"], edits)
                except (json.JSONDecodeError, ValueError) as exc:
                    st.error(t("data_import.bad_json", error=exc))
                else:
                    res = ingest.reimport_quarantined(con, row["source"], [(int(qid), fixed)])
                    st.session_state["reimport_message"] = t(
                        "data_import.reimport_done", stored=res.stored, updated=res.updated,
                        quarantined=res.quarantined, already_present=res.already_present)
                    st.rerun()
if "reimport_message" in st.session_state:
    st.success(st.session_state.pop("reimport_message"))
