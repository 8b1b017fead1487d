"""Ending an account's grants (suspension, deletion, password reset) while an app exchanges a code it was given
before, or while its person signs in: the grant started then ends too, or is never started."""

from __future__ import annotations

import asyncio
import os

import httpx
from sqlalchemy import text, update

from trickle_kit.envelope import utcnow
from trickle_kit.testing import wait_until
from trickle_wallet.accounts.service import suspend
from trickle_wallet.oauth import flows, repository
from trickle_wallet.oauth.grants import revoke_all_for_account
from trickle_wallet.oauth.models import OAuthGrant
from trickle_wallet.sign_in.models import SignInCredential
from trickle_wallet.sign_in.service import register_person

from ..support.oauth import (
    REDIRECT_URI,
    approve,
    authorization_query,
    exchange,
    new_pkce,
    redirect_params,
    refresh,
    register_app,
    signed_in,
)

PASSWORD = "correct horse battery staple"
EMAIL = "{}-" + os.urandom(4).hex() + "@example.org"


async def _person(app, name: str) -> str:  # type: ignore[no-untyped-def]
    """A person who signed up and verified the address."""
    async with app.state.sessions() as session, session.begin():
        account, _ = await register_person(
            session, app.state.settings, email=EMAIL.format(name), password=PASSWORD, display_name="Grace"
        )
        await session.execute(
            update(SignInCredential).where(SignInCredential.account_id == account.id).values(email_verified_at=utcnow())
        )
        return account.id


async def _someone_waits_for_a_lock(app) -> bool:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        waiting = await session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return int(waiting.scalar_one()) > 0


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
        return await _someone_waits_for_a_lock(app)

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


async def test_a_sign_in_while_the_account_is_being_suspended_gets_no_live_session(
    app, client: httpx.AsyncClient
) -> None:  # type: ignore[no-untyped-def]
    account_id = await _person(app, "suspended-meanwhile")

    async with app.state.sessions() as suspending:
        async with suspending.begin():
            await suspend(suspending, account_id, "chargebacks")
            signing_in = asyncio.create_task(
                client.post("/v1/sessions", json={"email": EMAIL.format("suspended-meanwhile"), "password": PASSWORD})
            )
            waits = asyncio.create_task(wait_until(lambda: _someone_waits_for_a_lock(app)))
            await asyncio.wait({signing_in, waits}, return_when=asyncio.FIRST_COMPLETED)
            waits.cancel()
        answer = await signing_in

    if answer.status_code == 201:  # it did not wait: what it got must be dead by now
        dead = await refresh(client, "trickle-web", answer.json()["refresh_token"])
        assert (dead.status_code, dead.json()["code"]) == (400, "invalid_grant"), dead.text
    else:
        assert (answer.status_code, answer.json()["code"]) == (403, "account_suspended"), answer.text


async def test_a_suspension_and_a_code_exchange_at_once_both_finish_and_leave_no_live_grant(
    app, client: httpx.AsyncClient, register, login, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The exchange holds its code while the suspension, holding the account, waits for that code: the exchange
    must not then wait for the account (a deadlock PostgreSQL ends by failing one of them)."""
    account_id = (await register())["account"]["id"]
    client_id = (await register_app(client, await login(await register())))["client_id"]
    pkce = new_pkce()
    session_tokens = await signed_in(app, account_id)
    approved = await approve(client, session_tokens["access_token"], authorization_query(client_id, pkce))
    code = redirect_params(approved.json()["redirect_to"])["code"]

    real_code_by_hash = repository.code_by_hash
    code_held, go_on = asyncio.Event(), asyncio.Event()

    async def code_by_hash_then_wait(session, code_hash):  # type: ignore[no-untyped-def]
        row = await real_code_by_hash(session, code_hash)
        code_held.set()
        await go_on.wait()
        return row

    monkeypatch.setattr(repository, "code_by_hash", code_by_hash_then_wait)

    async def suspending() -> None:
        async with app.state.sessions() as session, session.begin():
            await suspend(session, account_id, "chargebacks")

    exchanging = asyncio.create_task(exchange(client, client_id, code, pkce.verifier))
    await asyncio.wait_for(code_held.wait(), timeout=60)  # a safety net
    suspension = asyncio.create_task(suspending())
    await wait_until(lambda: _someone_waits_for_a_lock(app))
    go_on.set()
    answer = await exchanging
    await suspension  # no deadlock error

    assert answer.status_code in (200, 400), answer.text
    async with app.state.sessions() as session:
        live = await session.execute(
            OAuthGrant.__table__.select().where(
                OAuthGrant.account_id == account_id, OAuthGrant.client_id == client_id, OAuthGrant.revoked_at.is_(None)
            )
        )
        assert live.first() is None
