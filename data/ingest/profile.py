"""Watching an import from outside its stages: callbacks after each stage, and where the time goes.

after_stage(fn): fn(stage_name, cursor) runs after every stage of every import in this process (the atomicity
test pauses there and kills the process inside the transaction). ONEMAP_INGEST_PROFILE=1: the import's cursor
times each stage and each statement (wall and CPU) and prints them to stderr when the import ends. Neither
changes a statement.
"""
from __future__ import annotations

import os
import sys
import time

_AFTER_STAGE: list = []


def after_stage(fn):
    """Call fn(stage_name, cursor) after each stage of every import until remove(fn)."""
    _AFTER_STAGE.append(fn)
    return fn


def remove(fn) -> None:
    if fn in _AFTER_STAGE:
        _AFTER_STAGE.remove(fn)


def stage_done(name: str, cur) -> None:
    for fn in tuple(_AFTER_STAGE):
        fn(name, cur)


def entering(cur, name: str) -> None:
    """Statements from here on count to `name` (a stage, or the transaction's begin/commit)."""
    if isinstance(cur, ProfiledCursor):
        cur.enter(name)


def cursor(con):
    """The import's cursor: a ProfiledCursor when ONEMAP_INGEST_PROFILE is set."""
    cur = con.cursor()
    return ProfiledCursor(cur) if os.environ.get("ONEMAP_INGEST_PROFILE") else cur


class ProfiledCursor:
    """A cursor that times each statement and each section (stage) between enter() calls; prints them on close."""

    def __init__(self, cur, out=None):
        self._cur, self._out = cur, out
        self.sections: list[list] = []  # [name, wall, cpu, [(wall, cpu, sql), ...]]
        self._mark = (time.perf_counter(), time.process_time())
        self.enter("start")

    def enter(self, name: str) -> None:
        self._close_section()
        self.sections.append([name, 0.0, 0.0, []])

    def _close_section(self) -> None:
        now = (time.perf_counter(), time.process_time())
        if self.sections:  # a section's time includes the Python work between its statements
            self.sections[-1][1] += now[0] - self._mark[0]
            self.sections[-1][2] += now[1] - self._mark[1]
        self._mark = now

    def _timed(self, method, sql, *args):
        t, c = time.perf_counter(), time.process_time()
        method(sql, *args)
        self.sections[-1][3].append((time.perf_counter() - t, time.process_time() - c, " ".join(str(sql).split())))
        return self

    def execute(self, sql, params=None):
        return self._timed(self._cur.execute, sql, *(() if params is None else (params,)))

    def executemany(self, sql, rows):
        return self._timed(self._cur.executemany, sql, rows)

    def close(self):
        self._close_section()
        out = self._out or sys.stderr
        statements = sum(len(s[3]) for s in self.sections)
        wall, cpu = sum(s[1] for s in self.sections), sum(s[2] for s in self.sections)
        print(f"ingest profile: {len(self.sections)} stages, {statements} statements, {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU", file=out)
        for name, w, c, stmts in self.sections:
            print(f"stage {name:<12}{w * 1000:8.0f} ms wall {c * 1000:8.0f} ms CPU  {len(stmts)} statements", file=out)
            for sw, sc, sql in stmts:
                print(f"    {sw * 1000:8.0f} ms wall {sc * 1000:8.0f} ms CPU  {sql[:120]}", file=out)
        self._cur.close()

    def __getattr__(self, name):
        return getattr(self._cur, name)
