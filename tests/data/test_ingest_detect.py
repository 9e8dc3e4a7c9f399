"""Recognising the source system from a file's header or first record (data/ingest/detect.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from data import demo_exports
from data.ingest.detect import detect, detect_file

FORMATS = Path(__file__).resolve().parents[2] / "data" / "formats"
SHARED = FORMATS.parents[1].parent / "shared" / "formats"  # ../shared/formats beside the checkout
SAMPLES = {"110_calls.sample.csv": "110", "96345_hotline.sample.csv": "96345",
           "city_management.sample.csv": "city", "grid_reports.sample.json": "grid",
           "sensor_alarms.sample.jsonl": "sensor", "reservoir_levels.sample.csv": "reservoir"}


@pytest.mark.parametrize("name,source", sorted(SAMPLES.items()))
def test_samples_are_recognised(name, source):
    for folder in (FORMATS, SHARED):
        if (folder / name).exists():
            d = detect_file(folder / name)
            assert d.source == source, (folder, d)
            assert d.share == 1.0


def test_demo_exports_are_recognised(db_copy, tmp_path):
    # A copy: the app's own connection (AppTests in this process) holds the session database in another mode.
    files = demo_exports.write_exports(db_copy("detect"), tmp_path / "exp", rows=60, seed=3)
    assert set(files) >= {"110", "96345", "96345_xlsx", "city", "grid", "sensor", "reservoir"}
    for key, path in files.items():
        assert detect_file(path).source == key.removesuffix("_xlsx"), path


def test_reordered_extra_columns_and_gb18030():
    header = "报警时间,接警单编号,备注,警情类别,事发地址,经度,纬度,报警人姓名,报警电话,警情级别,管辖单位,简要警情\n"
    assert detect((header + "x,y\n").encode("gb18030")).source == "110"
    assert detect(("\ufeff" + header).encode("utf-8")).source == "110"
    assert detect(header.replace(",", "\t").encode("utf-8")).source == "110"


def test_json_head_of_a_long_array_and_unknown_files():
    head = (FORMATS / "grid_reports.sample.json").read_bytes()[:300]  # cut mid-record: keys by pattern
    assert detect(head).source == "grid"
    for junk in (b"", b"a,b,c\n1,2,3\n", b'{"foo": 1}\n', b"[1, 2]", "名称,地址\n".encode()):
        d = detect(junk)
        assert d.source is None, (junk, d)
