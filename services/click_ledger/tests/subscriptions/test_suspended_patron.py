"""A suspended patron takes out no new subscription and their subscriptions click for no period while suspended."""

from __future__ import annotations

import httpx
from sqlalchemy import select, update

from trickle_click_ledger.models import Account, Click
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.ownership import prove_ownership


async def _set_suspended(client: httpx.AsyncClient, patron: str, suspended: bool) -> None:
    """As the accounts projection leaves it on wallet.account.updated (tests/test_accounts_projection.py)."""
    async with sessions_of(client)() as session, session.begin():
        session.add(Account(id=patron, giving_public=False, suspended=suspended, updated_at=utcnow()))
        await session.flush()


async def _auto_clicks(client: httpx.AsyncClient, subscription_id: str) -> list[str]:
    async with sessions_of(client)() as session:
        rows = await session.execute(
            select(Click.period).where(Click.subscription_id == subscription_id).order_by(Click.period)
        )
        return list(rows.scalars())


async def test_a_suspended_patrons_subscription_skips_the_periods_of_the_suspension(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator, patron = new_id("acct"), new_id("acct")
    url = f"https://subs-suspended.example/{creator}"
    await prove_ownership(client, creator, url)
    thing = (await client.post("/v1/things", json={"url": url}, headers=tokens.headers(creator))).json()
    sub = await client.post(
        "/v1/subscriptions", json={"thing_id": thing["id"], "periods": 6}, headers=tokens.headers(patron)
    )
    assert sub.status_code == 201, sub.text
    first = sub.json()["first_period"]

    await _set_suspended(client, patron, True)
    another = await client.post(
        "/v1/subscriptions", json={"thing_id": thing["id"], "periods": 3}, headers=tokens.headers(new_id("acct"))
    )
    assert another.status_code == 201  # others still subscribe
    refused = await client.post(
        "/v1/subscriptions", json={"thing_id": thing["id"], "periods": 3}, headers=tokens.headers(patron)
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "account_suspended")
    skipped = (await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())).json()["opened"]

    async with sessions_of(client)() as session, session.begin():
        await session.execute(update(Account).where(Account.id == patron).values(suspended=False))
    resumed = (await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())).json()["opened"]
    assert await _auto_clicks(client, sub.json()["id"]) == [first, resumed]
    assert skipped not in await _auto_clicks(client, sub.json()["id"])
