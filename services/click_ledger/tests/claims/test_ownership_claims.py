"""Ownership needs proof: verifying a domain, or a path prefix on a shared host, through a real local
HTTP server moves every thing under it (squatted, unclaimed or owned without proof); claims of
different accounts never overlap."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import insert, select

from trickle_click_ledger.models import Thing
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.claims import claim_settings


async def claimed_events(client: httpx.AsyncClient, thing_ids: list[str]) -> list[dict[str, Any]]:
    async with sessions_of(client)() as session:
        rows = (await session.execute(select(OutboxRecord).where(OutboxRecord.key.in_(thing_ids)))).scalars().all()
    return [r.payload for r in rows if r.event_type == "clicks.thing.claimed"]


async def verify(client: httpx.AsyncClient, tokens: TokenFactory, account: str, claim: dict[str, Any]) -> Any:
    return await client.post(f"/v1/claims/{claim['id']}/verify", headers=tokens.headers(account))


async def test_verifying_a_domain_takes_squatted_unclaimed_and_unproven_things(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    squatter, patron, legacy, creator = (new_id("acct") for _ in range(4))
    site = site_factory("127.0.0.6")
    async with make_client(claim_settings(settings, site.port, ["127.0.0.6/32"])) as client:
        squatted = await client.post(
            "/v1/things", json={"url": f"{site.origin}/post/2", "title": "Mine"}, headers=tokens.headers(squatter)
        )
        assert squatted.status_code == 201 and squatted.json()["claim_status"] == "pending_claim"
        clicked = await client.post("/v1/clicks", json={"url": f"{site.origin}/post/3"}, headers=tokens.headers(patron))
        # A thing owned from before ownership needed proof (as migration 0004 leaves them).
        unproven_id, now = new_id("thing"), utcnow()
        async with sessions_of(client)() as session, session.begin():
            await session.execute(
                insert(Thing).values(
                    id=unproven_id,
                    url=f"{site.origin}/old",
                    domain="127.0.0.6",
                    path="/old",
                    owner_id=legacy,
                    weight=3,
                    created_at=now,
                    updated_at=now,
                )
            )
        assert (await client.get(f"/v1/things/{unproven_id}")).json()["claim_status"] == "unproven"
        elsewhere = await client.post(
            "/v1/clicks", json={"url": f"https://elsewhere.example/{creator}"}, headers=tokens.headers(patron)
        )

        claim = (await client.post("/v1/claims", json={"domain": "127.0.0.6"}, headers=tokens.headers(creator))).json()
        assert claim["path_prefix"] is None
        site.routes["/.well-known/trickle-verification"] = (200, {}, f"{claim['token']}\n".encode())
        verified = await verify(client, tokens, creator, claim)
        assert verified.status_code == 200 and verified.json()["verified"] is True, verified.text
        taken = [squatted.json()["id"], clicked.json()["thing_id"], unproven_id]
        assert sorted(verified.json()["claimed_thing_ids"]) == sorted(taken)
        for thing_id in taken:
            thing = (await client.get(f"/v1/things/{thing_id}")).json()
            assert (thing["owner_id"], thing["claim_status"]) == (creator, "verified")
        assert (await client.get(f"/v1/things/{elsewhere.json()['thing_id']}")).json()["owner_id"] is None
        # One ThingClaimed per thing: settlement moves each thing's escrow in an entry of its own.
        events = await claimed_events(client, taken)
        assert sorted(e["thing_id"] for e in events) == sorted(taken)
        assert {e["owner_id"] for e in events} == {creator}
        # The squatter cannot register there any more; the creator's new pages are the creator's.
        late = await client.post("/v1/things", json={"url": f"{site.origin}/x"}, headers=tokens.headers(squatter))
        assert late.status_code == 409 and late.json()["code"] == "url_claimed"
        own = await client.post("/v1/things", json={"url": f"{site.origin}/y"}, headers=tokens.headers(creator))
        assert own.status_code == 201 and own.json()["owner_id"] == creator


async def test_a_path_prefix_on_a_shared_host_is_proved_on_its_profile_page(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    alice, bob, carol, rival, patron = (new_id("acct") for _ in range(5))
    site = site_factory("127.0.0.7")
    config = claim_settings(settings, site.port, ["127.0.0.7/32", "127.0.0.8/32"], shared=["127.0.0.7"])
    async with make_client(config) as client:

        async def start(account: str, body: dict[str, Any]) -> httpx.Response:
            return await client.post("/v1/claims", json=body, headers=tokens.headers(account))

        whole = await start(alice, {"domain": "127.0.0.7"})
        assert whole.status_code == 422 and whole.json()["code"] == "shared_host_needs_prefix"
        not_shared = await start(alice, {"domain": "127.0.0.8", "path_prefix": "/alice"})
        assert not_shared.status_code == 422 and not_shared.json()["code"] == "prefix_needs_shared_host"

        urls = ["/alice/repo", "/alice", "/alice2/x", "/bob/y"]
        things = {}
        for path in urls:
            r = await client.post("/v1/clicks", json={"url": site.origin + path}, headers=tokens.headers(patron))
            things[path] = r.json()["thing_id"]

        claim = (await start(alice, {"domain": "127.0.0.7", "path_prefix": "/alice/"})).json()
        assert claim["path_prefix"] == "/alice"
        failed = await verify(client, tokens, alice, claim)
        assert failed.json()["verified"] is False and "/alice" in failed.json()["reason"]
        # GitHub-style: the profile links to the creator's site with rel="nofollow me".
        profile = f'<html><body><a rel="nofollow me" href="https://alice.example/?{claim["token"]}">site</a></body>'
        site.routes["/alice"] = (200, {"Content-Type": "text/html"}, profile.encode())
        verified = await verify(client, tokens, alice, claim)
        assert verified.json()["verified"] is True, verified.text
        assert sorted(verified.json()["claimed_thing_ids"]) == sorted([things["/alice/repo"], things["/alice"]])
        assert (await client.get(f"/v1/things/{things['/alice2/x']}")).json()["owner_id"] is None
        assert (await client.get(f"/v1/things/{things['/bob/y']}")).json()["owner_id"] is None
        # Only the page at the prefix was asked: the host's well-known file is not the claimant's.
        assert set(site.hits) == {"/alice"}

        bobs = (await start(bob, {"domain": "127.0.0.7", "path_prefix": "/bob"})).json()
        meta = f'<meta name="trickle-verification" content="{bobs["token"]}">'
        site.routes["/bob"] = (200, {"Content-Type": "text/html"}, meta.encode())
        assert (await verify(client, tokens, bob, bobs)).json()["claimed_thing_ids"] == [things["/bob/y"]]

        # Claims of different accounts never overlap, whichever is more specific.
        under = await start(rival, {"domain": "127.0.0.7", "path_prefix": "/alice/repo"})
        assert under.status_code == 409 and under.json()["code"] == "domain_claimed"
        again = await start(alice, {"domain": "127.0.0.7", "path_prefix": "/alice"})
        assert again.status_code == 409 and again.json()["code"] == "domain_already_yours"
        # Two pending overlapping claims: the first verified wins, the second is refused at verification.
        outer = (await start(carol, {"domain": "127.0.0.7", "path_prefix": "/carol"})).json()
        inner = (await start(rival, {"domain": "127.0.0.7", "path_prefix": "/carol/sub"})).json()
        site.routes["/carol"] = (200, {}, f'<link rel="me" href="x?{outer["token"]}">'.encode())
        site.routes["/carol/sub"] = (200, {}, f'<link rel="me" href="x?{inner["token"]}">'.encode())
        assert (await verify(client, tokens, carol, outer)).json()["verified"] is True
        late = await verify(client, tokens, rival, inner)
        assert late.status_code == 409 and late.json()["code"] == "domain_claimed"

        # New pages under the prefix are Alice's from the start.
        new = await client.post("/v1/clicks", json={"url": f"{site.origin}/alice/new"}, headers=tokens.headers(patron))
        assert new.json()["owner_id"] == alice
        mine = await client.post("/v1/things", json={"url": f"{site.origin}/alice/b"}, headers=tokens.headers(alice))
        assert mine.status_code == 201 and mine.json()["claim_status"] == "verified"


async def test_a_verified_domain_and_a_prefix_claim_of_another_account_exclude_each_other(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    owner, creator = new_id("acct"), new_id("acct")
    domain_site, shared_site = site_factory("127.0.0.10"), site_factory("127.0.0.11")
    # Claims are fetched on one configured port: each phase points it at the site it verifies.
    plain = claim_settings(settings, domain_site.port, ["127.0.0.10/32"], shared=["127.0.0.11"])
    async with make_client(plain) as client:
        claim = (await client.post("/v1/claims", json={"domain": "127.0.0.10"}, headers=tokens.headers(owner))).json()
        domain_site.routes["/.well-known/trickle-verification"] = (200, {}, claim["token"].encode())
        assert (await verify(client, tokens, owner, claim)).json()["verified"] is True
    shared = claim_settings(settings, shared_site.port, ["127.0.0.11/32"], shared=["127.0.0.11", "127.0.0.10"])
    async with make_client(shared) as client:
        # The host became a shared one: a prefix claim still does not override its verified owner.
        refused = await client.post(
            "/v1/claims", json={"domain": "127.0.0.10", "path_prefix": "/me"}, headers=tokens.headers(creator)
        )
        assert refused.status_code == 409 and refused.json()["code"] == "domain_claimed"
        mine = (
            await client.post(
                "/v1/claims", json={"domain": "127.0.0.11", "path_prefix": "/me"}, headers=tokens.headers(creator)
            )
        ).json()
        shared_site.routes["/me"] = (200, {}, f'<meta name="trickle-verification" content="{mine["token"]}">'.encode())
        assert (await verify(client, tokens, creator, mine)).json()["verified"] is True
    async with make_client(claim_settings(settings, shared_site.port, ["127.0.0.11/32"])) as client:
        # And vice versa: the host is no longer shared, yet its whole domain is not the owner's to take.
        whole = await client.post("/v1/claims", json={"domain": "127.0.0.11"}, headers=tokens.headers(owner))
        assert whole.status_code == 409 and whole.json()["code"] == "domain_claimed"


async def test_an_operator_approves_a_claim_verified_by_other_means(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator, rival, patron = new_id("acct"), new_id("acct"), new_id("acct")
    domain = f"{creator.replace('_', '-')}.approved.example"
    clicked = await client.post("/v1/clicks", json={"url": f"https://{domain}/a"}, headers=tokens.headers(patron))
    claim = (await client.post("/v1/claims", json={"domain": domain}, headers=tokens.headers(creator))).json()
    pending = (await client.post("/v1/claims", json={"domain": domain}, headers=tokens.headers(rival))).json()
    body = {"reason": "support ticket 4711"}
    assert (
        await client.post(f"/v1/claims/{claim['id']}/approve", json=body, headers=tokens.headers(creator))
    ).status_code == 403
    approved = await client.post(f"/v1/claims/{claim['id']}/approve", json=body, headers=tokens.operator_headers())
    assert approved.status_code == 200, approved.text
    assert approved.json()["claim"]["verified_by"] == "operator"
    assert approved.json()["claimed_thing_ids"] == [clicked.json()["thing_id"]]
    # The same refusals as a verification by proof: another account's overlapping claim loses.
    late = await client.post(f"/v1/claims/{pending['id']}/approve", json=body, headers=tokens.operator_headers())
    assert late.status_code == 409 and late.json()["code"] == "domain_claimed"
    other = (await client.post("/v1/claims", json={"domain": domain}, headers=tokens.headers(rival))).json()
    assert other["code"] == "domain_claimed"


async def test_pages_clicked_while_their_domain_is_verified_all_end_up_with_the_verifier(
    settings: Any, make_client: Any, tokens: TokenFactory, site_factory: Any
) -> None:
    creator = new_id("acct")
    site = site_factory("127.0.0.12")
    async with make_client(claim_settings(settings, site.port, ["127.0.0.12/32"])) as client:
        claim = (await client.post("/v1/claims", json={"domain": "127.0.0.12"}, headers=tokens.headers(creator))).json()
        site.routes["/.well-known/trickle-verification"] = (200, {}, claim["token"].encode())

        async def click(i: int) -> str:
            url = f"{site.origin}/race/{i}"
            r = await client.post("/v1/clicks", json={"url": url}, headers=tokens.headers(new_id("acct")))
            assert r.status_code == 201, r.text
            return str(r.json()["thing_id"])

        async def verify_midway() -> Any:
            return await verify(client, tokens, creator, claim)

        results = await asyncio.gather(
            *(click(i) for i in range(30)), verify_midway(), *(click(i) for i in range(30, 60))
        )
        assert results[30].json()["verified"] is True
        thing_ids = [r for r in results if isinstance(r, str)]
        async with sessions_of(client)() as session:
            owners = dict(
                (await session.execute(select(Thing.id, Thing.owner_id).where(Thing.id.in_(thing_ids)))).all()
            )
        # Whether a click came before, during or after the verification, its thing is the verifier's.
        assert set(owners.values()) == {creator}, [t for t, o in owners.items() if o != creator]
