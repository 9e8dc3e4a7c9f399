"""queries/onemap_incident_points.sql and onemap_incident_cells.sql write the One Map's rows (and their JSON)
in DuckDB; here every row is checked against the answer computed independently in Python from a plain SELECT
of the incidents: fields, tooltip text in both languages, order, counts, squares and their main hazard."""
from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest

import i18n
from data.domain import SEVERITY_ROMAN
from layers import incidents
from queries import runner
from views import one_map as view


def _incidents(db, start, end, hazards, open_only=False):
    rows = db.execute("SELECT incident_id, hazard, severity, status, received_at, lon, lat, location_precision "
                      "FROM incidents WHERE received_at >= ? AND received_at < ? ORDER BY received_at DESC, "
                      "incident_id DESC", [start, end]).fetchall()
    return [r for r in rows if r[1] in hazards and (not open_only or r[3] != "closed")]


def _drawn_once(db, rows):
    """rows without the later reports of a cross-channel event (its first report in the window stands for it),
    and {incident id: (event's report count, channels)} of the reports that stand for an event."""
    linked = dict(db.execute("SELECT i.incident_id, i.event_id FROM incidents i WHERE i.event_id IS NOT NULL")
                  .fetchall())
    events = {e: (n, list(ch)) for e, n, ch in db.execute("SELECT event_id, report_count, channels FROM events")
              .fetchall()}
    first = {}
    for r in sorted(rows, key=lambda r: (r[4], r[0])):
        if r[0] in linked:
            first.setdefault(linked[r[0]], r[0])
    kept = [r for r in rows if r[0] not in linked or first[linked[r[0]]] == r[0]]
    return kept, {first[e]: events[e] for e in first}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("open_only", [False, True])
