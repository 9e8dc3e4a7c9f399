"""python -m data.county init | load | check: set a county up from its own files.

  python -m data.county init --db PATH --code ADCODE --name NAME [--name-en NAME] --boundary FILE [--crs CRS]
  python -m data.county load --db PATH --layer LAYER FILE [--crs CRS] [--sheet NAME] [--map SOURCE=FIELD ...] [--json]
  python -m data.county check --db PATH [--json]

load exits 0 whenever it read the file (quarantined rows or not), 2 when it could not read or map it."""
from __future__ import annotations

import argparse
import json
import sys

import i18n
from data import db
from data.county import check, init
from data.county.layers import LAYERS
from data.county.load import MappingError, load
from data.county.read import CountyError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.county", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT_LANGUAGE)
    sub = parser.add_subparsers(dest="command", required=True)
    p_init = sub.add_parser("init", help="make an empty county database with its boundary")
    p_init.add_argument("--db", required=True)
    p_init.add_argument("--code", required=True, help="the county's division code (adcode), e.g. 511132")
    p_init.add_argument("--name", required=True, help="Chinese name, e.g. 峨边彝族自治县")
    p_init.add_argument("--name-en", default=None)
    p_init.add_argument("--boundary", required=True, metavar="FILE")
    p_init.add_argument("--crs", default=None)
    p_init.add_argument("--json", action="store_true")
    p_load = sub.add_parser("load", help="load one layer file (upsert by its code column)")
    p_load.add_argument("--db", required=True)
    p_load.add_argument("--layer", required=True, choices=list(LAYERS))
    p_load.add_argument("file")
    p_load.add_argument("--crs", default=None)
    p_load.add_argument("--sheet", default=None)
    p_load.add_argument("--map", action="append", default=[], metavar="SOURCE=FIELD")
    p_load.add_argument("--json", action="store_true")
    p_load.add_argument("--lang", dest="lang_", choices=list(i18n.LANGUAGES), default=None)
    p_check = sub.add_parser("check", help="what the county still lacks")
    p_check.add_argument("--db", required=True)
    p_check.add_argument("--json", action="store_true")
    p_check.add_argument("--lang", dest="lang_", choices=list(i18n.LANGUAGES), default=None)
    args = parser.parse_args(argv)
    lang = getattr(args, "lang_", None) or args.lang
    try:
        if args.command == "init":
            out = init(args.db, args.code, args.name, args.name_en, args.boundary, args.crs)
            print(json.dumps(out, ensure_ascii=False) if args.json else
                  i18n.translate("county.cli.initialised", lang, **out))
            return 0
        con = db.connect(args.db)
        try:
            if args.command == "load":
                mapping = dict(_pair(m) for m in args.map)
                result = load(con, args.layer, args.file, crs=args.crs, sheet=args.sheet, mapping=mapping)
                print(_load_text(result, lang), file=sys.stderr if args.json else sys.stdout)
                if args.json:
                    print(json.dumps(result.summary(), ensure_ascii=False))
                return 0
            report = check.run(con, lang)
            print(check.as_json(report) if args.json else check.as_text(report, lang))
            return 0
        finally:
            con.close()
    except CountyError as exc:
        print(i18n.translate(f"county.error.{exc.key}", lang, **exc.values), file=sys.stderr)
        return 2


def _pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise MappingError("bad_map", value=text)
    source, target = text.rsplit("=", 1)
    return source.strip(), target.strip()


def _load_text(result, lang: str) -> str:
    values = {**result.summary(), "layer": i18n.translate(f"county.layer.{result.layer}", lang)}
    lines = [i18n.translate("county.cli.loaded", lang, **values)]
    for reason, n in result.reasons.items():
        lines.append(f"  {i18n.translate(f'county.reason.{reason}', lang)}: {n}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
