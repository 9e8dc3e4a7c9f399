"""Quarantined records for viewing and correcting: flatten the source row (nested JSON as dotted keys), mask
personal fields (PIPL), and merge a person's corrections back into the original record (personal fields are
never taken from the form, so masked values cannot overwrite the real ones)."""
from __future__ import annotations

import json

from data import privacy

from .mapping import load


def flatten(obj, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                out.update(flatten(v, key + "."))
            else:
                out[key] = v
    return out


def _set(tree: dict, dotted: str, value) -> None:
    parts = dotted.split(".")
    node = tree
    for p in parts[:-1]:
        if not isinstance(node.get(p), dict):
            node[p] = {}
        node = node[p]
    node[parts[-1]] = value


def personal_keys(source: str) -> dict[str, str]:
    """Record keys holding personal data -> 'name' or 'phone'."""
    m = load(source)
    return {col: ("name" if f == "caller_name" else "phone")
            for col, f in m.columns.items() if f in ("caller_name", "caller_phone")}


def masked_fields(source: str, record_json: str) -> dict[str, str]:
    """The record as {key: text} for display, personal fields masked."""
    try:
        flat = flatten(json.loads(record_json))
    except (json.JSONDecodeError, TypeError):
        return {"line": str(record_json)}
    personal = personal_keys(source)
    out = {}
    for k, v in flat.items():
        text = "" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v))
        if k in personal:
            text = privacy.mask_name(text) if personal[k] == "name" else privacy.mask_phone(text)
        out[k] = text
    return out


def merge_corrections(source: str, record_json: str, edits: dict[str, str]) -> str:
    """The original record with the edited (non-personal) fields replaced; '' means empty."""
    original = json.loads(record_json)
    personal = personal_keys(source)
    if not isinstance(original, dict):
        original = {}
    dotted = load(source).is_json
    for key, value in edits.items():
        if key in personal:
            continue
        if dotted:
            _set(original, key, value if value != "" else None)
        else:
            original[key] = value
    return json.dumps(original, ensure_ascii=False)
