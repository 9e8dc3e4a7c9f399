"""The county data tab of the Administration page (县域数据): pick a layer, download its template, upload a file,
check the column mapping, load it, and see the result, the quarantined rows, the county's check report and the
recent loads. The logic is views/county_data.py; this module only draws it."""
from __future__ import annotations

import streamlit as st

from data.county import templates
from data.county.layers import LAYERS
from data.county.read import ReadError
from ui import auth, database
from ui.language import lang, t
from views import county_data as cd

OUTCOME_KEY = "county_outcome"  # the last load's LoadOutcome, shown until the next one
INSPECTED_KEY = "county_inspected"  # ((file id, sheet), Upload) of the file on screen: read once, not every rerun
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAP_COLUMNS = 4
BAD = "color: #c00000; font-weight: 600"


@st.cache_data(max_entries=64, show_spinner=False)
def _template(layer: str, language: str) -> bytes:
    return templates.template(layer, language)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _check(version: int, language: str) -> dict:
    del version  # cache key only: a load bumps the data version
    return cd.check_report(database.cursor(), language)


def _inspect(token: str, data: bytes, name: str, sheet: str | None) -> cd.Upload:
    held = st.session_state.get(INSPECTED_KEY)
    if held and held[0] == (token, sheet):
        return held[1]
    upload = cd.inspect_upload(data, name, sheet)
    st.session_state[INSPECTED_KEY] = ((token, sheet), upload)
    return upload


def _escape(text: str) -> str:
    """Plain text inside st.markdown (file values may hold * _ ` [ ])."""
    for c in "\\*_`[]<>#":
        text = text.replace(c, "\\" + c)
    return text


def render() -> None:
    language = lang()
    con = database.cursor()
    st.caption(t("county.page.intro"))
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    layer = left.selectbox(t("county.page.layer"), cd.LAYER_NAMES, key="county_layer",
                           format_func=lambda n: cd.layer_label(n, language))
    right.download_button(t("county.page.template", layer=cd.layer_label(layer, language)),
                          _template(layer, language), file_name=templates.file_name(layer, language), mime=XLSX,
                          icon=":material/download:", key="county_template")
    upload = st.file_uploader(t("county.page.file"), type=list(cd.UPLOAD_TYPES), key="county_file")
    if upload is not None:
        _file_section(con, layer, upload, language)
    outcome = st.session_state.get(OUTCOME_KEY)
    if outcome is not None:
        _outcome(outcome, language)
    _below(language)


