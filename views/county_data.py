"""The Administration page's county data tab without Streamlit: what an uploaded file holds, which of its columns
feeds which field (the loader's own header matching, with the user's choices on top), the load itself from
bytes and a file name, and the result, quarantine, recent loads and check report in the user's language.

ui/county_data.py draws it; tests drive these functions directly (AppTest cannot hand a file to an uploader)."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

import i18n
from data.county import check
from data.county.crs import of as crs_of
from data.county.layers import LAYERS, Layer
from data.county.load import LoadResult, MappingError, load_source, map_columns
from data.county.read import CountyError, read
from queries import runner

LAYER_NAMES: tuple[str, ...] = tuple(LAYERS)
UPLOAD_TYPES: tuple[str, ...] = ("zip", "gpkg", "geojson", "json", "kml", "csv", "xlsx")
CRS_CHOICES: tuple[str, ...] = ("file", "wgs84", "cgcs2000", "gcj02", "bd09", "epsg")
SHAPED = ("polygon", "line")  # layers that need shapes from the file itself
PREVIEW_ROWS = 5
RECENT_LOADS = 20
STATUSES = ("found", "chosen", "missing", "required_missing", "duplicate")


def tr(key: str, lang: str, **values) -> str:
    return i18n.translate(key, lang, **values)


def layer_label(layer_name: str, lang: str) -> str:
    return tr(f"county.layer.{layer_name}", lang)


def field_label(layer_name: str, field_name: str, lang: str) -> str:
    """A field as the user knows it: the template's column name in Chinese, a short name in English."""
    layer = LAYERS.get(layer_name)
    known = {f.name: f for f in layer.fields} if layer else {}
    if field_name == "geometry":
        return tr("county.page.geometry", lang)
    if field_name not in known:
        return field_name
    if lang == "zh-CN":
        return known[field_name].headers[0]
    return tr(f"county.label.{field_name}", lang)


def crs_text(choice: str, epsg: str = "") -> str | None:
    """The select's choice as the loader's crs argument (None: as the file states)."""
    if choice == "file":
        return None
    if choice == "epsg":
        code = epsg.strip()
        if not code:
            return None
        return f"EPSG:{code}" if code.isdigit() else code
    return choice


# ---------------------------------------------------------------- the uploaded file

