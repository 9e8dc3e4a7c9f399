"""Screenshot OneMap pages in headless Debian Chromium (Playwright's client, no downloaded browser).

python -m tools.screenshot --url http://127.0.0.1:8501/one_map --out docs/one_map.png [--size 1920x1080]
Waits for Streamlit to finish and, when the page has a map, for the deck.gl canvas to draw."""
from __future__ import annotations

import argparse
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def wait_for_streamlit(page, timeout_s: float = 60) -> None:
    """Until the app stops running (no status widget spinner) and the main block has content."""
    page.wait_for_selector("[data-testid='stMainBlockContainer']", timeout=timeout_s * 1000)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        running = page.query_selector("[data-testid='stStatusWidget']")
        if running is None:
            break
        time.sleep(0.3)


def shoot(url: str, out: str, width: int = 1920, height: int = 1080, settle_s: float = 4.0,
          full_page: bool = False) -> list[str]:
    """Save a screenshot; return the URLs of every request the page made (to check nothing left the host)."""
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        wait_for_streamlit(page)
        if page.query_selector("canvas") or "map" in url:
            try:
                page.wait_for_selector("canvas", timeout=30000)
            except Exception:  # a page without a map: fine
                pass
        time.sleep(settle_s)
        page.screenshot(path=out, full_page=full_page)
        browser.close()
    return requests


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--full-page", action="store_true")
    args = ap.parse_args()
    w, h = (int(x) for x in args.size.split("x"))
    reqs = shoot(args.url, args.out, w, h, full_page=args.full_page)
    print(f"saved {args.out}; {len(reqs)} requests; hosts: {sorted({r.split('/')[2] for r in reqs if '//' in r})}")


if __name__ == "__main__":
    main()
