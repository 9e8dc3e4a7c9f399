"""The app's colours, named once: the dark command-centre theme, the colour-blind-safe marker palette and the
sequential ramps. Python reads them from here; .streamlit/config.toml repeats the four theme colours because
Streamlit reads only TOML (tests/layers/test_theme.py pins the copies equal)."""
from __future__ import annotations

# The dark theme (Streamlit's [theme] and everything drawn beside it).
BACKGROUND = "#0B1220"   # page and map background
SURFACE = "#141E30"      # panels, KPI tiles, tooltips (Streamlit's secondaryBackgroundColor)
TEXT = "#E6EDF7"
TEXT_MUTED = "#AFC3E0"
BORDER = "#26344F"
ACCENT = "#3E5BA9"       # tooltip edge
PRIMARY = "#F08A24"      # Streamlit's primaryColor; also the edge of a KPI that needs attention
ALERT_TEXT = "#F2CF1D"   # the value of a KPI that needs attention

# Okabe-Ito colours: status scales stay distinguishable for the common colour-vision deficiencies.
OK_GREEN = "#009E73"
OK_YELLOW = "#F0E442"
OK_VERMILION = "#D55E00"
OK_BLUE = "#0072B2"
OK_SKY = "#56B4E9"
OK_ORANGE = "#E69F00"
GREY = "#8A94A6"
WHITE = "#FFFFFF"
ALARM_RED = "#E5202A"

# ColorBrewer YlOrRd, 5 classes (light yellow to dark red, distinct in lightness): grid cells and risk scores.
YLORRD = ["#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"]
# Viridis end points (dark = few, light = many): incidents counted per square. Its second step is ACCENT.
VIRIDIS = ["#30123B", ACCENT, "#1FA187", "#9FDA3A", "#FDE725"]

# deck.gl tooltips on every map: multi-line text (pre-line keeps the rows' line breaks).
TOOLTIP_STYLE = {"backgroundColor": SURFACE, "color": TEXT, "fontSize": "15px", "whiteSpace": "pre-line",
                 "border": f"1px solid {ACCENT}", "borderRadius": "4px", "padding": "6px 8px"}


def tooltip(html: str = "{tip}") -> dict:
    """A deck tooltip in the theme; the default shows each picked object's tip field."""
    return {"html": html, "style": TOOLTIP_STYLE}
