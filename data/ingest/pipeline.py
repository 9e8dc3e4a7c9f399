"""The one code path of every import (CLI, page upload, inbox, quarantine re-import), as an ordered list of stages.

STAGES below is the path of a row from file to table: each stage names the temp tables (ing_*) or tables it
reads and writes, and the module doing the work (checks, place, keys, store, link). Stages marked in_transaction
run inside one transaction, so a file is stored whole or not at all.

Accounting: rows_in = stored + updated + quarantined + already_present, checked before commit (store.record);
updated: a newer record of a stored incident applied to it (updates.py).
Watching an import (a callback after each stage, ONEMAP_INGEST_PROFILE timings): profile.py.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from data import db
from data.clock import now_cst

from . import checks, keys, link, place, profile, readers, store, updates
from . import mapping as mapping_mod
from .checks import REASONS
from .link import link_recent
from .mapping import Mapping
from .readers import FileUnreadable
from .store import ensure_indexes

__all__ = ["REASONS", "STAGES", "ImportResult", "Stage", "ensure_indexes", "ensure_tables", "file_sha256",
           "import_file", "import_records", "link_recent", "reimport_quarantined"]

# One import at a time per process: ids are taken as max()+n inside the transaction.
_IMPORT_LOCK = threading.Lock()


@dataclass
class ImportResult:
    file: str
    source: str
    rows_in: int = 0
    stored: int = 0
    quarantined: int = 0
    already_present: int = 0
    updated: int = 0
    linked: int = 0
    encoding: str | None = None
    seconds: float = 0.0
    import_id: int | None = None
    error: str | None = None          # set when the file could not be read at all
    reasons: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # stored but not whole: {"unknown_units": {name: rows}}

    def summary(self) -> dict:
        """The CLI's --json object."""
        keys = ("file", "source", "rows_in", "stored", "updated", "quarantined", "already_present", "linked")
        out = {k: getattr(self, k) for k in keys}
        if self.notes:
            out["notes"] = self.notes
        if self.error:
            out["error"] = self.error
        return out

    def as_dict(self) -> dict:
        return asdict(self)


def ensure_tables(con) -> None:
    """The ingest tables (schema.sql's marked sections, IF NOT EXISTS) for databases built before them; linking
    reads event_links' event_splits."""
    db.ensure_section(con, "ingest")
    db.ensure_section(con, "event_links")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Run:
    """One import on its way through the stages: what they read, and the counts they leave for the next."""
    cur: Any
    m: Mapping
    result: ImportResult
    via: str
    sha: str
    reader: Callable[[Any], readers.ReadInfo]   # the read stage: file or corrected quarantine records -> ing_src
    progress: Callable[[float, str], None]
    requarantine: bool = False
    exclusive: bool = False
    info: readers.ReadInfo | None = None
    cfg: dict = field(default_factory=dict)
    now: datetime | None = None
    rows_in: int = 0
    present: int = 0
    n_ok: int = 0
    stored: int = 0
    linked: int = 0
    quarantined: int = 0
    already: int = 0
    updated: int = 0
    notes: str | None = None
    import_id: int | None = None


@dataclass(frozen=True)
class Stage:
    name: str
    targets: tuple[str, ...]           # the mapping targets the stage runs for
    reads: str
    writes: str
    run: Callable[[Run], None]
    progress: float | None = None      # reported to the caller's progress bar as the stage starts
    in_transaction: bool = False


# ------------------------------------------------------------------ the stages' calls
def _read(r: Run) -> None:
    r.info = r.reader(r.cur)


def _prepare(r: Run) -> None:
    r.cfg, r.now = mapping_mod.linking(), now_cst()
    checks.macros(r.cur)
    checks.load_enums(r.cur, r.m)
    link.load_families(r.cur)


def _count(r: Run) -> None:
    r.rows_in = r.info.rows + r.info.rejects
    r.present = r.cur.execute("SELECT count(*) FROM ing_present").fetchone()[0]
    r.n_ok = r.cur.execute("""SELECT count(*) FROM ing_checked WHERE reason IS NULL
                              AND row_no NOT IN (SELECT row_no FROM ing_present)""").fetchone()[0]


def _store(r: Run) -> None:
    r.stored = store.store_incidents(r.cur) if r.m.target == "incidents" else store.store_readings(r.cur)


def _dispatches(r: Run) -> None:
    if r.stored:
        updates.store_dispatches(r.cur)


def _update(r: Run) -> None:
    r.import_id = store.next_import_id(r.cur)  # conflicts name the import; the quarantine stage takes the same id
    r.updated = updates.apply_updates(r.cur, r.m, r.import_id, r.now) if r.present else 0
    r.notes = updates.notes(r.cur, r.updated > 0)


def _link(r: Run) -> None:
    r.linked = link.link_events(r.cur, r.cfg) if r.stored else 0


def _quarantine(r: Run) -> None:
    r.import_id, r.quarantined, r.already = store.quarantine(r.cur, r.m.source, r.requarantine, r.now,
                                                             r.present - r.updated, r.import_id)


