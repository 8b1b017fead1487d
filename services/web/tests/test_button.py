"""/click, the button's popup: sign in first and come back, one tap (a CSRF-checked POST), then the
message for the page that opened it, addressed to that page's origin only."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from .support.api import json_of, problem, session_tokens

ACCOUNT = "acct_0190a1b2c3d4"
PAGE = "https://blog.example/posts/quiet-rooms"
HOST = "https://blog.example"
THING = "thing_0190a1b2c3d4e5"


def click_answer(status: int = 201) -> dict[str, object]:
    return {
        "id": "click_0190aa",
        "patron_id": ACCOUNT,
        "thing_id": THING,
        "owner_id": None,
        "period": "2026-12",
        "weight": 1,
        "public": False,
        "subscription_id": None,
        "created_at": "2026-12-03T06:00:00Z",
        "revoked_at": None,
    }


def counts(n: int) -> dict[str, object]:
    return {"thing_id": THING, "period": "2026-12", "period_clicks": n, "all_time_clicks": n}


def message_of(page: str) -> tuple[dict[str, object], str]:
    found = re.search(
        r'<script type="application/json" id="trickle-message" data-origin="([^"]*)">(.*?)</script>', page
    )
    assert found, page
    return json.loads(found.group(2)), found.group(1)


async def test_a_visitor_signs_in_first_and_comes_back_to_the_button(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    response = await browser.client.get("/click", params={"url": PAGE, "origin": HOST})
    assert response.status_code == 303
    target = parse_qs(urlsplit(response.headers["location"]).query)["next"][0]
    assert urlsplit(response.headers["location"]).path == "/sign-in"
    assert parse_qs(urlsplit(target).query) == {"url": [PAGE], "origin": [HOST]}
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get(response.headers["location"])
    signed = await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12, "next": target})
    assert signed.status_code == 303 and signed.headers["location"] == target


async def signed_in(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(ACCOUNT), status=201)
    await browser.get("/sign-in")
    await browser.submit("/sign-in", {"email": "a@example.org", "password": "x" * 12})


async def test_one_tap_clicks_and_tells_only_the_opening_pages_origin(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await signed_in(browser, fake_api)
    fake_api.on("GET", "/v1/things/lookup", problem(404, "not_found", "No thing at this URL"))  # unregistered
    fake_api.on("POST", "/v1/clicks", click_answer(), status=201)
    fake_api.on("GET", f"/v1/things/{THING}/counts", counts(3))
    confirm = await browser.get(f"/click?url={PAGE}&origin={HOST}")
    assert confirm.status_code == 200
    assert PAGE in confirm.text and "Nobody has claimed this page yet" in confirm.text
    assert confirm.headers["x-frame-options"] == "DENY"  # the one tap cannot be framed by another site
    assert "frame-ancestors 'none'" in confirm.headers["content-security-policy"]
    key = re.search(r'name="idempotency_key" value="([^"]+)"', confirm.text)
    assert key
    done = await browser.submit(
        "/click", {"url": PAGE, "thing_id": "", "origin": HOST, "idempotency_key": key.group(1)}
    )
    assert done.status_code == 200
    (sent,) = fake_api.requests("POST", "/v1/clicks")
    assert json_of(sent) == {"url": PAGE} and sent.headers["idempotency-key"] == key.group(1)
    assert sent.headers["authorization"] == "Bearer access-1"
    message, origin = message_of(done.text)
    assert message == {"type": "trickle:clicked", "url": PAGE, "thing_id": THING, "count": 3}
    assert origin == HOST
    assert '<script src="/static/click.js">' in done.text
    assert "access-1" not in done.text and "refresh-1" not in done.text  # nothing to act with reaches the page


async def test_a_second_click_in_the_month_says_so(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await signed_in(browser, fake_api)
    fake_api.on("POST", "/v1/clicks", click_answer(), status=200)
    fake_api.on("GET", f"/v1/things/{THING}/counts", counts(1))
    await browser.get(f"/click?thing_id={THING}&origin={HOST}")
    done = await browser.submit("/click", {"thing_id": THING, "origin": HOST})
    assert "already clicked" in done.text
    assert json_of(fake_api.requests("POST", "/v1/clicks")[0]) == {"thing_id": THING}


async def test_a_refused_click_shows_why_and_posts_no_message(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await signed_in(browser, fake_api)
    fake_api.on("GET", "/v1/things/lookup", problem(404, "not_found", "No thing at this URL"))
    fake_api.on("POST", "/v1/clicks", problem(409, "account_suspended", "Your account is suspended."))
    await browser.get(f"/click?url={PAGE}&origin={HOST}")
    done = await browser.submit("/click", {"url": PAGE, "origin": HOST})
    assert done.status_code == 422 and "Your account is suspended." in done.text
    assert "trickle-message" not in done.text


async def test_an_origin_that_is_not_one_gets_no_message(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    await signed_in(browser, fake_api)
    fake_api.on("POST", "/v1/clicks", click_answer(), status=201)
    fake_api.on("GET", f"/v1/things/{THING}/counts", counts(1))
    for bad in ("javascript:alert(1)", "https://blog.example/path", "*", "https://blog.example?x=1"):
        await browser.get(f"/click?thing_id={THING}")
        done = await browser.submit("/click", {"thing_id": THING, "origin": bad})
        assert message_of(done.text)[1] == "", bad


async def test_the_click_button_is_not_focused_when_the_popup_opens(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    """Keyjacking: any site may open the popup from a key press (a user gesture) and ask for more
    key presses; with the Click button focused on opening, the next Enter or Space clicks for the
    patron, unseen. The patron has to move to the button (a tap, or Tab) first."""
    await signed_in(browser, fake_api)
    fake_api.on("GET", "/v1/things/lookup", problem(404, "not_found", "No thing at this URL"))
    confirm = await browser.get(f"/click?url={PAGE}&origin={HOST}")
    assert confirm.status_code == 200 and '<button type="submit"' in confirm.text
    assert "autofocus" not in confirm.text
