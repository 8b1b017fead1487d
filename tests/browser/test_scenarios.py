"""What people do on Trickle, in Debian's Chromium, against the whole platform behind its gateway.

One platform and one browser for the module; each person has a browser context of their own
(their own cookies). Every Trickle page a scenario reaches is checked with axe-core (no serious
or critical violation), and the fixtures fail a passing scenario that reached a page without
checking it. Waits are Playwright's auto-waiting ``expect`` or the API (``eventually``), never
a sleep.

  a. A newcomer signs up (a weak password first: the API's problem shows next to the field,
     what was typed stays), follows the verification link from the mail catcher, confirms,
     and signs in (a wrong password first: refused, the email stays typed); deposits by card
     (the API's quoted fee shown before paying, the sandbox completes it; the confirmation sent
     twice is one deposit), sets a budget with a minimum per click and a monthly maximum, asks
     for the whole balance back (confirmed first, then listed), and signs out (the wallet then
     asks to sign in).
  b. On a third party's page (another origin) a visitor clicks the embedded button: the popup
     (Trickle's origin) signs them in, they confirm, the count on the host page rises; the host
     page never sees a token (no Authorization header or bearer in its requests, DOM, storage,
     cookies or the messages it receives, which come from Trickle's origin only).
  d. An app's authorization request: the consent page (after signing in) names the app, where
     it goes back to and each scope in words; Approve sends the browser to the app's redirect
     URI with the state and a code that PKCE exchanges; the person revokes the app under Apps
     (its refresh token is refused then); Deny sends access_denied; a request naming an
     unregistered redirect URI is refused on Trickle's page, never redirected.
  e. Every page of the contract at a phone's size (signed out, signed in, operator): HTTP 200
     and no serious or critical axe-core violation, every page's list in one failure.
  c. A creator claims her domain (the page spells out the proof; her site serves it), verifies
     it, registers her article and sees a patron's click on her public profile; the operator
     signs in with the operator credential, seals the month (demo calendar) and sees it closed;
     both see the month in their statements (the patron's CSV download holds it too). Last in
     the file: the seal ends the month the other scenarios click in.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import Page, Request, expect

from tests.browser import api
from tests.browser.accessibility import AccessibilityError
from tests.browser.browsing import Browsing
from tests.browser.pages import button, email_field, field, password_field, sign_in, sign_in_form, words
from tests.browser.sites import HTML, article_with_button, html_page
from tests.e2e.platform import LocalHttpServer, Platform, eventually


def test_a_newcomer_signs_up_verifies_signs_in_deposits_by_card_and_sets_a_budget(
    browsing: Browsing, platform: Platform
) -> None:
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

    # A card deposit: the fee the API quotes shows before paying; the sandbox completes the payment.
    page.goto("/wallet")
    expect(page.get_by_role("heading", name="Your wallet")).to_be_visible()
    a11y.check(page)
    deposit = page.get_by_role("region", name="Add money")
    deposit.get_by_label("Pay with").select_option("card")
    deposit.get_by_label(re.compile(r"^\s*amount\s*$", re.I)).fill("25.00")
    deposit.get_by_role("button", name=words("see the fee")).click()
    expect(page.get_by_role("heading", name="Confirm your deposit")).to_be_visible()
    quote = api.expect(nora.api().post("/v1/deposits/quote", json={"method": "card", "amount": api.eur(2500)}))
    expect(page.get_by_role("main")).to_contain_text(api.money_text(quote["fee"]))
    expect(page.get_by_role("main")).to_contain_text(api.money_text(quote["net"]))
    a11y.check(page)
    pay = page.get_by_role("button", name=re.compile(r"^\s*pay\b.*25\.00", re.I))
    sent_form = pay.evaluate("button => Object.fromEntries(new FormData(button.form))")
    pay.click()
    expect(page.get_by_role("status")).to_contain_text("added to your wallet")
    a11y.check(page)
    deposit_path = urlsplit(page.url).path
    # The same confirmation sent again (a double submit, a resubmitted page) is the same deposit.
    again = page.request.post("/wallet/deposits", form=sent_form, max_redirects=0)
    assert (again.status, again.headers.get("location")) == (303, deposit_path), (again.status, again.headers)
    deposits = api.expect(nora.api().get("/v1/deposits", params={"limit": 10}))["data"]
    assert [(d["status"], d["gross"]["amount"]) for d in deposits] == [("succeeded", 2500)], deposits
    page.get_by_role("link", name=words("back to your wallet")).click()
    expect(page.get_by_role("region", name="Balance")).to_contain_text(api.money_text(quote["net"]))

    # The budget: an amount a month, at least this per click, never more than this a month.
    budget = page.get_by_role("region", name="Monthly budget")
    budget.get_by_label("Give each month").check()
    budget.get_by_label("Budget per month").fill("10.00")
    budget.get_by_label(words("at least this per click")).fill("0.10")
    budget.get_by_label(words("never more than this a month")).fill("20.00")
    budget.get_by_role("button", name=words("save the budget")).click()
    expect(page.get_by_role("status")).to_contain_text(words("budget is saved"))
    a11y.check(page, again=True)
    expect(page.get_by_role("region", name="Monthly budget").get_by_label("Budget per month")).to_have_value("10.00")
    saved = api.expect(nora.api().get(f"/v1/accounts/{nora.account_id}/budget"))
    assert (saved["amount"]["amount"], saved["min_per_click"]["amount"], saved["max_per_month"]["amount"]) == (
        1000,
        10,
        2000,
    ), saved

    # The unspent balance back: the whole of it by default, confirmed first, then listed with its status.
    refunds = page.get_by_role("region", name="Refunds")
    expect(refunds.get_by_label("Amount to refund")).to_have_value(re.compile(r"^\d+\.\d\d$"))
    whole = refunds.get_by_label("Amount to refund").input_value()
    refunds.get_by_role("button", name="Refund my balance").click()
    expect(page.get_by_role("heading", name="Confirm your refund")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name=re.compile(r"^\s*refund\b.*" + re.escape(whole), re.I)).click()
    expect(page.get_by_role("status")).to_contain_text("refund is asked for")
    expect(page.get_by_role("region", name="Refunds").get_by_role("row").filter(has_text=whole)).to_be_visible()
    a11y.check(page, again=True)
    asked = api.expect(nora.api().get("/v1/refunds", params={"limit": 10}))["data"]
    assert [decimal_amount(r["amount"]) for r in asked] == [whole], asked

    # Signing out ends the session: the wallet asks to sign in again.
    page.get_by_role("button", name=re.compile(r"^\s*sign out\s*$", re.I)).click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    a11y.check(page)
    page.goto("/wallet")
    expect(email_field(page)).to_be_visible()


def decimal_amount(money: dict[str, int]) -> str:
    return f"{money['amount'] // 100}.{money['amount'] % 100:02d}"


# Records every message the host page receives (who sent it and what), before any script of its own runs.
RECORD_MESSAGES = """
window.__messages = [];
window.addEventListener("message", function (e) {
  window.__messages.push({origin: e.origin, data: JSON.parse(JSON.stringify(e.data))});
});
"""


def test_b_a_visitor_clicks_the_button_on_a_third_party_page_signs_in_in_the_popup_and_the_count_rises(
    browsing: Browsing, platform: Platform, creator_site: LocalHttpServer
) -> None:
    a11y = browsing.a11y
    patron = api.sign_in(platform, api.sign_up(platform, "Vic"))
    api.fund(platform, patron)
    url = article_with_button(creator_site, platform.gateway_url, "/posts/quiet-rooms")

    context = browsing.new_context()
    context.add_init_script(RECORD_MESSAGES)
    host = context.new_page()
    host_requests: list[Request] = []
    host.on("request", lambda request: host_requests.append(request))
    host.goto(url)
    the_button = host.get_by_role("link", name=words("trickle"))
    expect(the_button).to_have_attribute("href", re.compile("^" + re.escape(f"{platform.gateway_url}/click?")))
    a11y.check(host)  # the host's page with the button as embed.js renders it

    with host.expect_popup() as opened:
        the_button.click()
    popup = opened.value
    # Signed out: the popup (Trickle's origin) asks to sign in first, then comes back to the click.
    expect(popup).to_have_url(re.compile("^" + re.escape(f"{platform.gateway_url}/sign-in?")))
    sign_in_form(popup, a11y, patron.email, patron.password)
    expect(popup.get_by_role("heading", name=words("support this with trickle"))).to_be_visible()
    expect(popup.get_by_text(url).first).to_be_visible()
    a11y.check(popup)
    popup.get_by_role("button", name=re.compile(r"^\s*click\s*$", re.I)).click()

    # The host page hears from Trickle's origin, and only the count: the button says 1 click.
    expect(the_button).to_contain_text(re.compile(r"\b1 click\b"))
    expect(the_button).to_have_attribute("data-trickle-count", "1")
    messages = host.evaluate("window.__messages")
    assert [m["origin"] for m in messages] == [platform.gateway_url], messages
    assert messages[0]["data"]["type"] == "trickle:clicked" and messages[0]["data"]["count"] == 1, messages
    assert set(messages[0]["data"]) <= {"type", "url", "thing_id", "count"}, messages

    # The click is the patron's, as the API tells the patron.
    clicks = api.expect(patron.api().get("/v1/clicks", params={"limit": 10}))["data"]
    assert [c["thing_id"] for c in clicks] == [messages[0]["data"]["thing_id"]], clicks

    # Nothing that could act for the patron ever reached the host page.
    assert host_requests, "the host page made no request?"
    for request in host_requests:
        headers = {k.lower(): v for k, v in request.all_headers().items()}
        assert "authorization" not in headers, (request.url, headers)
        assert "bearer" not in request.url.lower() and "bearer" not in (request.post_data or "").lower(), request.url
    dom = host.content().lower()
    assert "bearer" not in dom and "access_token" not in dom and "refresh_token" not in dom, dom
    storage = host.evaluate("JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])")
    assert "token" not in storage.lower(), storage
    assert host.evaluate("typeof window.TrickleToken") == "undefined"
    assert context.cookies(url) == [], context.cookies(url)  # Trickle's session cookie stays with Trickle's host

    # The page after the click, seen again in a tab of its own (the popup closes itself): it says
    # the click counts once.
    tab = context.new_page()
    tab.goto(f"{platform.gateway_url}/click?url={url}")
    tab.get_by_role("button", name=re.compile(r"^\s*click\s*$", re.I)).click()
    expect(tab.get_by_role("status")).to_contain_text(words("counts once"))
    a11y.check(tab, again=True)


# ---------------------------------------------------------------- d. the consent page


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def test_d_the_consent_page_names_the_scopes_in_words_and_approve_redirects_with_a_code(
    browsing: Browsing, platform: Platform, app_site: LocalHttpServer
) -> None:
    a11y = browsing.a11y
    app_site.routes["/callback"] = (200, HTML, html_page("Podcast Player", "<p>Signing you in…</p>"))
    developer = api.sign_in(platform, api.sign_up(platform, "Dev"))
    redirect_uri = f"{app_site.origin}/callback"
    client_id = api.expect(
        developer.api().post(
            "/v1/oauth/clients",
            json={
                "name": "Podcast Player",
                "redirect_uris": [redirect_uri],
                "client_type": "public",
                "scopes": ["clicks:write", "wallet:read"],
            },
            headers=api.idempotent(),
        ),
        201,
    )["client_id"]
    listener = api.sign_up(platform, "Lee")
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(12)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "clicks:write wallet:read",
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with api.anonymous(platform) as anon:
        described = api.expect(anon.get("/v1/oauth/authorization-requests", params=query))
    assert {s["scope"] for s in described["scopes"]} == {"clicks:write", "wallet:read"}, described

    page = browsing.new_page(base_url=platform.gateway_url)
    page.goto(f"/oauth/authorize?{urlencode(query)}")
    sign_in_form(page, a11y, listener.email, listener.password)  # signed out: sign in first, then back
    expect(page.get_by_role("heading", level=1)).to_contain_text("Podcast Player")
    expect(page.get_by_text(app_site.origin.removeprefix("http://")).first).to_be_visible()
    scopes = page.get_by_role("region", name=words("it will be able to"))
    for scope in described["scopes"]:
        expect(scopes.get_by_role("listitem").filter(has_text=scope["description"])).to_have_count(1)
    a11y.check(page)
    with page.expect_navigation(url=re.compile("^" + re.escape(redirect_uri) + r"\?")):
        page.get_by_role("button", name="Approve").click()
    a11y.ignore(page.url)  # the app's own page
    answer = parse_qs(urlsplit(page.url).query)
    assert answer["state"] == [state], page.url
    with api.anonymous(platform) as anon:
        tokens = api.expect(
            anon.post(
                "/v1/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": answer["code"][0],
                    "redirect_uri": redirect_uri,
                    "client_id": client_id,
                    "code_verifier": verifier,
                },
            )
        )
    assert set(tokens["scope"].split()) == {"clicks:write", "wallet:read"}, tokens

    # Deny sends the app access_denied with its state, and no code.
    denied_state = secrets.token_urlsafe(12)
    page.goto(f"/oauth/authorize?{urlencode({**query, 'state': denied_state})}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Podcast Player")
    with page.expect_navigation(url=re.compile("^" + re.escape(redirect_uri) + r"\?")):
        page.get_by_role("button", name="Deny").click()
    denied = parse_qs(urlsplit(page.url).query)
    assert (denied["error"], denied["state"], "code" in denied) == (["access_denied"], [denied_state], False), page.url

    # The listener sees the app under Apps, in the same words, and revokes it: its tokens stop working.
    page.goto("/apps")
    expect(page.get_by_role("heading", name="Podcast Player")).to_be_visible()
    for scope in described["scopes"]:
        expect(page.get_by_role("main")).to_contain_text(scope["description"])
    a11y.check(page)
    page.get_by_role("button", name=re.compile(r"^\s*revoke\s+podcast player\s*$", re.I)).click()
    expect(page.get_by_role("status")).to_contain_text("can no longer act for you")
    expect(page.get_by_role("heading", name="Podcast Player")).to_have_count(0)
    a11y.check(page, again=True)
    with api.anonymous(platform) as anon:
        refused = anon.post(
            "/v1/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client_id},
        )
    assert refused.status_code in (400, 401), refused.text

    # A request naming another redirect URI is refused on Trickle's page, never redirected.
    page.goto(f"/oauth/authorize?{urlencode({**query, 'redirect_uri': f'{app_site.origin}/elsewhere'})}")
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.url.startswith(platform.gateway_url), page.url
    a11y.check(page)


# ---------------------------------------------------------------- e. every page, on a phone

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def test_e_every_page_passes_axe_core_on_a_phone_signed_out_signed_in_and_as_operator(
    browsing: Browsing, platform: Platform, creator_site: LocalHttpServer
) -> None:
    """Each page of the contract, at a phone's size, answers 200 and has no serious or critical
    axe-core violation; the failure lists every page's violations at once."""
    a11y = browsing.a11y
    person = api.sign_in(platform, api.sign_up(platform, "Ada"))
    api.fund(platform, person)
    article = article_with_button(creator_site, platform.gateway_url, "/posts/every-page")
    api.expect(person.api().post("/v1/clicks", json={"url": article}, headers=api.idempotent()), 201)
    problems: list[str] = []

    def visit(page: Page, path: str) -> None:
        response = page.goto(path)
        status = response.status if response else None
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
            a11y.ignore(page.url)
            return
        try:
            a11y.check(page)
        except AccessibilityError as failed:
            problems.append(f"{path}: {failed}")

    visitor = browsing.new_page(base_url=platform.gateway_url, **PHONE)
    for path in (
        "/",
        "/sign-up",
        "/sign-in",
        "/forgot-password",
        "/reset-password?token=not-a-token",
        "/verify-email?token=not-a-token",
        f"/creators/{person.account_id}",
    ):
        visit(visitor, path)

    patron = browsing.new_page(base_url=platform.gateway_url, **PHONE)
    sign_in(patron, a11y, person.email, person.password)
    for path in (
        "/wallet",
        "/wallet/refund",  # the refund's confirmation (the whole balance)
        "/clicks",
        "/subscriptions",
        "/tips",
        "/statements",
        "/apps",
        "/creator",
        "/creator/earnings",
        "/creator/widget",
        "/creator/webhooks",
        f"/click?{urlencode({'url': article})}",
    ):
        visit(patron, path)

    operator = browsing.new_page(base_url=platform.gateway_url, **PHONE)
    visit(operator, "/operator/sign-in")
    operator.get_by_label("Operator client id").fill("operator")
    operator.get_by_label("Operator secret").fill(platform.operator_secret)
    operator.get_by_role("button", name="Sign in as operator").click()
    expect(operator.get_by_role("heading", name="Periods", exact=True)).to_be_visible()
    for path in ("/operator", "/operator/events", "/operator/accounts", "/operator/periods/seal"):
        visit(operator, path)

    assert not problems, "pages failing on a phone:\n" + "\n".join(problems)


