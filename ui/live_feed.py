"""Demo live feed: with ONEMAP_LIVE_FEED=1 (or [demo] live_feed = true) a background thread of the app
inserts a new incident every few seconds and now and then a sensor/AI alarm, through the app's own DuckDB
connection, and bumps the data version so every cached query sees them. Off by default and in tests."""
from __future__ import annotations

import logging
import os
import random
import threading
import time

import settings
from data import clock, db
from queries import runner

ENV = "ONEMAP_LIVE_FEED"
log = logging.getLogger(__name__)
# (channel, category, hazard, severity, description): plausible arrivals for a demo afternoon.
ARRIVALS = [
    ("police_110", "emergency", "traffic", 4, "两车相撞，有人受伤"),
    ("police_110", "emergency", "building_fire", 3, "民房起火，冒出浓烟"),
    ("hotline_96345", "service", "livelihood", 4, "小区停水，请求处理"),
    ("city_mgmt", "service", "urban_mgmt", 4, "道路井盖缺失"),
    ("grid", "emergency", "geological", 3, "山体出现裂缝，有落石"),
    ("grid", "emergency", "flood", 3, "溪水上涨漫过道路"),
    ("police_110", "emergency", "public_security", 4, "有人在路口斗殴"),
    ("police_110", "emergency", "forest_fire", 2, "山上有明火，火势蔓延"),
]
_started = False
_lock = threading.Lock()


def enabled() -> bool:
    flag = os.environ.get(ENV)
    if flag is not None:
        return flag.strip().lower() in {"1", "true", "yes", "on"}
    return bool(settings.load()["demo"].get("live_feed", False))


def interval_seconds() -> float:
    return float(settings.load()["demo"].get("live_feed_seconds", 5))


def tick(con, rng: random.Random) -> str:
    """Insert one arrival (an alarm one time in four) and bump the data version; returns the query used."""
    now = clock.now()
    if rng.random() < 0.25:
        name = "onemap_live_alarm"
        runner.run(con, name, now=now, description="AI识别到烟火 / 监测值超阈值")
    else:
        name = "onemap_live_incident"
        channel, category, hazard, severity, text = rng.choice(ARRIVALS)
        runner.run(con, name, now=now, channel=channel, category=category, hazard=hazard, severity=severity,
                   description=text)
    db.bump_data_version(con)
    return name


def start(app_cursor) -> bool:
    """Start the feed thread once per process (app_cursor: a cursor of the app's connection)."""
    global _started
    if not enabled():
        return False
    with _lock:
        if _started:
            return True
        _started = True
    con = app_cursor.cursor()  # the thread's own cursor on the same DuckDB instance

    def loop() -> None:
        rng = random.Random()
        while True:
            time.sleep(interval_seconds())
            try:
                tick(con, rng)
            except Exception:  # a failed insert must not kill the feed (or the app)
                log.exception("live feed insert failed")

    threading.Thread(target=loop, name="onemap-live-feed", daemon=True).start()
    return True
