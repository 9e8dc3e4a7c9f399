"""onemap.map end to end: the One Map page's queries, level-of-detail choice, layers and deck JSON, built by
the same views.one_map.build_map the page calls (with a plain runner instead of the Streamlit cache)."""
from __future__ import annotations

import settings
from queries import runner


def onemap_map_payload(con, v) -> int:
    """Bytes of deck JSON the browser would receive for this variant (build_map serialises it once)."""
    from views.one_map import MapRequest, build_map
    fetch = lambda name, **p: runner.run(con, name, **p)  # noqa: E731
    req = MapRequest(start=v["start"], end=v["end"], now=v["end"], hazards=tuple(v["hazards"]) or None)
    built = build_map(fetch, req, settings.load()["map"])
    return built.payload_bytes
