"""Failed sign-ins are counted per email and per client address (in PostgreSQL) and lock out for a while."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from trickle_kit.envelope import utcnow
from trickle_kit.problems import ProblemError
from trickle_wallet.app import build_app
from trickle_wallet.sign_in.models import SignInAttempt
from trickle_wallet.sign_in.service import authenticate

from ..support.mail import link_token, mail_to

PASSWORD = "correct horse battery"
WRONG = "not the password at all"


async def _verified_person(client: httpx.AsyncClient, mailbox: Path) -> tuple[str, str]:
    r = await client.post(
        "/v1/people",
        json={"email": f"ada-{os.urandom(5).hex()}@example.org", "password": PASSWORD, "display_name": "Ada"},
    )
    email = r.json()["email"]
    token = link_token((await mail_to(mailbox, email))[0], "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": token})).status_code == 200
    return email, r.json()["account"]["id"]


async def _sign_in(app: FastAPI, email: str, password: str, address: str) -> str | ProblemError:
    try:
        async with app.state.sessions() as session, session.begin():
            return await authenticate(
                session, app.state.settings, email=email, password=password, client_address=address
            )
    except ProblemError as exc:
        return exc


def _address() -> str:
    return f"198.51.100.{int.from_bytes(os.urandom(1)) % 250 + 1}-{os.urandom(3).hex()}"


def _locked_out(outcome: str | ProblemError) -> int:
    assert isinstance(outcome, ProblemError) and (outcome.status, outcome.code) == (429, "too_many_attempts")
    assert outcome.headers is not None
    retry_after = int(outcome.headers["Retry-After"])
    assert 0 < retry_after <= 900
    return retry_after


async def _lock_outs_end(app: FastAPI) -> None:
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(SignInAttempt).values(locked_until=utcnow()))


async def test_three_wrong_passwords_lock_the_account_out_from_every_address(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email, account_id = await _verified_person(client, mailbox)
    for _ in range(3):  # sign_in_max_failures_per_email, each from another address
        outcome = await _sign_in(app, email, WRONG, _address())
        assert isinstance(outcome, ProblemError) and outcome.code == "invalid_credentials"
    # Even the right password, from yet another address, waits.
    _locked_out(await _sign_in(app, email.upper(), PASSWORD, _address()))

    await _lock_outs_end(app)
    assert await _sign_in(app, email, PASSWORD, _address()) == account_id


async def test_five_failures_from_one_address_lock_that_address_out_whatever_the_email(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email, account_id = await _verified_person(client, mailbox)
    attacker = _address()
    for n in range(5):  # sign_in_max_failures_per_address, on five addresses nobody registered
        outcome = await _sign_in(app, f"guess-{n}-{os.urandom(3).hex()}@example.org", WRONG, attacker)
        assert isinstance(outcome, ProblemError) and outcome.code == "invalid_credentials"
    _locked_out(await _sign_in(app, email, PASSWORD, attacker))
    # The person, from their own address, is not locked out by someone else's guessing.
    assert await _sign_in(app, email, PASSWORD, _address()) == account_id


async def test_an_unknown_email_is_locked_out_like_a_known_one(app: FastAPI) -> None:
    nobody = f"nobody-{os.urandom(5).hex()}@example.org"
    for _ in range(3):
        outcome = await _sign_in(app, nobody, WRONG, _address())
        assert isinstance(outcome, ProblemError) and outcome.code == "invalid_credentials"
    _locked_out(await _sign_in(app, nobody, WRONG, _address()))


async def test_a_good_sign_in_clears_the_email_count(app: FastAPI, client: httpx.AsyncClient, mailbox: Path) -> None:
    email, account_id = await _verified_person(client, mailbox)
    for _ in range(2):
        await _sign_in(app, email, WRONG, _address())
    assert await _sign_in(app, email, PASSWORD, _address()) == account_id
    for _ in range(2):  # two more: four in the window, but only two since the good one
        outcome = await _sign_in(app, email, WRONG, _address())
        assert isinstance(outcome, ProblemError) and outcome.code == "invalid_credentials"
    assert await _sign_in(app, email, PASSWORD, _address()) == account_id


async def test_two_api_replicas_share_the_count(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    email, _ = await _verified_person(client, mailbox)
    other = build_app(settings)  # a second API process on the same database
    async with other.router.lifespan_context(other):
        for replica in (app, other, app):
            outcome = await _sign_in(replica, email, WRONG, _address())
            assert isinstance(outcome, ProblemError) and outcome.code == "invalid_credentials"
        _locked_out(await _sign_in(other, email, PASSWORD, _address()))
        _locked_out(await _sign_in(app, email, PASSWORD, _address()))


async def test_signing_in_over_http_while_locked_out_is_a_429_problem_with_retry_after(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email, _ = await _verified_person(client, mailbox)
    for _ in range(3):
        await _sign_in(app, email, WRONG, _address())
    r = await client.post("/v1/sessions", json={"email": email, "password": PASSWORD})
    assert r.status_code == 429 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "too_many_attempts" and 0 < int(r.headers["Retry-After"]) <= 900
