"""How a person works the Trickle pages: by what they read (roles, accessible names, labels).

No CSS class or element id of the templates is used here: a locator is what a screen reader
would announce (a field's label, a button's name, a heading), so a test breaks when the page
stops saying so, not when its markup changes. Each helper runs axe-core on the pages it reaches
(``Accessibility.check``).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.accessibility import Accessibility


def words(*alternatives: str) -> re.Pattern[str]:
    """An accessible name matching any of ``alternatives`` (case-insensitive, whole words)."""
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b", re.I)


def field(page: Page, *labels: str) -> Locator:
    """The form field labelled (exactly, ignoring case and spacing) one of ``labels``."""
    pattern = re.compile(r"^\s*(" + "|".join(re.escape(label) for label in labels) + r")\s*\*?\s*$", re.I)
    return page.get_by_label(pattern)


def button(page: Page, *names: str) -> Locator:
    return page.get_by_role("button", name=words(*names))


def email_field(page: Page) -> Locator:
    return field(page, "Email", "E-mail", "Email address", "E-mail address")


def password_field(page: Page) -> Locator:
    return field(page, "Password", "New password")


def sign_in_form(page: Page, a11y: Accessibility, email: str, password: str) -> None:
    """On a sign-in form (the page itself, or where a signed-out visitor was sent): sign in."""
    expect(email_field(page)).to_be_visible()
    a11y.check(page)
    email_field(page).fill(email)
    password_field(page).fill(password)
    page.get_by_role("button", name=re.compile(r"^\s*sign in\s*$", re.I)).click()


def sign_in(page: Page, a11y: Accessibility, email: str, password: str) -> None:
    """From anywhere: the sign-in page, the credentials, and signed in (the Sign out button shows
    on the page it lands on, which is checked too)."""
    page.goto("/sign-in")
    sign_in_form(page, a11y, email, password)
    expect(page.get_by_role("button", name=re.compile(r"^\s*sign out\s*$", re.I))).to_be_visible()
    a11y.check(page)