def _file_section(con, layer: str, upload, language: str) -> None:
    data, name, token = upload.getvalue(), upload.name, upload.file_id
    c1, c2, c3 = st.columns(3)
    sheet = None
    if cd.is_excel(name):
        sheets = cd.excel_sheets(data)
        if sheets:
            sheet = c1.selectbox(t("county.page.sheet"), sheets, key=f"county_sheet_{token}")
    choice = c2.selectbox(t("county.page.crs"), cd.CRS_CHOICES, key="county_crs",
                          format_func=lambda c: t(f"county.page.crs_choice.{c}"))
    epsg = c3.text_input(t("county.page.epsg"), key="county_epsg", help=t("county.page.epsg_help"),
                         disabled=choice != "epsg")
    crs = cd.crs_text(choice, epsg)
    if choice == "epsg" and crs is None:
        st.warning(t("county.page.need_epsg"))
    try:
        inspected = _inspect(token, data, name, sheet)
    except ReadError as exc:
        st.error(cd.error_text(exc.key, exc.values, layer, language))
        return
    st.markdown(f"**{t('county.page.preview_heading', n=len(inspected.head), total=f'{inspected.rows:,}')}**")
    st.dataframe(inspected.head.fillna(""), hide_index=True, width="stretch")
    if inspected.has_geometry:
        kinds = "、".join(f"{k} {v:,}" for k, v in inspected.geometry_kinds.items())
        st.caption(t("county.page.geometry_found", kinds=kinds, crs=inspected.crs or t("county.page.crs_undeclared")))
    else:
        st.caption(t("county.page.no_geometry"))

    st.markdown(f"**{t('county.page.mapping_heading')}**")
    st.caption(t("county.page.mapping_hint"))
    auto = cd.plan(layer, inspected.columns, inspected.has_geometry)
    options = ["", *inspected.columns]
    chosen: dict[str, str] = {}
    grid = st.columns(MAP_COLUMNS)
    for i, f in enumerate(LAYERS[layer].fields):
        label = cd.field_label(layer, f.name, language) + (" *" if auto.required[f.name] else "")
        default = auto.mapping.get(f.name, "")
        chosen[f.name] = grid[i % MAP_COLUMNS].selectbox(
            label, options, index=options.index(default), key=f"county_map_{token}_{sheet}_{layer}_{f.name}",
            format_func=lambda c: c or t("county.page.not_used"))
    p = cd.plan(layer, inspected.columns, inspected.has_geometry, chosen)
    table = cd.mapping_table(p, inspected, language)
    bad = table["status"].isin(["required_missing", "duplicate"]).to_numpy()
    shown = table.assign(status=[cd.status_label(s, language) for s in table["status"]])
    shown = shown.rename(columns=cd.mapping_headers(language))
    st.dataframe(shown.style.apply(lambda row: [BAD if bad[row.name] else ""] * len(row), axis=1),
                 hide_index=True, width="stretch")
    found = "、".join(inspected.columns)
    if p.needs_geometry:
        st.error(cd.error_text("needs_geometry", {"layer": layer, "found": found}, layer, language))
    elif p.missing_required:
        st.error(cd.error_text("missing_columns", {"fields": ", ".join(p.missing_required), "found": found},
                               layer, language))
    for column, names in p.duplicates.items():
        st.error(cd.error_text("duplicate_column", {"column": column, "fields": ", ".join(names)}, layer, language))
    blocked = not p.ready or (choice == "epsg" and crs is None)
    if st.button(t("county.page.load"), type="primary", disabled=blocked, key="county_load"):
        auth.require("manage_users")
        user = auth.current_user()
        with st.status(t("county.page.loading", layer=cd.layer_label(layer, language)), expanded=False) as status:
            outcome = cd.load_upload(con, layer, data, name, sheet=sheet, crs=crs, chosen=chosen,
                                     username=user.username if user else None, role=user.role if user else None)
            if outcome.ok:
                status.update(label=t("county.page.loaded", seconds=outcome.result.seconds), state="complete")
            else:
                status.update(label=t("county.page.load_failed"), state="error")
        st.session_state[OUTCOME_KEY] = outcome


def _outcome(outcome: cd.LoadOutcome, language: str) -> None:
    st.subheader(t("county.page.result_heading", file=outcome.file_name))
    if not outcome.ok:
        st.error(cd.outcome_error(outcome, language))
        return
    summary = cd.result_summary(outcome.result, language)
    for col, (label, value) in zip(st.columns(len(summary["metrics"])), summary["metrics"]):
        col.metric(label, f"{value:,}")
    st.caption(summary["accounting"])
    if summary["reasons"].empty:
        st.success(t("county.page.all_accounted"))
        return
    st.dataframe(summary["reasons"], hide_index=True)
    st.markdown(f"**{t('county.page.quarantine_heading')}**")
    st.caption(t("county.page.quarantine_hint"))
    table = cd.quarantine_table(outcome.quarantine, outcome.layer, language)
    st.dataframe(table, hide_index=True, width="stretch")
    file_name = cd.quarantine_file_name(outcome.layer, language)
    st.download_button(t("county.page.download_quarantine"), cd.quarantine_csv(table), file_name=file_name,
                       mime="text/csv", key="county_quarantine_csv", icon=":material/download:",
                       on_click=lambda: auth.audit("county_quarantine_download",
                                                   detail=f"{file_name}; {len(table):,}"))


def _below(language: str) -> None:
    st.subheader(t("county.page.check_heading"))
    report = _check(database.data_version(), language)
    if report["county"]:
        st.markdown(f"**{_escape(report['county'])}**")
    colours = {"missing": "red", "warning": "orange", "info": "blue"}
    if report["findings"]:
        st.markdown("\n".join(f"- :{colours.get(code, 'gray')}[{label}] {_escape(text)}"
                              for code, label, text in report["findings"]))
    else:
        st.success(t("county.page.check_ok"))
    with st.expander(t("county.page.layer_counts")):
        st.dataframe(report["counts"], hide_index=True)
    st.subheader(t("county.page.recent_heading"))
    recent = cd.recent_loads(database.cursor(), language)
    if recent.empty:
        st.caption(t("county.page.no_loads"))
    else:
        st.dataframe(recent, hide_index=True, width="stretch")

