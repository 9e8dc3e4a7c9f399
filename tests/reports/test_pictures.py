"""The daily report's pictures (reports/pictures.py)."""
import dataclasses
import io

from PIL import Image

from reports import pictures


def test_pictures_are_pngs_of_the_requested_size(report):
    map_img = Image.open(io.BytesIO(pictures.map_png(report, 600, 400)))
    trend_img = Image.open(io.BytesIO(pictures.trend_png(report, 500, 200)))
    assert map_img.size == (600, 400) and trend_img.size == (500, 200)
    # the map is not blank: township fill and some incident colour are drawn
    assert len(set(map_img.convert("RGB").getdata())) > 20


def test_map_of_a_county_with_no_township_loaded_yet_draws_its_outline(report):
    """A county set up from its own files may have its boundary only: the map is its outline, not an error."""
    bare = dataclasses.replace(report, townships=report.townships.iloc[0:0], map_points=report.map_points.iloc[0:0])
    img = Image.open(io.BytesIO(pictures.map_png(bare, 600, 400))).convert("RGB")
    assert img.size == (600, 400)
    assert (240, 243, 247) in set(img.getdata()), "the county filled as land"
    nothing = dataclasses.replace(bare, outline=None)
    assert Image.open(io.BytesIO(pictures.map_png(nothing, 600, 400))).size == (600, 400)
