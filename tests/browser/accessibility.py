"""axe-core on every page a browser test reaches: no ``serious`` or ``critical`` violation.

axe-core's JavaScript comes vendored in the ``axe-playwright-python`` package (nothing is
fetched at run time). ``Accessibility.check(page)`` injects it into the page as it is now, runs
every rule, and fails with the list of serious and critical violations (rule, impact, what to
fix, the first elements concerned). Pages are remembered by path and title: a page seen again
is not checked again, a form answered with another page at the same path is. ``reached`` is
filled by the browser fixtures from every main-frame navigation, and ``unchecked()`` names the
pages a test reached without checking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("serious", "critical")
_AXE = Axe()


def page_key(url: str) -> str:
    """A page is its origin and path (the query is input to it, not another page)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def blocking_violations(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in results.get("violations", []) if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])[:3]]
        more = len(v.get("nodes", [])) - len(targets)
        where = "; ".join(targets) + (f"; and {more} more" if more > 0 else "")
        lines.append(f"  [{v.get('impact')}] {v.get('id')}: {v.get('help')} ({where}) {v.get('helpUrl', '')}")
    return "\n".join(lines)


class AccessibilityError(AssertionError):
    pass


@dataclass
class Accessibility:
    checked: dict[str, set[str]] = field(default_factory=dict)  # page -> the titles it was checked with
    minor: dict[str, int] = field(default_factory=dict)  # page -> violations found below serious
    reached: list[str] = field(default_factory=list)
    ignored: set[str] = field(default_factory=set)

    def saw(self, url: str) -> None:
        key = page_key(url)
        if url.startswith("http") and key not in self.reached:
            self.reached.append(key)

    def check(self, page: Page, *, again: bool = False) -> None:
        """Run axe-core on ``page`` as it is now; fail with every serious or critical violation."""
        page.wait_for_load_state("load")
        key, title = page_key(page.url), page.title()
        if title in self.checked.get(key, set()) and not again:
            return
        results = _AXE.run(page).response
        blocking = blocking_violations(results)
        self.checked.setdefault(key, set()).add(title)
        self.minor[key] = len(results.get("violations", [])) - len(blocking)
        if blocking:
            raise AccessibilityError(
                f"axe-core: {len(blocking)} serious/critical violation(s) on {page.url}\n" + describe(blocking)
            )

    def ignore(self, url: str) -> None:
        """A page the test reached that is not Trickle's (nothing of it to check)."""
        self.ignored.add(page_key(url))

    def unchecked(self) -> list[str]:
        return [p for p in self.reached if p not in self.checked and p not in self.ignored]
