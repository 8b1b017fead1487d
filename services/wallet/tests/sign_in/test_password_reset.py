"""Password resets: a mailed single-use link, an hour long; the old password stops working, the new one works."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_wallet.sign_in.models import SignInToken
from trickle_wallet.sign_in.service import authenticate

from ..support.mail import link_token, mail_to, messages_to

OLD = "correct horse battery"
NEW = "a brand new passphrase"


async def _sign_in(app: FastAPI, email: str, password: str) -> str:
    async with app.state.sessions() as session, session.begin():
        return await authenticate(
            session, app.state.settings, email=email, password=password, client_address=os.urandom(4).hex()
        )


async def _person(client: httpx.AsyncClient) -> tuple[str, str]:
    email = f"ada-{os.urandom(5).hex()}@example.org"
    r = await client.post("/v1/people", json={"email": email, "password": OLD, "display_name": "Ada"})
    assert r.status_code == 201, r.text
    return email, r.json()["account"]["id"]


async def _reset_link(client: httpx.AsyncClient, mailbox: Path, email: str, nth: int) -> str:
    r = await client.post("/v1/password-resets", json={"email": email})
    assert r.status_code == 202, r.text
    message = (await mail_to(mailbox, email, count=nth))[nth - 1]
    assert message["Subject"] == "Choose a new Trickle password"
    return link_token(message, "reset-password")


async def test_a_reset_replaces_the_password_and_its_link_works_once(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email, account_id = await _person(client)  # never verified: the reset link proves the mailbox too
    token = await _reset_link(client, mailbox, email, nth=2)  # the first mail was the verification

    r = await client.post("/v1/password-resets/complete", json={"token": token, "password": NEW})
    assert r.status_code == 200, r.text
    assert r.json() == {"account_id": account_id, "email": email, "email_verified": True}

    with pytest.raises(ProblemError) as old_refused:
        await _sign_in(app, email, OLD)
    assert old_refused.value.code == "invalid_credentials"
    assert await _sign_in(app, email, NEW) == account_id

    again = await client.post("/v1/password-resets/complete", json={"token": token, "password": "yet another one!"})
    assert again.status_code == 400 and again.json()["code"] == "reset_token_invalid"
    assert await _sign_in(app, email, NEW) == account_id


async def test_an_expired_reset_link_is_refused(app: FastAPI, client: httpx.AsyncClient, mailbox: Path) -> None:
    email, account_id = await _person(client)
    token = await _reset_link(client, mailbox, email, nth=2)
    async with app.state.sessions() as session, session.begin():  # its hour is over
        await session.execute(
            update(SignInToken)
            .where(SignInToken.account_id == account_id, SignInToken.purpose == "password_reset")
            .values(expires_at=utcnow())
        )
    r = await client.post("/v1/password-resets/complete", json={"token": token, "password": NEW})
    assert r.status_code == 400 and r.json()["code"] == "reset_token_expired"
    assert r.headers["content-type"] == "application/problem+json"


async def test_a_completed_reset_retires_the_other_reset_links(client: httpx.AsyncClient, mailbox: Path) -> None:
    email, _ = await _person(client)
    first = await _reset_link(client, mailbox, email, nth=2)
    second = await _reset_link(client, mailbox, email, nth=3)
    assert (
        await client.post("/v1/password-resets/complete", json={"token": second, "password": NEW})
    ).status_code == 200
    r = await client.post("/v1/password-resets/complete", json={"token": first, "password": "yet another one!"})
    assert r.status_code == 400 and r.json()["code"] == "reset_token_invalid"


async def test_a_reset_asked_for_an_unknown_address_answers_alike_and_mails_nobody(
    client: httpx.AsyncClient, mailbox: Path
) -> None:
    email, _ = await _person(client)
    nobody = f"nobody-{os.urandom(5).hex()}@example.org"
    unknown = await client.post("/v1/password-resets", json={"email": nobody})
    known = await client.post("/v1/password-resets", json={"email": email})
    assert unknown.status_code == known.status_code == 202 and unknown.json() == known.json()
    await mail_to(mailbox, email, count=2)  # the known address's reset mail came (after its verification mail)
    assert messages_to(mailbox, nobody) == []


async def test_the_new_password_meets_the_rules(client: httpx.AsyncClient, mailbox: Path) -> None:
    email, _ = await _person(client)
    token = await _reset_link(client, mailbox, email, nth=2)
    short = await client.post("/v1/password-resets/complete", json={"token": token, "password": "short"})
    assert short.status_code == 422 and [e["field"] for e in short.json()["errors"]] == ["body.password"]
    same = await client.post("/v1/password-resets/complete", json={"token": token, "password": email})
    assert same.status_code == 422 and same.json()["code"] == "password_is_email"
    # Refused input does not use the link up.
    ok = await client.post("/v1/password-resets/complete", json={"token": token, "password": NEW})
    assert ok.status_code == 200, ok.text


async def test_a_reset_ends_the_account_s_sign_in_sessions(client: httpx.AsyncClient, mailbox: Path) -> None:
    email, _ = await _person(client)
    token = await _reset_link(client, mailbox, email, nth=2)
    assert (
        await client.post("/v1/password-resets/complete", json={"token": token, "password": NEW})
    ).status_code == 200
    r = await client.post("/v1/sessions", json={"email": email, "password": NEW})
    assert r.status_code == 201, r.text
    refresh_token = r.json()["refresh_token"]

    token = await _reset_link(client, mailbox, email, nth=3)
    r = await client.post("/v1/password-resets/complete", json={"token": token, "password": "and another new one"})
    assert r.status_code == 200, r.text
    refresh = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "trickle-web"}
    r = await client.post("/v1/oauth/token", data=refresh)
    assert r.status_code == 400 and r.json()["code"] == "invalid_grant", r.text
