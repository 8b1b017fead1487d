"""Claims: click an unknown URL, claim its domain through a real local HTTP server, own the thing."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
from sqlalchemy import select

from trickle_click_ledger.models import Thing
from trickle_kit.ids import new_id
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, read_topic
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.claims import claim_settings


async def test_click_by_url_then_claim_through_the_well_known_file(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    patron, creator = new_id("acct"), new_id("acct")
    site = site_factory("127.0.0.4")  # each claim test has a loop-back address (a domain) of its own
    async with make_client(claim_settings(settings, site.port, ["127.0.0.4/32"])) as client:
        url = f"{site.origin}/posts/{creator}?utm_source=mastodon"
        click = await client.post("/v1/clicks", json={"url": url}, headers=tokens.headers(patron))
        assert click.status_code == 201 and click.json()["owner_id"] is None
        thing_id = click.json()["thing_id"]

        claim = await client.post("/v1/claims", json={"domain": "127.0.0.4"}, headers=tokens.headers(creator))
        assert claim.status_code == 201, claim.text
        token = claim.json()["token"]
        # Not served yet: the verification fails and nothing changes hands.
        early = await client.post(f"/v1/claims/{claim.json()['id']}/verify", headers=tokens.headers(creator))
        assert early.status_code == 200 and early.json()["verified"] is False
        assert (await client.get(f"/v1/things/{thing_id}")).json()["owner_id"] is None

        site.routes["/.well-known/trickle-verification"] = (200, {"Content-Type": "text/plain"}, f"{token}\n".encode())
        verified = await client.post(f"/v1/claims/{claim.json()['id']}/verify", headers=tokens.headers(creator))
        assert verified.status_code == 200, verified.text
        assert verified.json()["verified"] is True and thing_id in verified.json()["claimed_thing_ids"]
        assert (await client.get(f"/v1/things/{thing_id}")).json()["owner_id"] == creator
        # The creator now may not click it; a new page of the domain is theirs from the start.
        own = await client.post("/v1/clicks", json={"thing_id": thing_id}, headers=tokens.headers(creator))
        assert own.status_code == 422 and own.json()["code"] == "self_click"
        later = await client.post("/v1/clicks", json={"url": f"{site.origin}/new"}, headers=tokens.headers(patron))
        assert later.json()["owner_id"] == creator
        # Another account cannot take the domain any more.
        rival = await client.post("/v1/claims", json={"domain": "127.0.0.4"}, headers=tokens.headers(new_id("acct")))
        assert rival.status_code == 409 and rival.json()["code"] == "domain_claimed"

        app = client.app  # type: ignore[attr-defined]
        relay = OutboxRelay(app.state.engine, bootstrap=KAFKA, topic_prefix=settings.topic_prefix)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            events = await read_topic(
                settings.topic("clicks"),
                until=lambda evs: any(e.type == "clicks.thing.claimed" and e.data["thing_id"] == thing_id for e in evs),
            )
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 60)
    claimed = [e for e in events if e.type == "clicks.thing.claimed" and e.data["thing_id"] == thing_id]
    assert claimed[0].data["owner_id"] == creator and claimed[0].data["domain"] == "127.0.0.4"


async def test_claim_through_a_meta_tag_on_the_home_page(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    creator = new_id("acct")
    site = site_factory("127.0.0.2")  # a domain of its own (127.0.0.1 is claimed by another test)
    async with make_client(claim_settings(settings, site.port, ["127.0.0.2/32"])) as client:
        claim = (await client.post("/v1/claims", json={"domain": "127.0.0.2"}, headers=tokens.headers(creator))).json()
        page = f'<html><head><meta name="trickle-verification" content="{claim["token"]}"></head></html>'
        site.routes["/"] = (200, {"Content-Type": "text/html"}, page.encode())
        verified = await client.post(f"/v1/claims/{claim['id']}/verify", headers=tokens.headers(creator))
        assert verified.status_code == 200, verified.text
        assert verified.json()["verified"] is True, verified.json()
    assert site.hits == ["/.well-known/trickle-verification", "/"]


REFUSED_DOMAINS = ["127.0.0.1", "10.1.2.3", "169.254.169.254", "[::1]", "localhost", "100.64.0.1", "0.0.0.0"]


async def test_verification_refuses_private_and_loopback_targets(
    settings: Any, make_client: Any, tokens: TokenFactory, site: Any
) -> None:
    creator = new_id("acct")
    site.routes["/.well-known/trickle-verification"] = (200, {}, b"anything")
    async with make_client(claim_settings(settings, site.port, [])) as client:
        for domain in REFUSED_DOMAINS:
            claim = await client.post("/v1/claims", json={"domain": domain}, headers=tokens.headers(creator))
            assert claim.status_code == 201, (domain, claim.text)
            response = await client.post(f"/v1/claims/{claim.json()['id']}/verify", headers=tokens.headers(creator))
            assert response.status_code == 422, (domain, response.text)
            assert response.json()["code"] == "verification_target_refused"
            after = (await client.get(f"/v1/claims/{claim.json()['id']}", headers=tokens.headers(creator))).json()
            assert after["status"] == "failed" and "refused" in after["last_error"]
    assert site.hits == []  # the guard refused before connecting


async def test_a_redirect_to_a_private_address_is_refused(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    patron, creator = new_id("acct"), new_id("acct")
    site = site_factory("127.0.0.5")
    # Only the site itself is allow-listed; it redirects to the cloud metadata address.
    site.routes["/.well-known/trickle-verification"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    site.routes["/"] = (301, {"Location": f"http://[::1]:{site.port}/"}, b"")
    async with make_client(claim_settings(settings, site.port, ["127.0.0.5/32"])) as client:
        click = await client.post(
            "/v1/clicks", json={"url": f"{site.origin}/redirect/{patron}"}, headers=tokens.headers(patron)
        )
        async with sessions_of(client)() as session:
            owners_before = dict((await session.execute(select(Thing.id, Thing.owner_id))).all())
        claim = (await client.post("/v1/claims", json={"domain": "127.0.0.5"}, headers=tokens.headers(creator))).json()
        response = await client.post(f"/v1/claims/{claim['id']}/verify", headers=tokens.headers(creator))
        assert response.status_code == 422 and response.json()["code"] == "verification_target_refused"
        assert "169.254.169.254" in response.json()["detail"]
        assert site.hits == ["/.well-known/trickle-verification"]
        async with sessions_of(client)() as session:
            owners_after = dict((await session.execute(select(Thing.id, Thing.owner_id))).all())
        assert owners_after == owners_before
        assert owners_after[click.json()["thing_id"]] is None


async def test_claims_refuse_bad_domains(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator = new_id("acct")
    for domain in ["https://example.org", "example.org/path", "", "a" * 300, "exa mple.org"]:
        response = await client.post("/v1/claims", json={"domain": domain}, headers=tokens.headers(creator))
        assert response.status_code == 422, (domain, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/v1/claims", headers=tokens.headers(creator))).json()["data"] == []
