"""Who keeps what: the supply depots and their stock, and the persons answering for each reservoir and geo-hazard
point (责任人). Loaded through the county loader like the other layers; drawn from a random stream of their own,
so the tables built before them keep their values."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import county_table, load_layer, random_names, random_phones
from data.demo.places import County, near, township_of, village_codes


def write_keepers(con, county: County, reservoirs: pd.DataFrame, hazard_points: pd.DataFrame, rng) -> None:
    write_depots(con, county, rng)
    write_responsible_persons(con, county, reservoirs, hazard_points, rng)


def write_depots(con, county: County, rng) -> None:
    streets = county.seats[county.seats["kind"] == "街道"]
    names = [cat.COUNTY_DEPOT] + [f"{n}{cat.STREET_DEPOT_SUFFIX}" for n in streets["name"]]
    seats = [county.county_seat] + list(zip(streets["seat_lon"], streets["seat_lat"]))
    lon, lat = np.asarray([near(county, rng, x, y, 0.004) for x, y in seats]).T
    codes = [f"CK{i:03d}" for i in range(1, len(names) + 1)]
    load_layer(con, "warehouses", county_table(
        "warehouses", code=codes, name=names, township=county.township_codes(township_of(county, lon, lat)),
        manager_name=random_names(rng, len(names)), manager_phone=random_phones(rng, len(names)), lon=lon, lat=lat))
    items = pd.DataFrame(cat.STOCK_ITEMS, columns=["item", "category", "unit", "quantity"])
    items["code"] = [f"WZ{k:03d}" for k in range(1, len(items) + 1)]  # the item's code, the same in every depot
    share = np.concatenate([[1.0], rng.uniform(0.1, 0.25, len(streets))])
    stock = pd.concat([items.assign(warehouse=code, quantity=np.maximum(1, np.round(items["quantity"] * f)))
                       for code, f in zip(codes, share)], ignore_index=True)
    load_layer(con, "stock", county_table(
        "stock", warehouse=stock["warehouse"], code=stock["code"], item=stock["item"], category=stock["category"],
        quantity=stock["quantity"], unit=stock["unit"]))


def write_responsible_persons(con, county: County, reservoirs: pd.DataFrame, hazard_points: pd.DataFrame,
                              rng) -> None:
    """One 责任人 per reservoir (水库安全责任人) and per geo-hazard point (监测责任人), object_code = its code."""
    n = len(reservoirs) + len(hazard_points)
    load_layer(con, "responsible_persons", county_table(
        "responsible_persons", code=[f"ZR{i:04d}" for i in range(1, n + 1)], name=random_names(rng, n),
        duty=["水库责任人"] * len(reservoirs) + ["隐患点责任人"] * len(hazard_points),
        post=[f"{r}安全责任人" for r in reservoirs["name"]] + [f"{h}监测责任人" for h in hazard_points["name"]],
        township=county.township_codes(np.concatenate([reservoirs["township_id"], hazard_points["township_id"]])),
        village=[None] * len(reservoirs) + village_codes(hazard_points["village_id"]),
        object_code=list(reservoirs["code"]) + list(hazard_points["code"]), phone=random_phones(rng, n)))
