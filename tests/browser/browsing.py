"""A browser test's session: its browser contexts (one per person), each page's console, the
pages its main frames reached, and the accessibility checker (``a11y``)."""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.browser.accessibility import Accessibility

# What a page is given to show what a test expects (a safety net for a slow machine, not a measure).
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)


class Browsing:
    """The browser contexts of one test, their pages' console lines, and the pages they reached."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.console: dict[Page, list[str]] = {}
        self.a11y = Accessibility()

    def new_context(self, **options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "en-GB")
        context = self.browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    def new_page(self, **options: Any) -> Page:
        return self.new_context(**options).new_page()

    def _watch(self, page: Page) -> None:
        lines = self.console.setdefault(page, [])

        def on_console(msg: ConsoleMessage) -> None:
            lines.append(f"[{msg.type}] {msg.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: lines.append(f"[pageerror] {exc}"))
        page.on("requestfailed", lambda req: lines.append(f"[requestfailed] {req.method} {req.url} {req.failure}"))
        page.on("framenavigated", lambda frame: self.a11y.saw(frame.url) if frame == page.main_frame else None)

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):  # a context already gone with its browser
                context.close()
