"""What a failing browser test leaves behind: under ``var/browser/<test>/``, for every page its
browser contexts had open, a full-page screenshot, the page's HTML and its console log, plus the
failure itself (``failure.txt``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import BrowserContext, Error, Page

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "var" / "browser"


def folder_for(nodeid: str) -> Path:
    """``tests/browser/test_x.py::test_y[p]`` -> ``var/browser/test_x.test_y-p``."""
    name = nodeid.split("/")[-1].replace(".py::", ".").replace("::", ".")
    return ROOT / re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")


def clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def keep(
    folder: Path,
    contexts: list[BrowserContext],
    console: dict[Page, list[str]],
    failure: str,
) -> list[Path]:
    """Write the artifacts of every open page; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "failure.txt"]
    written[0].write_text(failure)
    n = 0
    for context in contexts:
        for page in context.pages:
            n += 1
            stem = folder / f"{n:02d}-{_slug(page.url)}"
            log = stem.with_suffix(".console.log")
            log.write_text(f"{page.url}\n" + "\n".join(console.get(page, [])) + "\n")
            written.append(log)
            try:
                html = stem.with_suffix(".html")
                html.write_text(page.content())
                written.append(html)
                png = stem.with_suffix(".png")
                page.screenshot(path=str(png), full_page=True, timeout=15_000)
                written.append(png)
            except Error as exc:  # a page closing as the test failed: keep what could be taken
                log.write_text(log.read_text() + f"(could not capture the page: {exc})\n")
    return written


def _slug(url: str) -> str:
    path = re.sub(r"^[a-z]+://[^/]+", "", url).split("?", 1)[0].strip("/") or "root"
    return re.sub(r"[^A-Za-z0-9_-]+", "_", path)[:60]
