"""Plotly figures of the analysis page. Pure: aggregated DataFrames and labels in, go.Figure out (no queries,
no Streamlit), so tests check them directly. Every selectable figure carries its filter value in customdata;
selected_values() reads it back from a chart selection for the cross-filter."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from layers import theme

CJK_FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
NEUTRAL_BAR = "#4C78A8"
HEAT_SCALE = "Blues"


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    # clickmode and dragmode are left to Streamlit: with point selection on, it makes a click select a bar
    # (dragmode pan, clickmode event+select); box select stays one modebar button away.
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), font_family=CJK_FONT, **extra)
    return fig


DAY_MS = 86_400_000


def count_ticks(largest) -> dict:
    """Ticks of counts: whole numbers only (no "0.5 incidents"); one per step while the counts are small."""
    ticks = dict(tickformat=",d")
    if pd.isna(largest) or largest < 8:
        ticks["dtick"] = 1
    return ticks


def count_axis(largest) -> dict:
    return dict(rangemode="tozero", **count_ticks(largest))


def date_axis(text: Callable[[str], str]) -> dict:
    """Date ticks in the user's language at every zoom ("11月01日", "2026年11月"), not plotly's English months: the
    formats are strings of the language's analysis.chart table (plotly's own locales need a JS file not bundled)."""
    return dict(type="date", tickformatstops=[
        dict(dtickrange=[None, DAY_MS], value=text("date_hour")),
        dict(dtickrange=[DAY_MS, "M1"], value=text("date_day")),
        dict(dtickrange=["M1", "M12"], value=text("date_month")),
        dict(dtickrange=["M12", None], value=text("date_year"))])


def over_time(frame: pd.DataFrame, hazards: pd.DataFrame, label_column: str, text: Callable[[str], str],
              granularity: str = "day") -> go.Figure:
    """Stacked bars: incidents per time bucket, one colour per hazard (colours from the hazard code table)."""
    hover_date = text("hover_month") if granularity == "month" else text("hover_day")
    fig = go.Figure()
    for row in hazards.itertuples():
        part = frame[frame["hazard"] == row.code]
        if part.empty:
            continue
        fig.add_bar(x=part["bucket"], y=part["incidents"], name=getattr(row, label_column),
                    marker_color=row.colour, customdata=[[row.code]] * len(part),
                    hovertemplate="%{x|" + hover_date + "}<br>%{fullData.name}: %{y:,d}<extra></extra>")
    tallest = frame.groupby("bucket")["incidents"].sum().max() if len(frame) else 0
    return _layout(fig, 340, barmode="stack", xaxis=dict(title=text("time"), **date_axis(text)),
                   yaxis=dict(title=text("incidents"), **count_axis(tallest)), legend=dict(orientation="h", y=-0.25))


def by_township(frame: pd.DataFrame, text: Callable[[str], str]) -> go.Figure:
    """Horizontal bars, the busiest township on top."""
    ordered = frame.sort_values("incidents", ascending=True)
    fig = go.Figure(go.Bar(x=ordered["incidents"], y=ordered["township"], orientation="h", marker_color=NEUTRAL_BAR,
                           customdata=ordered[["township_id"]].to_numpy().tolist(),
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    return _layout(fig, max(260, 22 * len(ordered) + 60),
                   xaxis=dict(title=text("incidents"), **count_axis(ordered["incidents"].max())), yaxis_title=None)


def hour_weekday(frame: pd.DataFrame, weekday_labels: Mapping[int, str], text: Callable[[str], str]) -> go.Figure:
    """Weekday x hour heatmap, drawn as square markers: plotly heatmaps cannot be selected, markers can."""
    full = pd.MultiIndex.from_product([range(1, 8), range(24)], names=["weekday", "hour"])
    grid = frame.set_index(["weekday", "hour"])["incidents"].reindex(full, fill_value=0).reset_index()
    fig = go.Figure(go.Scatter(
        x=grid["hour"], y=grid["weekday"], mode="markers",
        marker=dict(symbol="square", size=17, color=grid["incidents"], colorscale=HEAT_SCALE, showscale=True,
                    line=dict(width=0), colorbar=dict(title=text("incidents"), thickness=12,
                                                      **count_ticks(grid["incidents"].max()))),
        customdata=grid[["weekday", "hour"]].to_numpy().tolist(),
        text=[weekday_labels[int(w)] for w in grid["weekday"]],
        hovertemplate="%{text} %{x}:00 · %{marker.color}<extra></extra>"))
    return _layout(fig, 300, xaxis=dict(title=text("hour"), dtick=2, range=[-0.7, 23.7]),
                   yaxis=dict(title=None, tickvals=list(range(1, 8)), ticktext=[weekday_labels[d] for d in range(1, 8)],
                              autorange="reversed"))


def response_times(frame: pd.DataFrame, text: Callable[[str], str]) -> go.Figure:
    """Box per linkage unit from precomputed percentiles (whiskers p5-p95), with p90 as a diamond."""
    ordered = frame.iloc[::-1]  # slowest at the top
    fig = go.Figure()
    fig.add_trace(go.Box(y=ordered["unit"], q1=ordered["p25"], median=ordered["p50"], q3=ordered["p75"],
                         lowerfence=ordered["p05"], upperfence=ordered["p95"], orientation="h",
                         name=text("minutes"), marker_color=NEUTRAL_BAR, showlegend=False))
    fig.add_trace(go.Scatter(x=ordered["p90"], y=ordered["unit"], mode="markers", name=text("p90"),
                             marker=dict(symbol="diamond", size=9, color=theme.OK_VERMILION),
                             customdata=ordered[["arrivals", "p50"]].to_numpy().tolist(),
                             hovertemplate="%{y}<br>" + text("p90") + ": %{x:.0f}<br>" + text("p50")
                             + ": %{customdata[1]:.0f}<br>" + text("arrivals") + ": %{customdata[0]}<extra></extra>"))
    fig.update_layout(height=max(280, 26 * len(ordered) + 80), margin=dict(l=10, r=10, t=10, b=10),
                      font_family=CJK_FONT, xaxis_title=text("minutes"), showlegend=False)
    return fig


def channel_mix(frame: pd.DataFrame, label_column: str, text: Callable[[str], str]) -> go.Figure:
    """Horizontal bars per channel with its share (bars, not a pie: pies cannot be selected)."""
    total = max(int(frame["incidents"].sum()), 1)
    ordered = frame.iloc[::-1]
    shares = [f"{n / total:.0%}" for n in ordered["incidents"]]
    fig = go.Figure(go.Bar(x=ordered["incidents"], y=ordered[label_column], orientation="h",
                           marker_color=theme.OK_GREEN,
                           text=shares, textposition="auto", customdata=ordered[["channel"]].to_numpy().tolist(),
                           hovertemplate="%{y}: %{x} (%{text})<extra></extra>"))
    return _layout(fig, 280, xaxis=dict(title=text("incidents"), **count_axis(ordered["incidents"].max())),
                   yaxis_title=None)


def _points(selection) -> list[dict]:
    """The selected points of a st.plotly_chart state (a dict-like PlotlyState), or none."""
    try:
        return list(selection["selection"]["points"])
    except (KeyError, TypeError):
        return []


def selected_values(selection, index: int = 0) -> list:
    """customdata[index] of each selected point, in order, without repeats."""
    points = _points(selection)
    values = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, Mapping):  # a typed array comes back from the browser as {"0": v, "1": w}
            data = [data[k] for k in sorted(data, key=int)]
        if isinstance(data, (list, tuple)) and len(data) > index:
            value = data[index]
            if value not in values:
                values.append(value)
    return values


def selected_x(selection) -> list:
    return [p["x"] for p in _points(selection) if "x" in p]
