"""/oauth/authorize: sign in first and come back, the app's request as the wallet checked it (name
escaped, redirect host, scopes in words), Approve/Deny with the person's token, a bad request an
error page and never a redirect."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import httpx

from .support.api import json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
REQUEST = {
    "response_type": "code",
    "client_id": "app_podcasts",
    "redirect_uri": "https://podcasts.example/callback",
    "scope": "wallet:read clicks:write",
    "state": "af0ifjsldkj",
    "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    "code_challenge_method": "S256",
}
AUTHORIZE = "/oauth/authorize?" + urlencode(REQUEST)


def request_info(name: str = "Podcasts") -> dict[str, object]:
    return {
        "client_id": "app_podcasts",
        "client_name": name,
        "redirect_uri": "https://podcasts.example/callback",
        "scopes": [
            {"scope": "wallet:read", "description": "Read deposits, budget, transfers, payouts and balances"},
            {"scope": "clicks:write", "description": "Click things for you"},
        ],
        "state": "af0ifjsldkj",
    }


async def sign_in(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get("/sign-in")
    assert (await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})).status_code == 303


async def test_a_signed_out_visitor_signs_in_first_and_comes_back(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    response = await browser.get(AUTHORIZE)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=" + quote(AUTHORIZE, safe="")
    assert fake_api.requests("GET", "/v1/oauth/authorization-requests") == []
    # Signing in with that next comes back to the same request.
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get(response.headers["location"])
    back = await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12, "next": AUTHORIZE})
    assert back.status_code == 303 and back.headers["location"] == AUTHORIZE


async def test_the_page_names_the_app_escaped_its_host_and_each_scope_in_words(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/oauth/authorization-requests", request_info('<script>alert("x")</script>Pods'))
    page = await browser.get(AUTHORIZE)
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;Pods" in page.text
    assert "podcasts.example" in page.text
    assert "Read deposits, budget, transfers, payouts and balances" in page.text and "Click things for you" in page.text
    asked = fake_api.requests("GET", "/v1/oauth/authorization-requests")[0]
    assert dict(asked.url.params) == REQUEST
    assert 'name="decision" value="approve"' in page.text and 'name="decision" value="deny"' in page.text


async def test_approving_sends_the_decision_with_the_persons_token_and_goes_to_the_app(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/oauth/authorization-requests", request_info())
    back = "https://podcasts.example/callback?code=Sp1x&state=af0ifjsldkj"
    fake_api.on("POST", "/v1/oauth/authorizations", {"redirect_to": back})
    await browser.get(AUTHORIZE)
    response = await browser.submit("/oauth/authorize", REQUEST | {"decision": "approve"})
    assert response.status_code == 303 and response.headers["location"] == back
    sent = fake_api.requests("POST", "/v1/oauth/authorizations")[0]
    assert json_of(sent) == REQUEST | {"decision": "approve"}
    assert sent.headers["authorization"] == "Bearer access-1"


async def test_denying_sends_deny(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/oauth/authorization-requests", request_info())
    back = "https://podcasts.example/callback?error=access_denied&state=af0ifjsldkj"
    fake_api.on("POST", "/v1/oauth/authorizations", {"redirect_to": back})
    await browser.get(AUTHORIZE)
    response = await browser.submit("/oauth/authorize", REQUEST | {"decision": "deny"})
    assert response.headers["location"] == back
    assert json_of(fake_api.requests("POST", "/v1/oauth/authorizations")[0])["decision"] == "deny"


async def test_a_bad_request_is_an_error_page_never_a_redirect(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on(
        "GET",
        "/v1/oauth/authorization-requests",
        problem(400, "invalid_redirect_uri", "The redirect_uri is not one the app registered"),
    )
    page = await browser.get("/oauth/authorize?" + urlencode(REQUEST | {"redirect_uri": "https://evil.example/"}))
    assert page.status_code == 400 and "location" not in page.headers
    assert "The redirect_uri is not one the app registered" in page.text
    assert 'name="decision"' not in page.text


async def test_a_refused_decision_or_a_foreign_redirect_is_an_error_page(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("GET", "/v1/oauth/authorization-requests", request_info())
    await browser.get(AUTHORIZE)
    fake_api.on("POST", "/v1/oauth/authorizations", problem(400, "invalid_request", "The code_challenge is missing"))
    refused = await browser.submit("/oauth/authorize", REQUEST | {"decision": "approve"})
    assert refused.status_code == 400 and "location" not in refused.headers
    assert "The code_challenge is missing" in refused.text
    fake_api.on("POST", "/v1/oauth/authorizations", {"redirect_to": "https://evil.example/callback?code=x"})
    await browser.get(AUTHORIZE)
    foreign = await browser.submit("/oauth/authorize", REQUEST | {"decision": "approve"})
    assert foreign.status_code == 400 and "location" not in foreign.headers


async def test_the_decision_needs_the_pages_csrf_token(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await sign_in(browser, fake_api)
    fake_api.on("POST", "/v1/oauth/authorizations", httpx.Response(200, json={"redirect_to": "https://x.example/"}))
    response = await browser.submit("/oauth/authorize", REQUEST | {"decision": "approve"}, csrf=False)
    assert response.status_code == 403
    assert fake_api.requests("POST", "/v1/oauth/authorizations") == []
