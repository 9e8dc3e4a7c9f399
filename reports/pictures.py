"""The daily report's two pictures, drawn with Pillow (no plotting library is installed): the day's map and the
30-day trend."""
from __future__ import annotations

import io
import json
import math

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

import i18n
from reports.daily_report import DailyReport
from reports.fonts import cjk_font_path


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_path(), size, index=0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def _rings(geojson: str | dict) -> list[list[tuple[float, float]]]:
    """The outer rings of a Polygon, MultiPolygon or a collection of them (other geometries have none)."""
    geom = json.loads(geojson) if isinstance(geojson, str) else geojson
    if geom["type"] == "GeometryCollection":
        return [ring for part in geom["geometries"] for ring in _rings(part)]
    if geom["type"] == "Polygon":
        return [geom["coordinates"][0]]
    if geom["type"] == "MultiPolygon":
        return [poly[0] for poly in geom["coordinates"]]
    return []


def map_png(report: DailyReport, width: int = 900, height: int = 640) -> bytes:
    """Township outlines, the day's incidents coloured by hazard (major ones larger, red ring), township names.
    With no township loaded yet, the county's outline (and no names)."""
    shapes = [(row.name, _rings(row.geojson), row.seat_lon, row.seat_lat) for row in report.townships.itertuples()]
    if not shapes and isinstance(report.outline, str):
        shapes = [(None, _rings(report.outline), None, None)]
    xs = [x for _, rings, _, _ in shapes for ring in rings for x, _ in ring] + list(report.map_points["lon"])
    ys = [y for _, rings, _, _ in shapes for ring in rings for _, y in ring] + list(report.map_points["lat"])
    lon0, lon1, lat0, lat1 = (min(xs), max(xs), min(ys), max(ys)) if xs else (0.0, 1.0, 0.0, 1.0)
    lon1, lat1 = max(lon1, lon0 + 1e-3), max(lat1, lat0 + 1e-3)  # one point alone still has a scale
    kx = math.cos(math.radians((lat0 + lat1) / 2))  # equirectangular: keep the county's true shape
    pad = 24
    scale = min((width - 2 * pad) / ((lon1 - lon0) * kx), (height - 2 * pad - 30) / (lat1 - lat0))

    def xy(lon, lat):
        return (pad + (lon - lon0) * kx * scale, pad + 30 + (lat1 - lat) * scale)

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for _, rings, _, _ in shapes:
        for ring in rings:
            draw.polygon([xy(x, y) for x, y in ring], fill=(240, 243, 247), outline=(150, 160, 175))
    points = report.map_points
    for row in points.itertuples():
        x, y = xy(row.lon, row.lat)
        r = 7 if row.is_major else 3.5
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(row.colour),
                     outline=(229, 32, 42) if row.is_major else None, width=2 if row.is_major else 1)
    label_font = _font(14)
    for name, _, lon, lat in shapes:
        if name is None:
            continue
        x, y = xy(lon, lat)
        draw.text((x, y), name, fill=(40, 48, 64), font=label_font, anchor="mm", stroke_width=2,
                  stroke_fill="white")
    draw.text((pad, 8), report.t("map_title", day=report.day.isoformat(), n=len(points)), fill=(20, 20, 20),
              font=_font(18))
    # legend: hazards of the day
    legend = report.hazards[report.hazards["day_count"] > 0]
    lx, ly = width - 170, 44
    small = _font(13)
    for row in legend.itertuples():
        draw.ellipse([lx, ly + 3, lx + 10, ly + 13], fill=_rgb(row.colour))
        draw.text((lx + 16, ly), getattr(row, i18n.label_column(report.lang)), fill=(40, 40, 40), font=small)
        ly += 19
    draw.ellipse([lx, ly + 1, lx + 14, ly + 15], outline=(229, 32, 42), width=2)
    draw.text((lx + 18, ly), report.t("legend_major"), fill=(40, 40, 40), font=small)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def trend_png(report: DailyReport, width: int = 900, height: int = 300) -> bytes:
    """Stacked daily bars (emergency / service) for the last 30 days; the report's day outlined."""
    trend = report.trend
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 48, 16, 40, 36
    totals = (trend["emergency"] + trend["service"]).to_numpy()
    peak = max(int(totals.max()) if len(totals) else 0, 1)
    step = 10 ** max(int(math.log10(peak)), 0)
    ymax = max(math.ceil(peak / step) * step, 4)  # at least 0..4: four grid steps stay whole numbers
    plot_h, plot_w = height - top - bottom, width - left - right
    font, title_font = _font(12), _font(16)
    draw.text((left, 8), report.t("trend_title", days=len(trend)), fill=(20, 20, 20), font=title_font)
    for k in range(5):
        v = ymax * k / 4
        y = top + plot_h - plot_h * v / ymax
        draw.line([left, y, width - right, y], fill=(225, 228, 232))
        draw.text((left - 6, y), f"{v:.0f}", fill=(90, 90, 90), font=font, anchor="rm")
    bar_w = plot_w / max(len(trend), 1)
    emergency_c, service_c = (213, 94, 0), (0, 114, 178)
    for i, row in enumerate(trend.itertuples()):
        x0 = left + i * bar_w + 1.5
        x1 = x0 + bar_w - 3
        y_base = top + plot_h
        y_e = y_base - plot_h * row.emergency / ymax
        y_s = y_e - plot_h * row.service / ymax
        draw.rectangle([x0, y_e, x1, y_base], fill=emergency_c)
        draw.rectangle([x0, y_s, x1, y_e], fill=service_c)
        if pd.Timestamp(row.day).date() == report.day:
            draw.rectangle([x0 - 1.5, y_s - 2, x1 + 1.5, y_base], outline=(20, 20, 20), width=2)
        if i % 5 == 0 or i == len(trend) - 1:
            draw.text(((x0 + x1) / 2, y_base + 4), pd.Timestamp(row.day).strftime("%m-%d"), fill=(90, 90, 90),
                      font=font, anchor="ma")
    lx = width - right - 220
    for colour, key in ((emergency_c, "legend_emergency"), (service_c, "legend_service")):
        draw.rectangle([lx, 12, lx + 12, 24], fill=colour)
        draw.text((lx + 16, 10), report.t(key), fill=(40, 40, 40), font=font)
        lx += 110
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
