"""The One Map paths, built by the same views.one_map.build_map the page calls.

fetch memoises by (query, parameters) exactly as the page's st.cache_data does (keyed on the data version,
which does not change during a run): code tables, boundaries and resource positions are read once; every
windowed query misses, because no two filter variants share a window.
- onemap.map: the incident map end to end (count, level-of-detail choice, points or squares, layers,
  deck JSON) over the offline base map: what the peer does with its GeoDataFrame.
- onemap.deck: the whole wall-screen deck (grid cells, alarms, reservoirs, teams, shelters on top)."""
from __future__ import annotations

import settings
from queries import runner

_memo: dict = {}


def _fetch(con):
    def fetch(name, **params):
        key = (id(con), name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
        if key not in _memo:
            _memo[key] = runner.run(con, name, **params)
        return _memo[key]
    return fetch


def _build(con, v, layers) -> int:
    from views.one_map import MapRequest, build_map
    req = MapRequest(start=v["start"], end=v["end"], now=v["end"], hazards=tuple(v["hazards"]) or None,
                     layers=layers)
    return build_map(_fetch(con), req, settings.load()["map"]).payload_bytes


def onemap_map_payload(con, v) -> int:
    """Bytes of deck JSON the browser would receive for the incident map of this variant."""
    return _build(con, v, ("incidents",))


def onemap_deck_payload(con, v) -> int:
    from views.one_map import DEFAULT_LAYERS
    return _build(con, v, DEFAULT_LAYERS)
