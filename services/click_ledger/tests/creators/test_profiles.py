"""GET /v1/creators/{account_id}: public (no token); the creator's things with live counts; as
supporters only patrons who give publicly now (never a private one, a revoked click, a
suspended account); an account that owns nothing, or none at all, has an empty profile."""

from __future__ import annotations

import httpx
from sqlalchemy.dialects.postgresql import insert

from trickle_click_ledger.models import Account
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.ownership import prove_ownership


async def _accounts(client: httpx.AsyncClient, **giving_public: bool) -> None:
    """As the accounts projection leaves them after wallet.account.* events."""
    async with sessions_of(client)() as session, session.begin():
        for account_id, public in giving_public.items():
            values = {"id": account_id, "giving_public": public, "suspended": False, "updated_at": utcnow()}
            await session.execute(
                insert(Account).values(values).on_conflict_do_update(index_elements=["id"], set_=values)
            )


async def test_a_creators_profile_shows_things_counts_and_only_public_supporters(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator = new_id("acct")
    public, private, revoker, other = (new_id("acct") for _ in range(4))
    await _accounts(client, **{public: True, private: False, revoker: True})
    urls = [f"https://profile.example/{creator}/a", f"https://profile.example/{creator}/b"]
    await prove_ownership(client, creator, urls[0])
    things = []
    for url in urls:
        answer = await client.post("/v1/things", json={"url": url, "title": url[-1]}, headers=tokens.headers(creator))
        things.append(answer.json())
    for patron in (public, private, revoker):
        made = await client.post("/v1/clicks", json={"thing_id": things[0]["id"]}, headers=tokens.headers(patron))
        assert made.status_code in (200, 201, 202), made.text
    revoked = (await client.get("/v1/clicks", headers=tokens.headers(revoker))).json()["data"][0]
    assert (await client.delete(f"/v1/clicks/{revoked['id']}", headers=tokens.headers(revoker))).status_code in (
        200,
        204,
    )
    # Another creator's public patron is nobody's supporter here.
    await _accounts(client, **{other: True})

    profile = await client.get(f"/v1/creators/{creator}")  # no token
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert [t["id"] for t in body["things"]] == [things[0]["id"], things[1]["id"]]
    assert [(t["period_clicks"], t["all_time_clicks"]) for t in body["things"]] == [(2, 2), (0, 0)]
    assert body["supporters"] == [{"account_id": public}]
    assert private not in profile.text and revoker not in profile.text

    # A patron who turns private disappears; one who turns public appears.
    await _accounts(client, **{public: False, private: True})
    again = (await client.get(f"/v1/creators/{creator}")).json()
    assert again["supporters"] == [{"account_id": private}]


async def test_an_account_without_things_known_or_not_has_an_empty_profile(client: httpx.AsyncClient) -> None:
    """Whether an account exists is not told."""
    known, unknown = new_id("acct"), new_id("acct")
    await _accounts(client, **{known: False})
    answers = [(await client.get(f"/v1/creators/{who}")).json() for who in (known, unknown)]
    assert [(a["things"], a["supporters"]) for a in answers] == [([], []), ([], [])]
    assert (await client.get("/v1/creators/not%20an%20id")).status_code == 422
