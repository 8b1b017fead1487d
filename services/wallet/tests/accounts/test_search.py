"""Operators find accounts (GET /v1/accounts?email=&q=); nobody else lists accounts."""

from __future__ import annotations

import os

import httpx


async def test_an_operator_finds_an_account_by_email_in_any_case_or_by_part_of_its_name(
    client: httpx.AsyncClient, register, tokens
) -> None:  # type: ignore[no-untyped-def]
    tag = os.urandom(4).hex()
    wanted = (await register(display_name=f"Zelda {tag}", email=f"zelda-{tag}@example.org"))["account"]
    other = (await register(display_name=f"Yorick {tag}"))["account"]
    op = tokens.operator_headers()

    by_email = await client.get("/v1/accounts", params={"email": f"ZELDA-{tag}@Example.org"}, headers=op)
    assert by_email.status_code == 200, by_email.text
    assert [a["id"] for a in by_email.json()["data"]] == [wanted["id"]]

    by_name = await client.get("/v1/accounts", params={"q": tag}, headers=op)
    assert [a["id"] for a in by_name.json()["data"]] == sorted([wanted["id"], other["id"]])

    first = await client.get("/v1/accounts", params={"q": tag, "limit": 1}, headers=op)
    assert first.json()["has_more"] is True
    rest = await client.get(
        "/v1/accounts",
        params={"q": tag, "limit": 1, "starting_after": first.json()["next_starting_after"]},
        headers=op,
    )
    assert [a["id"] for a in first.json()["data"] + rest.json()["data"]] == sorted([wanted["id"], other["id"]])

    wildcard = await client.get("/v1/accounts", params={"q": "%"}, headers=op)
    assert wildcard.json()["data"] == []


async def test_an_account_holder_cannot_search_accounts_not_even_for_its_own(
    client: httpx.AsyncClient, register, tokens
) -> None:  # type: ignore[no-untyped-def]
    mine = (await register())["account"]
    answer = await client.get("/v1/accounts", params={"email": mine["email"]}, headers=tokens.headers(mine["id"]))
    assert answer.status_code == 403
    assert answer.json()["code"] in {"insufficient_scope", "forbidden"}, answer.json()
    assert (await client.get("/v1/accounts")).status_code == 401
