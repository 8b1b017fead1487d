"""Asking again and again fills nobody's mailbox: one link mail per account and purpose per interval."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from trickle_wallet.sign_in.models import SignInToken

from ..support.mail import mail_to, messages_to

INTERVAL_S = 3600


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"sign_in_mail_interval_s": INTERVAL_S})


async def test_resends_and_reset_requests_within_the_interval_send_nothing_more(
    app: FastAPI, client: httpx.AsyncClient, mailbox: Path
) -> None:
    email = f"ada-{os.urandom(5).hex()}@example.org"
    r = await client.post("/v1/people", json={"email": email, "password": "correct horse battery", "display_name": "A"})
    account_id = r.json()["account"]["id"]
    first_answer = None
    for path in ("/v1/email-verifications/resend", "/v1/password-resets", "/v1/password-resets"):
        for _ in range(3):
            answer = await client.post(path, json={"email": email})
            assert answer.status_code == 202
            first_answer = first_answer or answer.json()
            assert answer.json() == first_answer
    # The sign-up's verification mail and one reset mail; nothing else.
    await mail_to(mailbox, email, count=2)
    async with app.state.sessions() as session, session.begin():  # the interval is over
        await session.execute(
            update(SignInToken)
            .where(SignInToken.account_id == account_id)
            .values(created_at=SignInToken.created_at - timedelta(seconds=INTERVAL_S))
        )
    assert (await client.post("/v1/email-verifications/resend", json={"email": email})).status_code == 202
    messages = await mail_to(mailbox, email, count=3)
    assert [m["Subject"] for m in messages] == [
        "Confirm your email address for Trickle",
        "Choose a new Trickle password",
        "Confirm your email address for Trickle",
    ]
    assert len(messages_to(mailbox, email)) == 3
