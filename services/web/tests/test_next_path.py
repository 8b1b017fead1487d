"""After sign-in the person goes back only to a page of this site: `next` is never an open redirect."""

from __future__ import annotations

import pytest

from trickle_web.next_path import DEFAULT_NEXT, safe_next

from .support.api import session_tokens


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/ok\r\nLocation: https://evil.example",
        "/tab\tpath",
        "evil.example",
        "",
        None,
    ],
)
def test_anything_but_a_local_path_becomes_the_default(value: str | None) -> None:
    assert safe_next(value) == DEFAULT_NEXT


@pytest.mark.parametrize("value", ["/wallet", "/click?url=https%3A%2F%2Fblog.example%2Fpost", "/clicks#top"])
def test_a_local_path_is_kept(value: str) -> None:
    assert safe_next(value) == value


async def test_sign_in_redirects_to_a_local_next(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    await browser.get("/sign-in?next=/click%3Furl%3Dhttps%253A%252F%252Fa.example")
    response = await browser.submit(
        "/sign-in", {"email": "a@example.org", "password": "x" * 12, "next": "/click?url=https%3A%2F%2Fa.example"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/click?url=https%3A%2F%2Fa.example"


async def test_sign_in_refuses_to_redirect_off_site(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/sessions", session_tokens(), status=201)
    await browser.get("/sign-in")
    response = await browser.submit(
        "/sign-in", {"email": "a@example.org", "password": "x" * 12, "next": "//evil.example/steal"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == DEFAULT_NEXT


async def test_the_sign_in_page_does_not_echo_an_off_site_next(browser) -> None:  # type: ignore[no-untyped-def]
    page = await browser.get("/sign-in?next=https://evil.example/")
    assert "evil.example" not in page.text
