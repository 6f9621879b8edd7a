"""Headless Chromium for the browser and Jupyter tests: which binary, with which flags, launched once.

Debian's /usr/bin/chromium by default; $CHROMIUM names another, and ``CHROMIUM=playwright`` uses a browser installed
by ``playwright install chromium`` (the GitHub workflows). The flags keep Chromium off the network it would otherwise
reach for at start (updates, sync, QUIC): this machine's network is closed, and the tests load only 127.0.0.1.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def launched_chromium():
    """A Playwright Browser of headless Chromium, closed when the block ends; a clear failure when it is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: `.venv/bin/pip install -r requirements-dev.txt`", pytrace=False)
    bundled = CHROMIUM == "playwright"
    if not bundled and not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (Debian) or set CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(args=CHROMIUM_ARGS, **({} if bundled else {"executable_path": CHROMIUM}))
        try:
            yield browser
        finally:
            browser.close()
