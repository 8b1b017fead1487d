"""The webhook-endpoint API: lifecycle, validation, auth matrix and SSRF refusals."""

from __future__ import annotations

import httpx
import pytest

from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

WRITE = ["webhooks:read", "webhooks:write"]


def _headers(tokens: TokenFactory, account: str, scopes: list[str] = WRITE) -> dict[str, str]:
    return tokens.headers(account, scopes)


async def _create(client: httpx.AsyncClient, headers: dict[str, str], **body: object) -> httpx.Response:
    payload = {"url": "http://127.0.0.1:9/hook", **body}
    return await client.post("/v1/webhook-endpoints", json=payload, headers=headers)


async def test_an_endpoint_is_created_read_listed_updated_and_deleted(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    account = new_id("acct")
    h = _headers(tokens, account)
    created = await _create(client, h, description="books", event_types=["clicks.click.registered"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["account_id"] == account and body["enabled"] is True
    assert body["event_types"] == ["clicks.click.registered"]
    endpoint_id = body["id"]

    read = await client.get(f"/v1/webhook-endpoints/{endpoint_id}", headers=h)
    assert read.status_code == 200
    assert "secret" not in read.json()

    await _create(client, h)
    page1 = await client.get("/v1/webhook-endpoints", params={"limit": 1}, headers=h)
    assert page1.json()["has_more"] is True and len(page1.json()["data"]) == 1
    page2 = await client.get(
        "/v1/webhook-endpoints",
        params={"limit": 1, "starting_after": page1.json()["next_starting_after"]},
        headers=h,
    )
    assert page2.json()["has_more"] is False
    assert {page1.json()["data"][0]["id"], page2.json()["data"][0]["id"]} >= {endpoint_id}

    updated = await client.patch(
        f"/v1/webhook-endpoints/{endpoint_id}",
        json={"description": "all books", "event_types": [], "enabled": False},
        headers=h,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["description"] == "all books"
    assert updated.json()["event_types"] == []
    assert updated.json()["enabled"] is False and updated.json()["disabled_reason"] == "manual"
    enabled = await client.patch(f"/v1/webhook-endpoints/{endpoint_id}", json={"enabled": True}, headers=h)
    assert enabled.json()["enabled"] is True and enabled.json()["disabled_reason"] is None

    deleted = await client.delete(f"/v1/webhook-endpoints/{endpoint_id}", headers=h)
    assert deleted.status_code == 204
    gone = await client.get(f"/v1/webhook-endpoints/{endpoint_id}", headers=h)
    assert gone.status_code == 404
    assert gone.json()["code"] == "not_found"


async def test_a_retried_create_with_the_same_idempotency_key_makes_one_endpoint_and_hides_the_secret(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    account = new_id("acct")
    h = {**_headers(tokens, account), "Idempotency-Key": "create-1"}
    first = await _create(client, h)
    second = await _create(client, h)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["secret"] is None
    assert second.headers["idempotent-replayed"] == "true"
    listed = await client.get("/v1/webhook-endpoints", headers=_headers(tokens, account))
    assert len(listed.json()["data"]) == 1
    other_body = await _create(client, h, description="different")
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"


async def test_rotating_the_secret_returns_a_new_one_and_keeps_the_old_for_the_grace_window(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    h = _headers(tokens, new_id("acct"))
    created = (await _create(client, h)).json()
    rotated = await client.post(f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers=h)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"url": "ftp://example.org/x"}, "validation_error"),
        ({"url": "http://127.0.0.1:9/x", "surprise": 1}, "validation_error"),
        ({"url": "http://127.0.0.1:9/x", "event_types": ["no.such.type"]}, "unknown_event_type"),
        ({"url": "http://127.0.0.1:9/x", "event_types": ["clicks.period.sealed"]}, "unknown_event_type"),
        ({"url": "http://127.0.0.1:9/x", "description": "x" * 501}, "validation_error"),
        ({"url": "http://" + "a" * 2100 + ".org/"}, "validation_error"),
    ],
)
async def test_bad_input_is_refused_with_a_problem(
    client: httpx.AsyncClient, tokens: TokenFactory, body: dict[str, object], code: str
) -> None:
    response = await client.post("/v1/webhook-endpoints", json=body, headers=_headers(tokens, new_id("acct")))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_malformed_json_is_a_400(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    response = await client.post(
        "/v1/webhook-endpoints",
        content=b"{not json",
        headers={**_headers(tokens, new_id("acct")), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


async def test_auth_matrix(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    owner, stranger = new_id("acct"), new_id("acct")
    endpoint = (await _create(client, _headers(tokens, owner))).json()
    path = f"/v1/webhook-endpoints/{endpoint['id']}"

    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=tokens.expired_headers(owner))).json()["code"] == "token_expired"
    assert (await client.get(path, headers=tokens.forged_headers(owner))).status_code == 401
    read_only = tokens.headers(owner, ["webhooks:read"])
    assert (await client.get(path, headers=read_only)).status_code == 200
    assert (await client.patch(path, json={"description": "x"}, headers=read_only)).status_code == 403
    no_scope = tokens.headers(owner, ["clicks:read"])
    forbidden = await client.get(path, headers=no_scope)
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "insufficient_scope"
    # Another account's endpoint does not exist for the caller, whatever the verb.
    for method, extra in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/rotate-secret")):
        response = await client.request(
            method, path + extra, headers=_headers(tokens, stranger), json={} if method == "PATCH" else None
        )
        assert response.status_code == 404, (method, response.text)
    assert (await client.get(f"{path}/messages", headers=_headers(tokens, stranger))).status_code == 404
    assert (await client.get("/v1/webhook-messages/msg_x/attempts", headers=_headers(tokens, owner))).status_code == 404
    # Operators see everything.
    assert (await client.get(path, headers=tokens.operator_headers())).status_code == 200


async def test_only_operators_create_endpoints_for_every_account(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    account = new_id("acct")
    refused = await _create(client, _headers(tokens, account), all_accounts=True)
    assert refused.status_code == 403 and refused.json()["code"] == "operator_only"
    for_other = await _create(client, _headers(tokens, account), account_id=new_id("acct"))
    assert for_other.status_code == 403
    ownerless = await _create(client, tokens.operator_headers())
    assert ownerless.status_code == 422 and ownerless.json()["code"] == "owner_required"
    everyone = await _create(client, tokens.operator_headers(), all_accounts=True)
    assert everyone.status_code == 201 and everyone.json()["account_id"] is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://192.168.1.10/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://localhost/hook",
    ],
)
async def test_private_addresses_are_refused_when_not_allow_listed(settings, tokens: TokenFactory, url: str) -> None:  # type: ignore[no-untyped-def]
    from trickle_webhook.app import build_app

    strict = settings.model_copy(update={"ssrf_allow": []})
    app = build_app(strict)
    app.state.verifier = tokens.verifier()
    h = _headers(tokens, new_id("acct"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://w.test") as c:
        response = await c.post("/v1/webhook-endpoints", json={"url": url}, headers=h)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "url_not_allowed"
        # A public address is accepted, and changing it to a private one is refused.
        ok = await c.post("/v1/webhook-endpoints", json={"url": "http://93.184.215.14/hook"}, headers=h)
        assert ok.status_code == 201, ok.text
        moved = await c.patch(f"/v1/webhook-endpoints/{ok.json()['id']}", json={"url": url}, headers=h)
        assert moved.status_code == 422 and moved.json()["code"] == "url_not_allowed"
