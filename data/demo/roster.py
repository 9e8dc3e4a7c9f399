"""The joint duty roster over the history and the next two weeks."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import insert_frame, random_names, random_phones

# The departments whose heads take the week's department-head seat, in turn.
HEAD_UNITS = ["县应急管理局", "县公安局", "县水利局", "县自然资源和规划局", "县林业局", "县卫生健康局",
              "县消防救援大队", "县交通运输局", "县综合行政执法局", "县民政局", "县住房和城乡建设局", "县气象局"]


def write_roster(con, seed: int, now: datetime) -> None:
    """The "1+1+2+5" joint duty: leader and department head by the week, office members and officers by the day."""
    rng = np.random.default_rng([seed, 9002])
    start = (pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)).normalize()
    days = pd.date_range(start, pd.Timestamp(now).normalize() + pd.Timedelta(days=14), freq="D")
    leaders = [(n, "县政府", p) for n, p in zip(random_names(rng, 8), random_phones(rng, 8))]
    heads = [(n, u, p) for n, u, p in zip(random_names(rng, 12), HEAD_UNITS, random_phones(rng, 12))]
    office = [(n, "县委办" if i % 2 else "县政府办", p)
              for i, (n, p) in enumerate(zip(random_names(rng, 10), random_phones(rng, 10)))]
    officers = [(n, "县联合值班室", p) for n, p in zip(random_names(rng, 25), random_phones(rng, 25))]
    extra_flood = [(n, "县水利局", p) for n, p in zip(random_names(rng, 6), random_phones(rng, 6))]
    extra_fire = [(n, "县林业局", p) for n, p in zip(random_names(rng, 6), random_phones(rng, 6))]
    rows = []
    monday = days[0] - pd.Timedelta(days=days[0].weekday())
    week = ((days - monday).days // 7).to_numpy()  # leader and department head change on Mondays
    for i, d in enumerate(days):
        people = {"leader": leaders[week[i] % len(leaders)], "dept_head": heads[week[i] % len(heads)],
                  "office_1": office[(2 * i) % len(office)], "office_2": office[(2 * i + 1) % len(office)]}
        for k in range(5):
            people[f"officer_{k + 1}"] = officers[(5 * i + k) % len(officers)]
        if 6 <= d.month <= 9:  # main flood season
            people["flood_extra"] = extra_flood[i % len(extra_flood)]
        if d.month >= 10 or d.month <= 4:  # high forest-fire season
            people["fire_extra"] = extra_fire[i % len(extra_fire)]
        for seat, (name, unit, phone) in people.items():
            rows.append((d.date(), seat, name, unit, phone))
    roster = pd.DataFrame(rows, columns=["duty_date", "seat", "person_name", "unit_name", "phone"])
    insert_frame(con, "duty_roster", roster, geom_sql="")
