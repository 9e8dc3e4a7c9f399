"""python -m data.ingest --db PATH --source {110,96345,city,grid,sensor,reservoir} FILE... [--json]

Prints the accounting of each file (rows in = stored + updated + quarantined + already present). Exit status is non-zero
only when a file could not be read at all. When the running app holds the database, the files go to its inbox
and the CLI waits for the app's results (see inbox.py)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from data import db

from . import inbox
from .mapping import SOURCES
from .pipeline import import_file


def _bar(fraction: float, step: str, name: str) -> None:
    filled = int(fraction * 30)
    print(f"\r{name[:40]:<40} [{'#' * filled}{'.' * (30 - filled)}] {fraction * 100:5.1f}% {step:<6}",
          end="", file=sys.stderr, flush=True)


def _print(summary: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return
    if summary.get("error"):
        print(f"{summary['file']}: NOT READ ({summary['error']})")
        return
    print(f"{summary['file']}: {summary['rows_in']} rows in = {summary['stored']} stored + "
          f"{summary.get('updated', 0)} updated + {summary['quarantined']} quarantined + "
          f"{summary['already_present']} already present; {summary['linked']} linked to events")
    for name, rows in summary.get("notes", {}).get("unknown_units", {}).items():
        print(f"  unknown handling unit {name!r} ({rows} rows): stored without the dispatch")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="database file (default: $ONEMAP_DB or data/onemap.duckdb)")
    parser.add_argument("--source", required=True, choices=SOURCES)
    parser.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    parser.add_argument("--wait", type=float, default=120.0,
                        help="seconds to wait for the app when the database is busy (0: queue and return)")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    path = db.resolve_db_path(args.db)
    failed = False
    try:
        con = db.connect(path)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        # The app holds the file: hand the files to its inbox and wait for its results.
        queued = inbox.drop(path, args.source, [f for f in args.files])
        print(f"database busy (held by the running app): queued {len(queued)} file(s) in {queued[0].parent}",
              file=sys.stderr)
        if args.wait <= 0:
            return 0
        for f, res in zip(args.files, inbox.wait_for(queued, args.wait)):
            if res is None:
                print(f"{f.name}: still queued after {args.wait:.0f} s", file=sys.stderr)
                continue
            res["file"] = f.name
            failed |= bool(res.get("error"))
            _print(res, args.json)
        return 1 if failed else 0
    try:
        for f in args.files:
            show = None if args.json and not sys.stderr.isatty() else (lambda x, s, n=f.name: _bar(x, s, n))
            result = import_file(con, f, args.source, via="cli", progress=show, file_name=f.name, exclusive=True)
            if show:
                print(file=sys.stderr)
            failed |= result.error is not None
            _print(result.summary() | ({"seconds": result.seconds} if not args.json else {}), args.json)
    finally:
        con.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
