"""Sign-up, the verification mail through the worker's SMTP path, verification and signing in with the password."""

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

from ..support.mail import link_token, mail_to

PASSWORD = "correct horse battery"


def _email(tag: str = "ada") -> str:
    return f"{tag}-{os.urandom(5).hex()}@Example.ORG"


async def _authenticate(app: FastAPI, email: str, password: str, address: str = "192.0.2.1") -> str:
    async with app.state.sessions() as session, session.begin():
        return await authenticate(session, app.state.settings, email=email, password=password, client_address=address)


async def _refusal(app: FastAPI, email: str, password: str, address: str = "192.0.2.1") -> ProblemError:
    with pytest.raises(ProblemError) as refused:
        await _authenticate(app, email, password, address)
    return refused.value


async def test_a_person_signs_up_confirms_the_address_from_the_mail_and_signs_in(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email = _email()
    r = await client.post("/v1/people", json={"email": f"  {email} ", "password": PASSWORD, "display_name": "Ada"})
    assert r.status_code == 201, r.text
    body = r.json()
    account_id = body["account"]["id"]
    local, _, domain = email.partition("@")
    assert body["email"] == f"{local}@{domain.lower()}" and body["email_verified"] is False
    assert "api_key" not in body and body["account"]["kind"] == "person"

    assert (await _refusal(app, email, PASSWORD)).code == "email_not_verified"

    [message] = await mail_to(mailbox, body["email"])
    assert message["Subject"] == "Confirm your email address for Trickle"
    assert message.get_body(preferencelist=("html",)) is not None
    token = link_token(message, "verify-email")
    assert f"http://web.test/verify-email?token={token}" in message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    r = await client.post("/v1/email-verifications", json={"token": token})
    assert r.status_code == 200, r.text
    assert r.json() == {"account_id": account_id, "email": body["email"], "email_verified": True}

    # Any case of the address signs in to the same account.
    assert await _authenticate(app, email.upper(), PASSWORD) == account_id
    assert await _authenticate(app, email.lower(), PASSWORD) == account_id


async def test_a_wrong_password_and_an_unknown_address_get_the_same_401(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    email = _email()
    r = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": "Ada"})
    assert r.status_code == 201, r.text
    wrong = await _refusal(app, email, "not the password at all")
    unknown = await _refusal(app, _email("nobody"), PASSWORD)
    assert (wrong.status, wrong.code, wrong.detail) == (unknown.status, unknown.code, unknown.detail)
    assert wrong.status == 401 and wrong.code == "invalid_credentials"


async def test_a_verification_link_works_once_and_a_made_up_one_never(client: httpx.AsyncClient, mailbox: Path) -> None:
    email = _email()
    r = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": "Ada"})
    token = link_token((await mail_to(mailbox, r.json()["email"]))[0], "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": token})).status_code == 200
    again = await client.post("/v1/email-verifications", json={"token": token})
    made_up = await client.post("/v1/email-verifications", json={"token": "not-a-token"})
    for refused in (again, made_up):
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "verification_token_invalid"


async def test_an_expired_verification_link_is_refused_and_a_new_one_can_be_asked_for(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    r = await client.post("/v1/people", json={"email": _email(), "password": PASSWORD, "display_name": "Ada"})
    email, account_id = r.json()["email"], r.json()["account"]["id"]
    old = link_token((await mail_to(mailbox, email))[0], "verify-email")
    async with app.state.sessions() as session, session.begin():  # its 48 hours are over
        await session.execute(
            update(SignInToken).where(SignInToken.account_id == account_id).values(expires_at=utcnow())
        )
    r = await client.post("/v1/email-verifications", json={"token": old})
    assert r.status_code == 400 and r.json()["code"] == "verification_token_expired"

    r = await client.post("/v1/email-verifications/resend", json={"email": email.upper()})
    assert r.status_code == 202
    new = link_token((await mail_to(mailbox, email, count=2))[1], "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": new})).status_code == 200
    assert await _authenticate(app, email, PASSWORD) == account_id


async def test_resend_answers_alike_whether_or_not_the_address_has_an_account(
    client: httpx.AsyncClient, mailbox: Path
) -> None:
    r = await client.post("/v1/people", json={"email": _email(), "password": PASSWORD, "display_name": "Ada"})
    known = await client.post("/v1/email-verifications/resend", json={"email": r.json()["email"]})
    unknown = await client.post("/v1/email-verifications/resend", json={"email": _email("nobody")})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


async def test_an_address_signs_up_once_whatever_its_case(client: httpx.AsyncClient) -> None:
    email = _email()
    first = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": "Ada"})
    assert first.status_code == 201
    again = await client.post("/v1/people", json={"email": email.swapcase(), "password": PASSWORD, "display_name": "A"})
    assert again.status_code == 409 and again.json()["code"] == "email_taken"
    # An API-key account's address is taken too (one account per address).
    other = _email("grace")
    assert (await client.post("/v1/accounts", json={"display_name": "Grace", "email": other})).status_code == 201
    r = await client.post("/v1/people", json={"email": other, "password": PASSWORD, "display_name": "Grace"})
    assert r.status_code == 409 and r.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"password": "short"}, "body.password", "string_too_short"),
        ({"password": "x" * 129}, "body.password", "string_too_long"),
        ({"email": "not an address"}, "body.email", "value_error"),
        ({"display_name": ""}, "body.display_name", "string_too_short"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, str], field: str, code: str
) -> None:
    body = {"email": _email(), "password": PASSWORD, "display_name": "Ada", **change}
    r = await client.post("/v1/people", json=body)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["type"]) for e in r.json()["errors"]] == [(field, code)]
    assert PASSWORD not in r.text


async def test_the_password_may_not_be_the_email_address(client: httpx.AsyncClient) -> None:
    email = _email()
    r = await client.post("/v1/people", json={"email": email, "password": email.upper(), "display_name": "Ada"})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "password_is_email"
    assert [e["field"] for e in r.json()["errors"]] == ["body.password"]


async def test_a_suspended_account_cannot_sign_in(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path, tokens
) -> None:  # type: ignore[no-untyped-def]
    r = await client.post("/v1/people", json={"email": _email(), "password": PASSWORD, "display_name": "Ada"})
    email, account_id = r.json()["email"], r.json()["account"]["id"]
    token = link_token((await mail_to(mailbox, email))[0], "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": token})).status_code == 200
    r = await client.put(
        f"/v1/accounts/{account_id}/suspension", json={"reason": "fraud"}, headers=tokens.operator_headers()
    )
    assert r.status_code == 200, r.text
    refused = await _refusal(app, email, PASSWORD)
    assert (refused.status, refused.code) == (403, "account_suspended")
    # Only the right password learns that.
    assert (await _refusal(app, email, "not the password at all")).code == "invalid_credentials"