# ---------------------------------------------------------------- c. the creator and the operator's month


def test_c_a_creator_proves_a_domain_and_sees_the_click_the_operator_seals_the_month_both_see_statements(
    browsing: Browsing, platform: Platform, creator_site: LocalHttpServer
) -> None:
    a11y = browsing.a11y
    cora = api.sign_in(platform, api.sign_up(platform, "Cora"))
    pat = api.sign_in(platform, api.sign_up(platform, "Pat"))
    api.fund(platform, pat, deposit=10_000, budget=3_000)
    article = f"{creator_site.origin}/posts/paper-boats"

    # Cora claims her site: the page spells out the proof; her site serves it; she verifies.
    page = browsing.new_page(base_url=platform.gateway_url)
    sign_in(page, a11y, cora.email, cora.password)
    page.goto("/creator")
    expect(page.get_by_role("heading", name="Your things and claims")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Domain").fill(creator_site.host)
    page.get_by_role("button", name="Start the claim").click()
    claim = page.get_by_role("article", name=re.compile("^" + re.escape(creator_site.host)))
    expect(claim).to_contain_text(".well-known/trickle-verification")
    a11y.check(page, again=True)
    token_line = claim.get_by_text(re.compile(r"^\s*Your token:")).inner_text()
    token = token_line.split(":", 1)[1].strip()
    assert token, token_line
    creator_site.routes["/.well-known/trickle-verification"] = (
        200,
        {"Content-Type": "text/plain"},
        f"{token}\n".encode(),
    )
    claim.get_by_role("button", name=words("verify now")).click()
    expect(page.get_by_role("status")).to_contain_text(f"{creator_site.host} is verified")
    a11y.check(page, again=True)

    # She registers her article; Pat clicks it (through the API, as any client of it could).
    page.get_by_label("Address of the page").fill(article)
    page.get_by_label(words("title")).fill("Paper boats")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("registered")
    expect(page.get_by_role("rowheader", name=re.compile("^Paper boats"))).to_be_visible()
    a11y.check(page, again=True)
    click = api.expect(pat.api().post("/v1/clicks", json={"url": article}, headers=api.idempotent()), 201)
    assert click["owner_id"] == cora.account_id, click
    period = click["period"]

    # Cora sees the click on her public profile (the counts anybody sees).
    page.get_by_role("navigation", name="Creator").get_by_role("link", name="Your public profile").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Paper boats"))
    expect(row.get_by_role("cell").first).to_have_text("1")
    a11y.check(page)

    # The operator signs in with the operator credential, seals the month, and sees it closed.
    operator_page = browsing.new_page(base_url=platform.gateway_url)
    operator_page.goto("/operator")
    expect(operator_page.get_by_role("heading", name="Operator sign-in")).to_be_visible()
    a11y.check(operator_page)
    operator_page.get_by_label("Operator client id").fill("operator")
    operator_page.get_by_label("Operator secret").fill(platform.operator_secret)
    operator_page.get_by_role("button", name="Sign in as operator").click()
    expect(operator_page.get_by_role("heading", name="Periods", exact=True)).to_be_visible()
    a11y.check(operator_page)
    operator_page.get_by_role("link", name=f"Seal {period} now…").click()
    expect(operator_page.get_by_role("heading", name=f"Seal {period}?")).to_be_visible()
    a11y.check(operator_page)
    operator_page.get_by_role("button", name="Yes, seal it").click()
    expect(operator_page.get_by_role("status")).to_contain_text(f"{period} is sealed")
    a11y.check(operator_page, again=True)  # the close may still run: the page then polls (static/live.js)
    with api.operator(platform) as op:
        eventually(
            f"settlement to close {period}",
            lambda: api.expect(op.get(f"/v1/periods/{period}")),
            lambda s: s["status"] == "closed",
            timeout_s=120,
            platform=platform,
        )
    operator_page.goto("/operator")
    closed_row = operator_page.get_by_role("row").filter(has=operator_page.get_by_role("rowheader", name=period))
    expect(closed_row).to_contain_text("closed")
    a11y.check(operator_page, again=True)

    # Both see their statements: Pat's month spent, Cora's month earned (and the CSV holds it).
    eventually(
        "Cora's earnings of the month",
        lambda: api.balances(cora)["earnings"]["amount"],
        lambda amount: amount > 0,
        platform=platform,
    )
    page.goto("/statements")
    expect(page.get_by_role("row").filter(has_text=period).first).to_be_visible()
    a11y.check(page)
    page.goto("/creator/earnings")
    expect(
        page.get_by_role("region", name="What you earned").get_by_role("row").filter(has_text=period).first
    ).to_be_visible()
    a11y.check(page)

    pat_page = browsing.new_page(base_url=platform.gateway_url)
    sign_in(pat_page, a11y, pat.email, pat.password)
    pat_page.goto("/statements")
    expect(pat_page.get_by_role("row").filter(has_text=period).first).to_be_visible()
    with pat_page.expect_download() as downloading:
        pat_page.get_by_role("link", name=words("download the whole statement")).click()
    csv_text = Path(downloading.value.path()).read_text()
    assert period in csv_text and csv_text.splitlines()[0].count(",") >= 3, csv_text[:500]
