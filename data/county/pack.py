"""A county pack: a folder of department files plus pack.json saying how to load them (layer, --crs, --sheet).

python -m data.county.pack --db PATH FOLDER builds a county database from one (tests/packs/ebian is the
second county the tests run on). The loads are the same calls python -m data.county makes."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data import db
from data.county import init
from data.county.load import load

MANIFEST = "pack.json"


def build(folder: str | Path, out: str | Path) -> list[dict]:
    """init the county from the pack's boundary, then load its files in the manifest's order."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    c = manifest["county"]
    init(out, c["code"], c["name_zh"], c.get("name_en"), folder / c["boundary"], c.get("crs"))
    results = []
    con = db.connect(out)
    try:
        for step in manifest["loads"]:
            result = load(con, step["layer"], folder / step["file"], crs=step.get("crs"), sheet=step.get("sheet"))
            results.append({"file": step["file"], "sheet": step.get("sheet"), **result.summary()})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.county.pack", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("folder")
    args = parser.parse_args(argv)
    for row in build(args.folder, args.db):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