def test_point_rows_are_the_incidents_with_their_tooltips(db, now, lang, open_only):
    hazards_table, statuses = runner.run(db, "hazard_types"), runner.run(db, "onemap_incident_statuses")
    chosen = ["flood", "traffic", "geological", "public_security", "livelihood", "urban_mgmt"]
    start, end = now - timedelta(days=7), now + timedelta(minutes=1)
    channels = runner.run(db, "onemap_channels")
    got = runner.run(db, "onemap_incident_points", start=start, end=end, hazards=chosen, open_only=open_only,
                     max_rows=30000, **view.point_query_params(hazards_table, statuses, channels, lang)).iloc[0]
    every = _incidents(db, start, end, set(chosen), open_only)
    expected, event_of = _drawn_once(db, every)
    assert expected, "the test database has incidents in the window"
    channel_names = dict(zip(channels["code"], channels[i18n.label_column(lang)]))
    event_tip, sep = i18n.translate("one_map.tip.event", lang), i18n.translate("one_map.tip.channel_sep", lang)
    names = dict(zip(hazards_table["code"], hazards_table[i18n.label_column(lang)]))
    status_names = dict(zip(statuses["code"], statuses[i18n.label_column(lang)]))
    codes = incidents.hazard_codes(hazards_table)
    suffix, approx = i18n.translate("one_map.tip.level_suffix", lang), i18n.translate("one_map.tip.approximate", lang)

    def row(r):
        incident_id, hazard, severity, status, received_at, lon, lat, precision = r
        tip = (f"{names[hazard]} · {SEVERITY_ROMAN[severity]}{suffix} · {status_names[status]} · "
               f"{received_at:%m-%d %H:%M}" + ("" if precision == "exact" else f" · {approx}"))
        if incident_id in event_of:
            n, chans = event_of[incident_id]
            tip += " · " + event_tip % (n, sep.join(channel_names[c] for c in chans))
        return {"c": codes[hazard], "i": incident_id, "o": int(status != "closed"), "s": severity, "tip": tip,
                "x": round(lon, 4), "y": round(lat, 4)}

    # in drawing order: least severe first, the most severe last (drawn and picked on top), oldest first in a level
    expected = sorted(expected, key=lambda r: (-r[2], r[4], r[0]))
    exact = [row(r) for r in expected if r[7] == "exact"]
    approximate = [row(r) for r in expected if r[7] != "exact"]
    halo = [{"s": r[2], "x": round(r[5], 4), "y": round(r[6], 4)} for r in expected if r[3] != "closed"]
    assert json.loads(got["exact_rows"]) == exact and got["exact_n"] == len(exact)
    assert json.loads(got["approx_rows"]) == approximate and got["approx_n"] == len(approximate) > 0
    assert json.loads(got["open_rows"]) == halo and got["open_n"] == len(halo) > 0
    # the text is what json.dumps(sort_keys=True) writes, so the deck's size (the level-of-detail budget) is too
    assert got["exact_rows"] == json.dumps(exact, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # every report in the window is drawn, as a point or folded into its event's point
    assert got["exact_n"] + got["approx_n"] + got["folded_n"] == len(every)
    linked = dict(db.execute("SELECT incident_id, event_id FROM incidents WHERE event_id IS NOT NULL").fetchall())
    per_event = {}
    for r in every:
        if r[0] in linked:
            per_event[linked[r[0]]] = per_event.get(linked[r[0]], 0) + 1
    assert got["events_n"] == sum(1 for n in per_event.values() if n > 1)


def test_an_event_reported_by_two_channels_is_one_point_naming_both(db, now):
    """The demo's echo reports: in a month's window every linked event is drawn exactly once."""
    hazards_table, statuses = runner.run(db, "hazard_types"), runner.run(db, "onemap_incident_statuses")
    channels = runner.run(db, "onemap_channels")
    start, end = now - timedelta(days=30), now + timedelta(minutes=1)
    every = list(hazards_table["code"])
    got = runner.run(db, "onemap_incident_points", start=start, end=end, hazards=every, open_only=False,
                     max_rows=30000, **view.point_query_params(hazards_table, statuses, channels, "zh-CN")).iloc[0]
    points = json.loads(got["exact_rows"]) + json.loads(got["approx_rows"])
    ids = {p["i"] for p in points}
    in_window = db.execute("""SELECT event_id, list(incident_id) FROM incidents
                              WHERE event_id IS NOT NULL AND received_at >= ? AND received_at < ? GROUP BY 1""",
                           [start, end]).fetchall()
    assert in_window, "the demo links echo reports in its live month"
    for _, reports in in_window:
        assert len(ids & set(reports)) == 1
    assert got["folded_n"] == sum(len(r) - 1 for _, r in in_window)
    with_event = [p for p in points if "同一事件" in p["tip"]]
    assert len(with_event) == len(in_window) and all("条报告" in p["tip"] for p in with_event)


def test_point_rows_respect_max_rows_and_an_empty_window(db, now):
    hazards_table, statuses = runner.run(db, "hazard_types"), runner.run(db, "onemap_incident_statuses")
    params = view.point_query_params(hazards_table, statuses, runner.run(db, "onemap_channels"), "en")
    start, end = now - timedelta(days=7), now + timedelta(minutes=1)
    every = list(hazards_table["code"])
    got = runner.run(db, "onemap_incident_points", start=start, end=end, hazards=every, open_only=False,
                     max_rows=10, **params).iloc[0]
    newest = [r[0] for r in _drawn_once(db, _incidents(db, start, end, set(every)))[0][:10]]
    drawn = json.loads(got["exact_rows"]) + json.loads(got["approx_rows"])
    assert sorted(r["i"] for r in drawn) == sorted(newest)
    empty = runner.run(db, "onemap_incident_points", start=end, end=end, hazards=every, open_only=False,
                       max_rows=10, **params).iloc[0]
    assert (empty["exact_rows"], empty["approx_rows"], empty["open_rows"]) == ("[]", "[]", "[]")
    assert empty["exact_n"] == empty["approx_n"] == empty["open_n"] == 0


def _cells(db, now, hazards, lang="zh-CN", days=30, step=0.01):
    hazards_table = runner.run(db, "hazard_types")
    order = list(incidents.hazard_codes(hazards_table))
    names = dict(zip(hazards_table["code"], hazards_table[i18n.label_column(lang)]))
    labels = {f"tip_{k}": i18n.translate(f"one_map.tip.cell_{k}", lang)
              for k in ("total", "open", "major", "approx", "top")}
    start, end = now - timedelta(days=days), now + timedelta(minutes=1)
    got = runner.run(db, "onemap_incident_cells", start=start, end=end, hazards=hazards, open_only=False, step=step,
                     hazard_order=order, hazard_names=[names[c] for c in order], **labels).iloc[0]
    return got, _incidents(db, start, end, set(hazards)), order, names, labels


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_squares_count_every_incident_once_with_tooltips(db, now, lang):
    every = list(runner.run(db, "hazard_types")["code"])
    got, rows, order, names, labels = _cells(db, now, every, lang)
    squares = {}
    for _, hazard, severity, status, _, lon, lat, precision in rows:
        key = (math.floor(lon / 0.01), math.floor(lat / 0.01))
        sq = squares.setdefault(key, {"n": 0, "open": 0, "major": 0, "approx": 0, "by": {}})
        sq["n"] += 1
        sq["open"] += status != "closed"
        sq["major"] += severity <= 2
        sq["approx"] += precision != "exact"
        sq["by"][hazard] = sq["by"].get(hazard, 0) + 1
    data = json.loads(got["rows"])
    assert got["cells"] == len(data) == len(squares)
    assert got["drawn"] == sum(r["n"] for r in data) == len(rows)
    assert got["max_n"] == max(sq["n"] for sq in squares.values())
    keys = [(round(r["p"][0][0] / 0.01), round(r["p"][0][1] / 0.01)) for r in data]
    assert keys == sorted(squares, key=lambda k: (k[1], k[0])), "ordered by gy, gx"
    for r, key in zip(data, keys):
        sq = squares[key]
        most = max(sq["by"].values())
        top = next(h for h in order if sq["by"].get(h) == most)  # a tie goes to the first in hazard order
        assert r["n"] == sq["n"]
        assert r["tip"] == (f"{labels['tip_total']} {sq['n']}\n{labels['tip_open']} {sq['open']} · "
                            f"{labels['tip_major']} {sq['major']} · {labels['tip_approx']} {sq['approx']}\n"
                            f"{labels['tip_top']} {names[top]}")
        x0, y0 = round(key[0] * 0.01, 5), round(key[1] * 0.01, 5)
        x1, y1 = round((key[0] + 1) * 0.01, 5), round((key[1] + 1) * 0.01, 5)
        assert r["p"] == [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    ties = [sq for sq in squares.values() if list(sq["by"].values()).count(max(sq["by"].values())) > 1]
    assert ties, "the window has squares where two hazards tie (the rule above is exercised)"


def test_no_squares_is_an_empty_array(db, now):
    got, rows, *_ = _cells(db, now, ["flood"], days=-1)  # start after end: nothing
    assert not rows
    assert (got["cells"], got["drawn"], got["max_n"], got["rows"]) == (0, 0, 0, "[]")
