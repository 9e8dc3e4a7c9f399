"""The arrows that must never exist (docs/ARCHITECTURE.md), checked on the import statements of every module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"app", "serve", "web", "pages", "views", "ui", "layers", "queries", "reports", "data", "i18n", "config",
        "settings", "bench", "tools", "tests"}
# package -> the packages of ours (and streamlit) it must never import
FORBIDDEN = {
    "layers": {"queries", "ui", "pages", "views", "reports", "web", "streamlit"},
    "views": {"ui", "pages", "web", "streamlit"},
    "data": {"ui", "pages", "views", "layers", "reports", "web", "streamlit"},
    "queries": {"ui", "pages", "views", "layers", "reports", "web", "streamlit"},
    "reports": {"ui", "pages", "web", "streamlit"},
    "web": {"pages", "views", "layers", "reports"},
    "i18n": OURS - {"i18n"} | {"streamlit"},
}
CLOCK = ROOT / "data" / "clock.py"


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_tops(path: Path) -> set[str]:
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_forbidden_import_arrows(package):
    found = {str(p.relative_to(ROOT)): sorted(imported_tops(p) & FORBIDDEN[package]) for p in modules(package)}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_domain_clock_is_asked_in_one_place():
    """datetime.now() / date.today() outside data/clock.py would make a page's 'now' differ from the data's."""
    offenders = []
    for package in ("pages", "views", "ui", "layers", "queries", "reports", "data"):
        for path in modules(package):
            if path == CLOCK:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("now", "today", "utcnow")
                        and isinstance(node.func.value, ast.Name) and node.func.value.id in ("datetime", "date")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