@contextlib.contextmanager
def saved(data: bytes, file_name: str) -> Iterator[Path]:
    """The upload as a temporary file with its own name and suffix (the loader reads paths and tells formats by
    the suffix); removed afterwards."""
    name = Path(file_name).name or "upload"
    with tempfile.TemporaryDirectory(prefix="onemap-county-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path


def is_excel(file_name: str) -> bool:
    return Path(file_name).suffix.lower() in (".xlsx", ".xls")


def excel_sheets(data: bytes) -> list[str]:
    import openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook after all: read() says so in the user's words
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


@dataclass
class Upload:
    """What the file holds, for the preview."""
    file_name: str
    columns: list[str]
    head: pd.DataFrame
    rows: int
    has_geometry: bool
    geometry_kinds: dict[str, int]
    crs: str | None  # the CRS the file declares, None when it states none

    def first_values(self) -> dict[str, str | None]:
        return {c: (self.head[c].iat[0] if len(self.head) else None) for c in self.columns}


def inspect_upload(data: bytes, file_name: str, sheet: str | None = None) -> Upload:
    """Read the upload for its preview; ReadError when it cannot be read (error_text says why)."""
    with saved(data, file_name) as path:
        source = read(path, sheet)
    kinds: dict[str, int] = {}
    if source.geometry is not None:
        for g in source.geometry:
            kind = g.geom_type if g is not None else "-"
            kinds[kind] = kinds.get(kind, 0) + 1
    return Upload(file_name, [str(c) for c in source.table.columns], source.table.head(PREVIEW_ROWS),
                  len(source.table), source.geometry is not None, kinds,
                  crs_of(source.crs).label if source.crs is not None else None)


# ---------------------------------------------------------------- column mapping

@dataclass
class Plan:
    """Which file column feeds which field, and what the loader is to be told for it."""
    layer: str
    mapping: dict[str, str]  # field -> column
    overrides: dict[str, str]  # column -> field: the loader's mapping argument
    dropped: list[str]  # columns the loader would match to a field the user set to not used
    required: dict[str, bool]
    status: dict[str, str]  # field -> one of STATUSES
    duplicates: dict[str, list[str]]  # column -> the fields it was chosen for
    needs_geometry: bool

    @property
    def missing_required(self) -> list[str]:
        return [f for f, s in self.status.items() if s == "required_missing"]

    @property
    def ready(self) -> bool:
        return not self.missing_required and not self.duplicates and not self.needs_geometry


def auto_mapping(layer_name: str, columns: list[str]) -> dict[str, str]:
    """{field: column} as the loader matches headers (data.county.load.map_columns), never raising for what is
    missing: the page shows that instead."""
    layer = LAYERS[layer_name]
    relaxed = replace(layer, geometry=None, fields=tuple(replace(f, required=False) for f in layer.fields))
    return map_columns(relaxed, columns)


def is_required(layer: Layer, field_name: str, has_geometry: bool) -> bool:
    """Required by the layer, or a point layer's lon/lat when the file brings no points."""
    f = layer.field(field_name)
    return f.required or (layer.has_points and not has_geometry and field_name in ("lon", "lat"))


def plan(layer_name: str, columns: list[str], has_geometry: bool,
         chosen: dict[str, str | None] | None = None) -> Plan:
    """The mapping the load will use: the user's choice per field where given (None or "" = not used), else the
    loader's own match by header."""
    layer = LAYERS[layer_name]
    auto = auto_mapping(layer_name, columns)
    chosen = chosen or {}
    mapping: dict[str, str] = {}
    status: dict[str, str] = {}
    required = {f.name: is_required(layer, f.name, has_geometry) for f in layer.fields}
    for f in layer.fields:
        column = (chosen[f.name] or None) if f.name in chosen else auto.get(f.name)
        if column is not None and column not in columns:
            column = None  # a choice left from another file
        if column is not None:
            mapping[f.name] = column
            status[f.name] = "found" if column == auto.get(f.name) else "chosen"
        else:
            status[f.name] = "required_missing" if required[f.name] else "missing"
    users: dict[str, list[str]] = {}
    for name, column in mapping.items():
        users.setdefault(column, []).append(name)
    duplicates = {c: names for c, names in users.items() if len(names) > 1}
    for names in duplicates.values():
        for name in names:
            status[name] = "duplicate"
    used = set(mapping.values())
    by_key = {str(c).strip().casefold(): c for c in columns}
    dropped = []
    for f in layer.fields:
        if f.name in mapping:
            continue
        for header in f.headers:
            column = by_key.get(header.casefold())
            if column is not None and column not in used and column not in dropped:
                dropped.append(column)
    return Plan(layer_name, mapping, {c: n for n, c in mapping.items() if c not in duplicates}, dropped, required,
                status, duplicates, layer.geometry in SHAPED and not has_geometry)


def mapping_table(p: Plan, upload: Upload, lang: str) -> pd.DataFrame:
    """One row per field: its name, the template's column name, required, the file's column, status, and the
    first row's value. `status` keeps the code (for colouring); the page renames the columns."""
    layer = LAYERS[p.layer]
    first = upload.first_values()
    rows = []
    for f in layer.fields:
        column = p.mapping.get(f.name)
        rows.append({"field": field_label(p.layer, f.name, lang), "header": f.headers[0],
                     "required": tr("county.page.required_mark", lang) if p.required[f.name] else "",
                     "column": column or "", "status": p.status[f.name],
                     "sample": (first.get(column) or "") if column else ""})
    frame = pd.DataFrame(rows, columns=["field", "header", "required", "column", "status", "sample"])
    if lang == "zh-CN":  # the field's name is the template column already
        frame = frame.drop(columns=["header"])
    return frame


def mapping_headers(lang: str) -> dict[str, str]:
    return {c: tr(f"county.page.col_{c}", lang) for c in ("field", "header", "required", "column", "status",
                                                          "sample")}


def status_label(status: str, lang: str) -> str:
    return tr(f"county.page.status_{status}", lang)


# ---------------------------------------------------------------- the load

@dataclass
class LoadOutcome:
    layer: str
    file_name: str
    result: LoadResult | None = None
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)  # admin_county_quarantine rows
    error_key: str | None = None
    error_values: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result is not None


def load_upload(con, layer_name: str, data: bytes, file_name: str, sheet: str | None = None,
                crs: str | None = None, chosen: dict[str, str | None] | None = None, username: str | None = None,
                role: str | None = None) -> LoadOutcome:
    """Load an uploaded file (its bytes and original name) into the layer, as python -m data.county load does,
    with via="page". A file that cannot be read or mapped comes back as an outcome with error_key/values
    (county.error.<key>), never as an exception."""
    outcome = LoadOutcome(layer_name, Path(file_name).name)
    try:
        if layer_name not in LAYERS:
            raise MappingError("unknown_layer", layer=layer_name, layers=", ".join(LAYERS))
        with saved(data, file_name) as path:
            source = read(path, sheet)
        columns = [str(c) for c in source.table.columns]
        p = plan(layer_name, columns, source.geometry is not None, chosen)
        if p.duplicates:
            column, names = next(iter(p.duplicates.items()))
            raise MappingError("duplicate_column", column=column, fields=", ".join(names))
        if p.dropped:
            source = replace(source, table=source.table.drop(columns=p.dropped))
        outcome.result = load_source(con, LAYERS[layer_name], source, crs, p.overrides or None, "page", username,
                                     sha256=hashlib.sha256(data).hexdigest(), role=role)
    except CountyError as exc:
        outcome.error_key, outcome.error_values = exc.key, dict(exc.values)
        return outcome
    if outcome.result.quarantined:
        outcome.quarantine = runner.run(con, "admin_county_quarantine", load_id=outcome.result.load_id)
    return outcome


