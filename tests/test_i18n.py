"""Both languages have the same keys, and every key used in code exists."""
import re
from pathlib import Path

import pytest

import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_languages_have_the_same_keys():
    zh, en = i18n.strings("zh-CN"), i18n.strings("en")
    assert set(zh) == set(en), {"only zh-CN": sorted(set(zh) - set(en)), "only en": sorted(set(en) - set(zh))}


def test_chinese_is_the_default_and_differs_from_english():
    assert i18n.DEFAULT_LANGUAGE == "zh-CN"
    assert i18n.translate("nav.one_map") != i18n.translate("nav.one_map", "en")
    assert re.search(r"[\u4e00-\u9fff]", i18n.translate("nav.one_map"))


def test_every_literal_key_used_in_code_exists():
    keys = set(i18n.strings("zh-CN"))
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    missing = used - keys
    assert not missing, f"keys used but not defined: {sorted(missing)}"


def test_unknown_language_falls_back_to_chinese():
    assert i18n.strings("fr") == i18n.strings("zh-CN")


@pytest.mark.parametrize("minutes,zh,en", [
    (19, "19分钟", "19 min"), (0, "0分钟", "0 min"), (60, "1小时", "1 h"), (125, "2小时5分", "2 h 5 min"),
    (24 * 60, "24小时", "24 h"), (48 * 60, "2天", "2 d"), (2898 * 60, "120天18小时", "120 d 18 h"), (None, "—", "—"),
    (float("nan"), "—", "—")])
def test_one_duration_formatter(minutes, zh, en):
    assert i18n.duration(minutes, "zh-CN") == zh and i18n.duration(minutes, "en") == en


def test_the_duration_callers_use_it():
    from views import incident_ops
    assert incident_ops.duration(19, "zh-CN") == "19分钟"
