"""What the browser tests share: Debian chromium driven by Playwright's Python client (never `playwright install`),
and an app server that starts every browser signed out (the sign-in form as a user meets it)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def signed_out_app_url(demo_db_path):
    """The app as run.sh starts it, without the demo auto sign-in the other browser tests use: every browser
    meets the sign-in form. A database copy of its own (DuckDB lets one process write a file)."""
    from tests.conftest import ARTIFACTS, serve_app
    server_db = demo_db_path.with_name("server_signed_out.duckdb")
    if not server_db.exists():
        for suffix in ("", ".wal"):
            source = Path(str(demo_db_path) + suffix)
            if source.exists():
                shutil.copyfile(source, str(server_db) + suffix)
    env = {k: v for k, v in os.environ.items() if k != "ONEMAP_DEMO_AUTO_SIGN_IN"}
    env["ONEMAP_DB"] = str(server_db)
    log_path = ARTIFACTS.parent / ".app_server_signed_out.log"
    log = open(log_path, "w") if ARTIFACTS.parent.exists() else subprocess.DEVNULL
    with serve_app(env, log) as url:
        yield url
