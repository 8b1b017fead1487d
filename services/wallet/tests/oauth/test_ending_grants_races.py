"""Ending an account's grants (suspension, deletion, password reset) while an app exchanges a code it was given
before: the grant that exchange starts ends too, whichever commits first."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import text

from trickle_kit.testing import wait_until
from trickle_wallet.oauth import flows
from trickle_wallet.oauth.grants import revoke_all_for_account
from trickle_wallet.oauth.models import OAuthGrant

from ..support.oauth import (
    REDIRECT_URI,
    approve,
    authorization_query,
    new_pkce,
    redirect_params,
    register_app,
    signed_in,
)


async def test_a_code_exchanged_while_the_accounts_grants_end_starts_no_live_grant(
    app, client: httpx.AsyncClient, register, login
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    client_id = (await register_app(client, await login(await register())))["client_id"]
    pkce = new_pkce()
    session_tokens = await signed_in(app, account_id)
    approved = await approve(client, session_tokens["access_token"], authorization_query(client_id, pkce))
    code = redirect_params(approved.json()["redirect_to"])["code"]
    pairs = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", client_id),
        ("code_verifier", pkce.verifier),
    ]

    async def end_grants() -> None:
        async with app.state.sessions() as session, session.begin():
            await revoke_all_for_account(session, account_id, "account_suspended")

    async def ending_waits() -> bool:
        async with app.state.sessions() as session:
            waiting = await session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
            return int(waiting.scalar_one()) > 0

    async with app.state.sessions() as exchanging:
        async with exchanging.begin():
            issued = await flows.exchange(exchanging, app.state.settings, {}, pairs)
            assert isinstance(issued, flows.Issued)
            ending = asyncio.create_task(end_grants())
            await wait_until(ending_waits)  # it waits for the code the exchange holds
        await ending

    async with app.state.sessions() as session:
        grant = (
            await session.execute(
                OAuthGrant.__table__.select().where(
                    OAuthGrant.account_id == account_id, OAuthGrant.client_id == client_id
                )
            )
        ).one()
    assert grant.revoked_at is not None and grant.revoked_reason == "account_suspended"