def error_text(key: str, values: dict, layer_name: str | None, lang: str) -> str:
    """A ReadError / MappingError in the user's language, in the page's words where the command line's
    (--crs, --map) would not fit; layer and field codes become their names."""
    values = dict(values)
    if values.get("layer") in LAYERS:
        values["layer"] = layer_label(values["layer"], lang)
    for name in ("fields", "field"):
        if name in values and layer_name in LAYERS:
            parts = [p.strip() for p in str(values[name]).split(",") if p.strip()]
            values[name] = tr("county.template.list_sep", lang).join(field_label(layer_name, p, lang) for p in parts)
    strings = i18n.strings(lang)
    chosen = f"county.page_error.{key}" if f"county.page_error.{key}" in strings else f"county.error.{key}"
    try:
        return tr(chosen, lang, **values)
    except (KeyError, IndexError):  # a message whose values changed: say at least which error
        return tr(chosen, lang, **{k: values.get(k, "") for k in _placeholders(strings[chosen])})


def _placeholders(text: str) -> list[str]:
    import string
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def outcome_error(outcome: LoadOutcome, lang: str) -> str | None:
    return None if outcome.ok else error_text(outcome.error_key, outcome.error_values, outcome.layer, lang)


def result_summary(result: LoadResult, lang: str) -> dict:
    """The counts as (label, value) metrics, the accounting sentence, and the reasons as a table."""
    counts = {k: int(getattr(result, k)) for k in ("rows_in", "stored", "updated", "unchanged", "quarantined")}
    reasons = pd.DataFrame(
        [(tr(f"county.reason.{k}", lang), int(v)) for k, v in sorted(result.reasons.items(), key=lambda kv: -kv[1])],
        columns=[tr("county.page.reason", lang), tr("county.page.rows", lang)])
    return {"metrics": [(tr(f"county.page.{k}", lang), v) for k, v in counts.items()],
            "accounting": tr("county.page.accounting", lang, **{k: f"{v:,}" for k, v in counts.items()}),
            "reasons": reasons, "seconds": result.seconds, "crs": result.crs}


def quarantine_table(frame: pd.DataFrame, layer_name: str, lang: str) -> pd.DataFrame:
    """The quarantined rows as the user fixes them: row number, reason, field, bad value, then the row's own
    columns as the file had them."""
    heads = [tr(f"county.page.{c}", lang) for c in ("row_no", "reason", "field", "bad_value")]
    if frame.empty:
        return pd.DataFrame(columns=heads)
    out = pd.DataFrame({
        heads[0]: frame["row_no"].astype(int).to_numpy(),
        heads[1]: [tr(f"county.reason.{r}", lang) for r in frame["reason"]],
        heads[2]: [field_label(layer_name, f, lang) if isinstance(f, str) else "" for f in frame["field"]],
        heads[3]: [v if isinstance(v, str) else "" for v in frame["bad_value"]]})
    records = pd.DataFrame([json.loads(r) for r in frame["record"]]).reset_index(drop=True)
    records = records.astype(object).where(records.notna(), "")
    records = records.rename(columns={c: f"{c} " for c in records.columns if c in heads})
    return pd.concat([out, records], axis=1)


def quarantine_csv(table: pd.DataFrame) -> bytes:
    """CSV that Excel opens in Chinese (UTF-8 with a byte order mark)."""
    return table.to_csv(index=False).encode("utf-8-sig")


def quarantine_file_name(layer_name: str, lang: str) -> str:
    return tr("county.page.quarantine_file", lang, layer=layer_label(layer_name, lang))


# ---------------------------------------------------------------- below the form

def recent_loads(con, lang: str, limit: int = RECENT_LOADS) -> pd.DataFrame:
    frame = runner.run(con, "admin_county_loads", max_rows=limit)
    frame["layer"] = [layer_label(v, lang) if v in LAYERS else v for v in frame["layer"]]
    frame["via"] = [tr(f"county.page.via_{v}", lang) for v in frame["via"]]
    frame["loaded_by"] = frame["loaded_by"].fillna("")
    return frame.rename(columns={c: tr(f"county.page.{c}", lang) for c in frame.columns})


def check_report(con, lang: str) -> dict:
    """data.county.check.run in the page's words: the county line, rows per layer, and the findings as
    (severity code, severity label, text), the missing first."""
    report = check.run(con, lang)
    county = report["county"]
    line = (tr("county.page.county_line", lang, name=county[i18n.label_column(lang)], code=county["code"])
            if county else None)
    counts = pd.DataFrame([(layer_label(k, lang), int(v)) for k, v in report["layers"].items()],
                          columns=[tr("county.page.layer", lang), tr("county.page.count", lang)])
    strings = i18n.strings(lang)
    findings = []
    for f in report["findings"]:
        key, values = f["key"], dict(f["values"])
        if "field" in values:
            values["field"] = field_label(f["layer"], values["field"], lang)
        page_key = f"county.page_check.{key}"
        text = tr(page_key, lang, **values) if page_key in strings else f["text"]
        findings.append((f["severity"], tr(f"county.page.severity_{f['severity']}", lang), text))
    order = {"missing": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda x: order.get(x[0], 3))
    return {"county": line, "counts": counts, "findings": findings}
