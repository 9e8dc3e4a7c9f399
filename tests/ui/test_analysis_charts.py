"""The analysis charts speak the user's language on their date axes and count in whole numbers."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import i18n
from ui import analysis_charts as charts

HAZARDS = pd.DataFrame({"code": ["flood", "forest_fire"], "name_zh": ["洪涝", "森林火灾"],
                        "name_en": ["Flood", "Forest fire"], "colour": ["#1f77b4", "#d62728"]})
OVER_TIME = pd.DataFrame({"bucket": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03"]),
                          "hazard": ["flood", "forest_fire", "flood"], "incidents": [1, 2, 1]})


def text_of(lang):
    return lambda key: i18n.translate(f"analysis.chart.{key}", lang)


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_chinese_dates_on_the_time_axis_and_in_the_hover(granularity):
    fig = charts.over_time(OVER_TIME, HAZARDS, "name_zh", text_of("zh-CN"), granularity)
    stops = [s.value for s in fig.layout.xaxis.tickformatstops]
    assert stops and all("%b" not in v and "%B" not in v and re.search("[年月日时]", v) for v in stops)
    for trace in fig.data:
        assert "年" in trace.hovertemplate and "%b" not in trace.hovertemplate


def test_english_dates_stay_english():
    fig = charts.over_time(OVER_TIME, HAZARDS, "name_en", text_of("en"))
    assert not any(re.search("[年月日]", s.value) for s in fig.layout.xaxis.tickformatstops)


def test_count_axes_have_whole_ticks():
    fig = charts.over_time(OVER_TIME, HAZARDS, "name_zh", text_of("zh-CN"))
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1
    towns = pd.DataFrame({"township": ["甲", "乙"], "township_id": [1, 2], "incidents": [1, 3]})
    assert charts.by_township(towns, text_of("zh-CN")).layout.xaxis.dtick == 1
    mix = pd.DataFrame({"channel": ["police_110"], "name_zh": ["110"], "incidents": [2]})
    assert charts.channel_mix(mix, "name_zh", text_of("zh-CN")).layout.xaxis.tickformat == ",d"
    big = charts.count_axis(5290)
    assert big["tickformat"] == ",d" and "dtick" not in big  # plotly's own whole steps at scale
    heat = charts.hour_weekday(pd.DataFrame({"weekday": [1], "hour": [3], "incidents": [2]}),
                               {d: str(d) for d in range(1, 8)}, text_of("zh-CN"))
    assert heat.data[0].marker.colorbar.dtick == 1
