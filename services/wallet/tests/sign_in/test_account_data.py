"""A person's sign-in data in the account export, and erased with the account."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from trickle_kit.problems import ProblemError
from trickle_wallet.mail.models import OutgoingMail
from trickle_wallet.sign_in.models import SignInCredential, SignInToken
from trickle_wallet.sign_in.service import authenticate

from ..support.mail import link_token, mail_to

PASSWORD = "correct horse battery"


async def test_the_export_shows_the_sign_in_email_and_whether_it_is_verified(
    client: httpx.AsyncClient, mailbox: Path, tokens
) -> None:  # type: ignore[no-untyped-def]
    r = await client.post(
        "/v1/people",
        json={"email": f"ada-{os.urandom(5).hex()}@example.org", "password": PASSWORD, "display_name": "A"},
    )
    email, account_id = r.json()["email"], r.json()["account"]["id"]
    export = (await client.get(f"/v1/accounts/{account_id}/export", headers=tokens.headers(account_id))).json()
    assert export["sign_in"]["email"] == email and export["sign_in"]["email_verified_at"] is None
    assert PASSWORD not in str(export) and "argon2" not in str(export)

    token = link_token((await mail_to(mailbox, email))[0], "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": token})).status_code == 200
    export = (await client.get(f"/v1/accounts/{account_id}/export", headers=tokens.headers(account_id))).json()
    assert export["sign_in"]["email_verified_at"] is not None


async def test_deleting_the_account_erases_the_address_its_links_and_its_mail(
    app: FastAPI, client: httpx.AsyncClient, tokens
) -> None:  # type: ignore[no-untyped-def]
    email = f"ada-{os.urandom(5).hex()}@example.org"
    r = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": "Ada"})
    account_id = r.json()["account"]["id"]
    assert (await client.post("/v1/password-resets", json={"email": email})).status_code == 202

    r = await client.delete(f"/v1/accounts/{account_id}", headers=tokens.headers(account_id))
    assert r.status_code == 204, r.text

    async with app.state.sessions() as session:
        for model, column in (
            (SignInCredential, SignInCredential.account_id),
            (SignInToken, SignInToken.account_id),
            (OutgoingMail, OutgoingMail.account_id),
        ):
            count = (await session.execute(select(func.count()).where(column == account_id))).scalar_one()
            assert count == 0, model.__tablename__
        mail_to_address = select(func.count()).where(OutgoingMail.to_address == email)
        assert (await session.execute(mail_to_address)).scalar_one() == 0
    with pytest.raises(ProblemError) as refused:
        async with app.state.sessions() as session, session.begin():
            await authenticate(session, app.state.settings, email=email, password=PASSWORD, client_address="192.0.2.9")
    assert refused.value.code == "invalid_credentials"
    # The address is free again.
    again = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": "Ada"})
    assert again.status_code == 201, again.text
    assert again.json()["account"]["id"] != account_id
