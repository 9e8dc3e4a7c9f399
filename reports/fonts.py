"""The CJK font the documents and pictures are drawn with: the TrueType WenQuanYi Micro Hei that the project's
setup installs (Debian fonts-wqy-microhei), which both fpdf2 and Pillow can embed."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei (TrueType: fpdf2 and Pillow)
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
]
FONT_FAMILY = "WenQuanYi Micro Hei"


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """The installed CJK TrueType font; a clear error names the package when it is missing."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"], capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found and "wqy" in found.lower() and Path(found).exists():
        return found
    raise RuntimeError("No CJK font found: install the Debian package fonts-wqy-microhei (test.sh and run.sh do)")
