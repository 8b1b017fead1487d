"""Mail to an address nobody has confirmed yet carries none of the words the sign-up typed: anyone may sign up
with someone else's address, and the display name would be their text in a mail from Trickle (a phishing line
sent with our name). Once the address is confirmed, the mail greets its holder by name."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from ..support.mail import link_token, mail_to

BAIT = "Your wallet is locked, call +1 555 0100"
PASSWORD = "correct horse battery"


def _words(message) -> str:  # type: ignore[no-untyped-def]
    return "".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")


async def test_mail_to_an_unconfirmed_address_has_no_display_name_and_a_confirmed_one_is_greeted(
    client: httpx.AsyncClient, mailbox: Path
) -> None:
    email = f"victim-{os.urandom(5).hex()}@example.org"
    r = await client.post("/v1/people", json={"email": email, "password": PASSWORD, "display_name": BAIT})
    assert r.status_code == 201, r.text
    [verification] = await mail_to(mailbox, email)
    assert "locked" not in _words(verification)
    assert (await client.post("/v1/password-resets", json={"email": email})).status_code == 202
    reset = (await mail_to(mailbox, email, count=2))[1]
    assert "locked" not in _words(reset)

    token = link_token(verification, "verify-email")
    assert (await client.post("/v1/email-verifications", json={"token": token})).status_code == 200
    named = f"Ada-{os.urandom(3).hex()}"
    other = f"ada-{os.urandom(5).hex()}@example.org"
    await client.post("/v1/people", json={"email": other, "password": PASSWORD, "display_name": named})
    [first] = await mail_to(mailbox, other)
    await client.post("/v1/email-verifications", json={"token": link_token(first, "verify-email")})
    assert (await client.post("/v1/password-resets", json={"email": other})).status_code == 202
    greeted = (await mail_to(mailbox, other, count=2))[1]
    assert f"Hello {named}," in _words(greeted)