def _record(r: Run) -> None:
    counts = {"rows_in": r.rows_in, "stored": r.stored, "updated": r.updated, "quarantined": r.quarantined,
              "already": r.already, "linked": r.linked}
    store.record(r.cur, r.import_id, r.m.source, r.sha, r.result.file, r.result.encoding, r.via, r.now, counts,
                 r.notes)


INC, RES = ("incidents",), ("reservoir_readings",)
BOTH = INC + RES
# The path of a row, in order. A row leaves the path early only as a reason in ing_checked (quarantined by the
# outcomes and quarantine stages) or as a row of ing_present (already stored: applied as an update when newer,
# else counted as already present).
STAGES = (
    Stage("read", BOTH, "the file (readers.py) or corrected quarantine records", "ing_src ing_rejects", _read, 0.05),
    Stage("prepare", BOTH, "data/mappings", "ing_ts() ing_enum ing_family", _prepare),
    Stage("fields", BOTH, "ing_src", "ing_stage (view: one VARCHAR column per field)",
          lambda r: checks.stage_fields(r.cur, r.m, r.info)),
    Stage("check", INC, "ing_stage ing_enum", "ing_typed ing_checked (first failing reason per row)",
          lambda r: checks.check_incidents(r.cur, r.m, r.cfg, r.now), 0.25),
    Stage("check", RES, "ing_stage reservoirs", "ing_typed ing_checked (first failing reason per row)",
          lambda r: checks.check_readings(r.cur, r.m, r.now, r.cfg), 0.25),
    Stage("convert", INC, "ing_typed ing_checked", "ing_pos (WGS84 lon/lat)",
          lambda r: place.convert_coordinates(r.cur)),
    Stage("place", INC, "ing_pos ing_typed ing_checked townships villages grid_cells grid_pixels",
          "ing_hint ing_loc ing_cell ing_rest ing_miss ing_village ing_placed; ing_checked (outside_county, "
          "no_location)", lambda r: place.place(r.cur, r.cfg), 0.4),
    Stage("keys", INC, "ing_typed incidents", "ing_key ing_present", lambda r: keys.keys_incidents(r.cur, r.m)),
    Stage("keys", RES, "ing_typed reservoir_readings", "ing_key ing_present", lambda r: keys.keys_readings(r.cur)),
    Stage("units", INC, "ing_typed linkage_units value_aliases hazard_types dispatch_time_limits", "ing_unit",
          lambda r: updates.match_units(r.cur)),
    Stage("duplicates", BOTH, "ing_key ing_checked ing_present", "ing_checked (duplicate_id)",
          lambda r: keys.mark_duplicates(r.cur)),
    Stage("outcomes", BOTH, "ing_checked ing_src ing_rejects ing_present quarantine", "ing_bad ing_bad_new",
          lambda r: keys.outcomes(r.cur, r.info, r.m.source)),
    # Built before the transaction: temp tables written inside it live in transaction-local storage, which made
    # this stage and the insert reading it twice as slow.
    Stage("sequence", INC, "ing_typed ing_checked ing_present ing_key ing_placed hazard_types", "ing_seq ing_new",
          lambda r: store.sequence_incidents(r.cur)),
    Stage("count", BOTH, "ing_checked ing_present", "(rows in, present, valid)", _count),
    Stage("store", INC, "ing_new", "incidents ing_new_range", _store, 0.6, in_transaction=True),
    Stage("store", RES, "ing_typed ing_checked ing_present", "reservoir_readings", _store, 0.6, in_transaction=True),
    Stage("dispatches", INC, "ing_unit ing_seq ing_new_range", "dispatches", _dispatches, in_transaction=True),
    Stage("update", INC, "ing_present ing_key ing_checked ing_typed ing_unit incidents incident_actions dispatches",
          "ing_newer incidents dispatches incident_actions incident_conflicts (newer records of stored incidents)",
          _update, 0.7, in_transaction=True),
    Stage("link", INC, "incidents ing_new_range ing_family events",
          "ing_pairs ing_groups ing_anchor_event ing_link ing_touched incidents.event_id events", _link, 0.8,
          in_transaction=True),
    Stage("quarantine", BOTH, "ing_bad ing_bad_new ing_src import_files", "quarantine", _quarantine,
          in_transaction=True),
    Stage("record", BOTH, "(the counts)", "import_files data_version", _record, in_transaction=True),
)


def _stage(r: Run, stage: Stage) -> None:
    if stage.progress is not None:
        r.progress(stage.progress, stage.name)
    profile.entering(r.cur, stage.name)
    stage.run(r)
    profile.stage_done(stage.name, r.cur)


