"""The sandbox provider's callbacks: only correctly signed, recent ones are applied."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from trickle_kit.money import Money
from trickle_kit.testing import EVENTUAL_S, wait_until
from trickle_kit.testing_auth import TokenFactory
from trickle_wallet.providers.base import CallbackRefused, ProviderResult
from trickle_wallet.providers.models import ProviderCallback
from trickle_wallet.providers.sandbox import CALLBACK_PATH, SIGNATURE_HEADER, sign, verify_signature

from ..support.money import eur

SECRET = "s3cret"


def test_a_signature_verifies_only_with_the_same_secret_body_and_a_recent_time() -> None:
    body, now = b'{"a":1}', 1_800_000_000
    header = sign(SECRET, body, now)
    verify_signature(SECRET, header, body, now=now + 10, tolerance_s=300)
    cases = [
        (None, body, now, "missing_signature"),
        ("", body, now, "missing_signature"),
        ("v1=abc", body, now, "invalid_signature"),
        ("t=abc,v1=abc", body, now, "invalid_signature"),
        (sign("other", body, now), body, now, "invalid_signature"),
        (header, b'{"a":2}', now, "invalid_signature"),
        (header, body, now + 301, "stale_signature"),
        (header, body, now - 301, "stale_signature"),
    ]
    for hdr, b, at, code in cases:
        with pytest.raises(CallbackRefused) as refused:
            verify_signature(SECRET, hdr, b, now=at, tolerance_s=300)
        assert refused.value.code == code, (hdr, code)


@pytest.fixture
async def pending_deposit(client, register, tokens, sandbox):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    headers = tokens.headers(account_id)
    r = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(2_000), "sandbox": "timeout"}, headers=headers
    )
    return r.json()["id"], headers


def _result(dep_id: str, **over) -> ProviderResult:  # type: ignore[no-untyped-def]
    fields = {
        "id": f"sbxevt_{time.time_ns()}",
        "object": "deposit",
        "reference": dep_id,
        "provider_ref": "sbx_1",
        "status": "succeeded",
        "amount": Money(amount=2_000, currency="EUR"),
    }
    return ProviderResult.model_validate({**fields, **over})


async def test_forged_tampered_and_stale_callbacks_are_refused_and_change_nothing(
    app, client, sandbox, pending_deposit
) -> None:  # type: ignore[no-untyped-def]
    dep_id, headers = pending_deposit
    good_headers, body = sandbox.signed(_result(dep_id))
    forged = {"content-type": "application/json", SIGNATURE_HEADER: sign("not-the-secret", body, int(time.time()))}
    stale_headers, stale_body = sandbox.signed(_result(dep_id), timestamp=int(time.time()) - 3600)
    tampered = body.replace(b'"amount":2000', b'"amount":2001')
    attempts = [
        ({"content-type": "application/json"}, body, "missing_signature"),
        (forged, body, "invalid_signature"),
        (good_headers, tampered, "invalid_signature"),
        (stale_headers, stale_body, "stale_signature"),
    ]
    for hdrs, content, code in attempts:
        r = await client.post(CALLBACK_PATH, content=content, headers=hdrs)
        assert (r.status_code, r.json()["code"]) == (401, code), r.text
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()["status"] == "pending"
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(ProviderCallback).where(ProviderCallback.reference == dep_id)
        assert (await session.execute(stmt)).scalar_one() == 0
    # The genuine one still works afterwards.
    r = await client.post(CALLBACK_PATH, content=body, headers=good_headers)
    assert (r.status_code, r.json()["outcome"]) == (200, "applied")
    r = await client.post(CALLBACK_PATH, content=body, headers=good_headers)
    assert (r.status_code, r.json()["outcome"]) == (200, "duplicate")
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()["status"] == "succeeded"


async def test_signed_callbacks_about_nothing_or_with_a_wrong_amount_are_refused(
    client, sandbox, pending_deposit
) -> None:  # type: ignore[no-untyped-def]
    dep_id, headers = pending_deposit
    h, body = sandbox.signed(_result("dep_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"))
    assert (await client.post(CALLBACK_PATH, content=body, headers=h)).status_code == 404
    h, body = sandbox.signed(_result(dep_id, amount=Money(amount=1, currency="EUR")))
    r = await client.post(CALLBACK_PATH, content=body, headers=h)
    assert (r.status_code, r.json()["code"]) == (422, "amount_mismatch")
    bad = b'{"id": "x", "object": "deposit"}'
    h = {"content-type": "application/json", SIGNATURE_HEADER: sign(sandbox.secret, bad, int(time.time()))}
    r = await client.post(CALLBACK_PATH, content=bad, headers=h)
    assert r.status_code == 422 and "body.reference" in [e["field"] for e in r.json()["errors"]]
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=headers)).json()["status"] == "pending"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_over_real_http_the_sandbox_calls_back_a_running_wallet(settings, register) -> None:  # type: ignore[no-untyped-def]
    from trickle_wallet.app import build_app

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    real = settings.model_copy(update={"provider_callback_base_url": base, "sandbox_callback_delay_s": 0.05})
    app = build_app(real)
    tf = TokenFactory(issuer=real.token_issuer, audience=real.token_audience)
    app.state.verifier = tf.verifier()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            await wait_until(lambda: _true(server.started))
            account = (
                await http.post(
                    "/v1/accounts", json={"display_name": "Real", "email": f"real-{port}-{time.time_ns()}@example.org"}
                )
            ).json()["account"]
            headers = tf.headers(account["id"])
            r = await http.post(
                "/v1/deposits", json={"method": "bank_transfer", "amount": eur(10_000)}, headers=headers
            )
            assert r.status_code == 202, r.text
            dep_id = r.json()["id"]
            await app.state.payment_provider.drain()
            body = (await http.get(f"/v1/deposits/{dep_id}", headers=headers)).json()
            assert body["status"] == "succeeded" and body["net"]["amount"] == 9_940
            assert app.state.payment_provider.delivered[0][0] == 200
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, EVENTUAL_S)


async def _true(value: bool) -> bool:
    return value
