"""Reservoir readings (data/demo/readings.py) follow the one flood season of data/domain.py."""
import pandas as pd

from data.demo.readings import flood_season_mask
from data.domain import in_flood_season


def test_flood_season_mask_is_the_domain_rule_in_leap_and_common_years():
    for year in (2024, 2025):  # 2024: day-of-year counts shift by one after February
        times = pd.date_range(f"{year}-01-01", f"{year}-12-31 18:00", freq="6h")
        assert flood_season_mask(times).tolist() == [in_flood_season(t) for t in times]
    edges = pd.DatetimeIndex(["2024-04-14 23:00", "2024-04-15 00:00", "2024-10-15 23:00", "2024-10-16 00:00"])
    assert flood_season_mask(edges).tolist() == [False, True, True, False]
