"""Mapping files (data/mappings/<source>.toml): which source column feeds which field, and which source
value means which code. One adapter per source is this file, not code per column."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MAPPING_DIR = Path(__file__).resolve().parent.parent / "mappings"
SOURCES = ("110", "96345", "city", "grid", "sensor", "reservoir", "duty")

INCIDENT_FIELDS = ("source_ref", "received_at", "caller_name", "caller_phone", "address", "x", "y", "crs", "hazard",
                   "severity", "status", "township", "description", "device_id", "dispatched_at", "closed_at", "value",
                   "unit", "deadline_at", "time_limit_hours", "callback")
READING_FIELDS = ("reservoir", "observed_at", "level_m", "inflow_m3s", "outflow_m3s")


@dataclass(frozen=True)
class Mapping:
    source: str
    target: str                   # incidents | reservoir_readings
    format: str                   # csv | json_array | jsonl (xlsx is read for csv sources too)
    channel: str | None
    columns: dict[str, str]       # source column (or dotted JSON path) -> field
    constants: dict[str, str]
    enums: dict[str, dict[str, object]]
    required: tuple[str, ...]
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    source_ref_parts: tuple[str, ...] = ()
    channel_by_hazard_raw: dict[str, str] = field(default_factory=dict)
    # The export names the handling unit but no dispatch time, and the unit has the case from the call (96345).
    unit_assigned_at_receipt: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return INCIDENT_FIELDS if self.target == "incidents" else READING_FIELDS

    def column_of(self) -> dict[str, str]:
        """field -> source column."""
        return {f: c for c, f in self.columns.items()}

    @property
    def is_json(self) -> bool:
        return self.format in ("json_array", "jsonl")


@lru_cache(maxsize=16)
def load(source: str) -> Mapping:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    with (MAPPING_DIR / f"{source}.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    m = Mapping(source=raw["source"], target=raw["target"], format=raw["format"], channel=raw.get("channel"),
                columns=dict(raw["columns"]), constants={k: str(v) for k, v in raw.get("constants", {}).items()},
                enums={k: dict(v) for k, v in raw.get("enums", {}).items()}, required=tuple(raw["required"]),
                limits=raw.get("limits", {}), source_ref_parts=tuple(raw.get("source_ref", ())),
                channel_by_hazard_raw=dict(raw.get("channel_by_hazard_raw", {})),
                unit_assigned_at_receipt=bool(raw.get("unit_assigned_at_receipt", False)))
    unknown = set(m.columns.values()) - set(m.fields)
    if unknown:
        raise ValueError(f"{source}.toml maps to unknown fields: {sorted(unknown)}")
    return m


@lru_cache(maxsize=1)
def linking() -> dict:
    with (MAPPING_DIR / "linking.toml").open("rb") as fh:
        return tomllib.load(fh)
