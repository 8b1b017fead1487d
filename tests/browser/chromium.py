"""Debian's Chromium under Playwright for Python, set up for a machine with no network.

Playwright drives the system browser (``/usr/bin/chromium``, installed by
``deploy/local/chromium.sh``): ``playwright install`` downloads a browser build of its own and
is never run. The flags keep a headless Chromium from reaching out (background networking,
component updates, sync, QUIC): on a closed network those attempts hang on refused connections.
Each launch has a fresh profile (Playwright gives the browser a new temporary user-data
directory and deletes it at close), so no cookie or cache survives from one run to the next.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("TRICKLE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class ChromiumMissing(RuntimeError):
    pass


def executable() -> Path:
    if not CHROMIUM.exists():
        raise ChromiumMissing(
            f"{CHROMIUM} does not exist: run `bash deploy/local/chromium.sh` (as root) to install Debian's chromium"
        )
    return CHROMIUM


def launch(playwright: Playwright) -> Browser:
    """A headless Chromium with a fresh profile."""
    return playwright.chromium.launch(
        executable_path=str(executable()),
        headless=True,
        args=list(FLAGS),
    )
