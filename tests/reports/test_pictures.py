"""The daily report's pictures (reports/pictures.py)."""
import io

from PIL import Image

from reports import pictures


def test_pictures_are_pngs_of_the_requested_size(report):
    map_img = Image.open(io.BytesIO(pictures.map_png(report, 600, 400)))
    trend_img = Image.open(io.BytesIO(pictures.trend_png(report, 500, 200)))
    assert map_img.size == (600, 400) and trend_img.size == (500, 200)
    # the map is not blank: township fill and some incident colour are drawn
    assert len(set(map_img.convert("RGB").getdata())) > 20
