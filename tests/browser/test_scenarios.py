"""What people do on Trickle, in Debian's Chromium, against the whole platform behind its gateway.

One platform and one browser for the module; each person has a browser context of their own
(their own cookies). Every Trickle page a scenario reaches is checked with axe-core (no serious
or critical violation), and the fixtures fail a passing scenario that reached a page without
checking it. Waits are Playwright's auto-waiting ``expect`` or the API (``eventually``), never
a sleep.

  a. A newcomer signs up (a weak password first: the API's problem shows next to the field,
     what was typed stays), follows the verification link from the mail catcher, confirms,
     and signs in (a wrong password first: refused, the email stays typed).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import api
from tests.browser.conftest import Browsing
from tests.browser.pages import button, email_field, field, password_field, sign_in_form, words
from tests.e2e.platform import Platform


def test_a_newcomer_signs_up_follows_the_mailed_link_and_signs_in(browsing: Browsing, platform: Platform) -> None:
    a11y = browsing.a11y
    email = api.unique_email("Nora")
    page = browsing.new_page(base_url=platform.gateway_url)

    page.goto("/")
    a11y.check(page)
    page.get_by_role("main").get_by_role("link", name=words("create an account", "sign up")).click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    a11y.check(page)
    field(page, "Your name", "Name", "Display name").fill("Nora")
    email_field(page).fill(email)
    password_field(page).fill("short")
    button(page, "create account", "create an account", "sign up").click()
    # The API's 422 names the password: its detail is the field's description; the rest is kept.
    expect(password_field(page)).to_have_attribute("aria-invalid", "true")
    expect(password_field(page)).to_have_accessible_description(re.compile(r"\w{3,}"))
    expect(email_field(page)).to_have_value(email)
    expect(field(page, "Your name", "Name", "Display name")).to_have_value("Nora")
    a11y.check(page)
    password_field(page).fill(api.PASSWORD)
    button(page, "create account", "create an account", "sign up").click()
    expect(page.get_by_role("heading", name=words("check your mail", "check your email"))).to_be_visible()
    expect(page.get_by_text(email).first).to_be_visible()
    a11y.check(page)

    mail = platform.mailbox.wait_for(to=email, containing="/verify-email?token=")
    link = mail.links("/verify-email?token=")[0]
    assert link.startswith(f"{platform.gateway_url}/verify-email?token="), link
    page.goto(link)
    a11y.check(page)
    button(page, "confirm my address", "confirm", "verify").click()
    expect(page.get_by_role("heading", name=words("address confirmed", "verified"))).to_be_visible()
    a11y.check(page)

    page.goto("/sign-in")
    sign_in_form(page, a11y, email, "not the password at all")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(email_field(page)).to_have_value(email)
    a11y.check(page, again=True)
    password_field(page).fill(api.PASSWORD)
    page.get_by_role("button", name=re.compile(r"^\s*sign in\s*$", re.I)).click()
    expect(page.get_by_role("button", name=re.compile(r"^\s*sign out\s*$", re.I))).to_be_visible()
    a11y.check(page)

    # The address is confirmed in the wallet: the API signs the person in too.
    nora = api.sign_in(platform, api.Person("Nora", email, api.PASSWORD, account_id=""))
    assert nora.account_id, "POST /v1/sessions answered no account"  # 403 email_not_verified otherwise
