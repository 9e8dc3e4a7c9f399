"""Cold start: seconds from `streamlit run serve.py` (how run.sh starts the app) to the One Map's deck.gl canvas
drawn in headless Chromium (signed in through the demo auto sign-in, which is honoured only on a demo database)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_start_seconds(db_path: Path, timeout_s: float = 180) -> float:
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM, CHROMIUM_ARGS
    port = _free_port()
    env = {**os.environ, "ONEMAP_DB": str(db_path), "ONEMAP_DEMO_AUTO_SIGN_IN": "commander"}
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port",
                               str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.perf_counter() - t0 > timeout_s:
                    raise TimeoutError("server did not start") from None
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{port}/one_map")
            page.wait_for_selector("canvas", timeout=timeout_s * 1000)
            elapsed = time.perf_counter() - t0
            browser.close()
        return elapsed
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    print(f"{cold_start_seconds(Path(sys.argv[1])):.1f} s")
