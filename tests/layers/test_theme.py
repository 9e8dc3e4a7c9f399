"""One theme: layers/theme.py names every UI colour; .streamlit/config.toml keeps a copy of four of them
(Streamlit reads only TOML), pinned equal here; no other Python file writes the theme's colours."""
import re
import tomllib
from pathlib import Path

from layers import theme

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_config_uses_the_theme_colours():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert {k: config[k] for k in ("backgroundColor", "secondaryBackgroundColor", "textColor", "primaryColor")} == {
        "backgroundColor": theme.BACKGROUND, "secondaryBackgroundColor": theme.SURFACE, "textColor": theme.TEXT,
        "primaryColor": theme.PRIMARY}


def test_theme_colours_are_written_once_in_python():
    colours = {theme.BACKGROUND, theme.SURFACE, theme.TEXT, theme.TEXT_MUTED, theme.BORDER, theme.ACCENT}
    pattern = re.compile("|".join(re.escape(c) for c in colours), re.IGNORECASE)
    offenders = [str(path.relative_to(ROOT)) for folder in ("layers", "views", "pages", "ui", "reports")
                 for path in sorted((ROOT / folder).rglob("*.py"))
                 if path.name != "theme.py" and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_tooltip_is_themed():
    assert theme.tooltip()["html"] == "{tip}"
    assert theme.tooltip("{name}")["style"] is theme.TOOLTIP_STYLE
    assert theme.TOOLTIP_STYLE["backgroundColor"] == theme.SURFACE
