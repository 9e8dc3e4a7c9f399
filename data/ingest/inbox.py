"""How the CLI and the running app share one DuckDB file (DuckDB allows one writing process).

- The app holds the file's one read-write instance (ui/database._connection). Its readers are cursors of that
  instance: DuckDB's MVCC gives each query a consistent snapshot, an import commits as one transaction, so a
  reader sees all of a file or none of it and never an error; the data_version bump makes the next refresh
  re-query.
- The CLI opens the file read-write itself when it can take the lock (no app running). When the lock is held,
  it does not wait on it: it copies its files into the inbox next to the database
  (<db>.inbox/<source>/<file>) and the app imports them on its refresh timer, through the same
  pipeline.import_file. Processed files move to <db>.inbox/archive/ with a <file>.result.json beside them;
  files that cannot be read at all move to <db>.inbox/failed/ with a <file>.reason.txt.
"""
from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

from .mapping import SOURCES
from .pipeline import import_file

_watchers: dict[str, threading.Thread] = {}
_watch_lock = threading.Lock()


def inbox_dir(db_path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".inbox")


def drop(db_path, source: str, files: list[Path]) -> list[Path]:
    """Queue files for the app (copy, then rename into place so the app never reads a half-copied file)."""
    target = inbox_dir(db_path) / source
    target.mkdir(parents=True, exist_ok=True)
    queued = []
    for f in files:
        stamp = time.strftime("%Y%m%d%H%M%S")
        final = target / f"{stamp}-{Path(f).name}"
        partial = target / (final.name + ".part")
        shutil.copyfile(f, partial)
        partial.rename(final)
        queued.append(final)
    return queued


def pending(db_path) -> list[tuple[str, Path]]:
    root = inbox_dir(db_path)
    out = []
    for source in SOURCES:
        folder = root / source
        if folder.is_dir():
            out += [(source, p) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith(".part")]
    return out


def process(con, db_path) -> list[dict]:
    """Import every queued file with the app's connection; move it to archive/ or failed/."""
    root = inbox_dir(db_path)
    results = []
    for source, path in pending(db_path):
        try:
            result = import_file(con, path, source, via="inbox", file_name=path.name)
            summary = result.summary()
            error = result.error
        except Exception as exc:  # a bug must not stop the watcher; the file waits in failed/ with the reason
            summary, error = {"file": path.name, "source": source}, f"{type(exc).__name__}: {exc}"
        dest = root / ("failed" if error else "archive")
        dest.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), dest / path.name)
        if error:
            (dest / (path.name + ".reason.txt")).write_text(error + "\n", encoding="utf-8")
        (dest / (path.name + ".result.json")).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
        results.append(summary)
    return results


def wait_for(queued: list[Path], timeout: float) -> list[dict | None]:
    """The CLI's wait for the app: the result files of its queued files (None where none came in time)."""
    deadline = time.time() + timeout
    out: list[dict | None] = [None] * len(queued)
    while time.time() < deadline and any(r is None for r in out):
        for i, q in enumerate(queued):
            if out[i] is None:
                for folder in ("archive", "failed"):
                    res = q.parent.parent / folder / (q.name + ".result.json")
                    if res.exists():
                        out[i] = json.loads(res.read_text(encoding="utf-8"))
        time.sleep(0.5)
    return out


def start_watcher(con, db_path, every_seconds: float) -> None:
    """A daemon thread in the app process that empties the inbox every few seconds (once per database)."""
    key = str(db_path)
    with _watch_lock:
        if key in _watchers and _watchers[key].is_alive():
            return

        def loop():
            while True:
                try:
                    if pending(db_path):
                        process(con.cursor(), db_path)
                except Exception:  # keep watching; process() already records per-file failures
                    pass
                time.sleep(every_seconds)

        t = threading.Thread(target=loop, name=f"onemap-inbox-{Path(key).name}", daemon=True)
        t.start()
        _watchers[key] = t