def _run(r: Run) -> None:
    """STAGES for the mapping's target; the in_transaction ones (the tail) inside one transaction."""
    stages = [s for s in STAGES if r.m.target in s.targets]
    for stage in stages:
        if not stage.in_transaction:
            _stage(r, stage)
    profile.entering(r.cur, "begin")
    with store.rtree_dropped_for_bulk(r.cur, r.exclusive, r.m.target, r.n_ok):
        r.cur.execute("BEGIN TRANSACTION")
        try:
            for stage in stages:
                if stage.in_transaction:
                    _stage(r, stage)
            profile.entering(r.cur, "commit")
            r.cur.execute("COMMIT")
        except BaseException:
            r.cur.execute("ROLLBACK")
            raise
        db.checkpoint(r.cur)
        res = r.result
        res.rows_in, res.stored, res.quarantined = r.rows_in, r.stored, r.quarantined
        res.already_present, res.linked, res.import_id = r.already, r.linked, r.import_id
        res.updated, res.notes = r.updated, json.loads(r.notes) if r.notes else {}
        res.reasons = dict(r.cur.execute("SELECT reason, count(*) FROM ing_bad GROUP BY reason ORDER BY 2 DESC")
                           .fetchall())
    r.progress(1.0, "done")


# ------------------------------------------------------------------ entry points
def import_file(con, path, source: str, via: str = "cli", progress=None, file_name: str | None = None,
                exclusive: bool = False) -> ImportResult:
    """Import one file. Raises nothing for bad rows; a file that cannot be read at all returns error set.

    exclusive: the caller is the only user of the database (the CLI holding the file lock), so a bulk file may
    drop and rebuild the incidents R-tree. Never inside the app: DuckDB 1.5.5 crashes (segfault, seen in
    tests/data/test_ingest_atomic.py) when an R-tree is dropped while another cursor scans it."""
    path = Path(path)
    progress = progress or (lambda f, step: None)
    result = ImportResult(file=file_name or path.name, source=source)
    t0 = time.perf_counter()
    m = mapping_mod.load(source)
    with _IMPORT_LOCK:
        cur = profile.cursor(con)
        workdir = readers.temp_workdir()
        decoding = readers.decode_ahead(path, workdir)

        def read(c) -> readers.ReadInfo:
            info = readers.read(c, path, m, workdir, decoded=decoding)
            result.encoding = info.encoding
            return info

        try:
            ensure_tables(cur)
            ensure_indexes(cur)
            sha = file_sha256(path) if path.exists() else None
            prior = cur.execute("SELECT import_id, rows_in FROM import_files WHERE source = $s AND sha256 = $h "
                                "AND via <> 'quarantine' ORDER BY import_id LIMIT 1",
                                {"s": source, "h": sha}).fetchone() if sha else None
            if prior:  # the very same file again: everything in it is already present
                result.import_id, result.rows_in, result.already_present = prior[0], prior[1], prior[1]
                result.seconds = round(time.perf_counter() - t0, 3)
                return result
            try:
                _run(Run(cur, m, result, via, sha or "", read, progress, exclusive=exclusive))
            except FileUnreadable as exc:  # raised by the read stage only, before any write
                result.error = str(exc)
                return result
        finally:
            cur.close()
            if decoding is not None:
                decoding.exception()  # wait for it (its error, if any, was raised by read) before removing workdir
            shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def reimport_quarantined(con, source: str, records: list[tuple[int, str]]) -> ImportResult:
    """Corrected quarantine records (quarantine_id, JSON) through the same stages; passing ones are stored and
    their entries resolved, failing ones keep their entry with the new reason."""
    m = mapping_mod.load(source)
    result = ImportResult(file="quarantine", source=source)
    t0 = time.perf_counter()

    def read(c) -> readers.ReadInfo:
        info = readers.load_records(c, records)
        info.access = "json"
        return info

    with _IMPORT_LOCK:
        cur = con.cursor()
        try:
            ensure_tables(cur)
            digest = hashlib.sha256(repr(sorted(records)).encode()).hexdigest()
            # Corrected CSV rows are JSON objects keyed by column name: read them as such.
            m_json = m if m.is_json else replace(m, format="json_flat")
            _run(Run(cur, m_json, result, "quarantine", digest, read, lambda f, s: None, requarantine=True))
        finally:
            cur.close()
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def import_records(con, source: str, records: list[dict], via: str, name: str) -> ImportResult:
    """Records given as dicts (an incident recorded in the app, a batch pushed to the API) through the same stages
    as a file: the dicts are keyed as the source's export is (its mapping's columns; dotted paths for nested
    JSON sources). A batch identical to one already imported is already present as a whole, like a file."""
    m = mapping_mod.load(source)
    result = ImportResult(file=name, source=source)
    t0 = time.perf_counter()
    texts = [json.dumps(r, ensure_ascii=False, default=str) for r in records]
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()

    def read(c) -> readers.ReadInfo:
        info = readers.load_records(c, list(enumerate(texts, start=1)))
        info.access = "json"
        return info

    with _IMPORT_LOCK:
        cur = con.cursor()
        try:
            ensure_tables(cur)
            prior = cur.execute("SELECT import_id, rows_in FROM import_files WHERE source = $s AND sha256 = $h "
                                "ORDER BY import_id LIMIT 1", {"s": source, "h": digest}).fetchone()
            if prior:
                result.import_id, result.rows_in, result.already_present = prior[0], prior[1], prior[1]
            else:
                m_json = m if m.is_json else replace(m, format="json_flat")
                _run(Run(cur, m_json, result, via, digest, read, lambda f, s: None))
        finally:
            cur.close()
    result.seconds = round(time.perf_counter() - t0, 3)
    return result
