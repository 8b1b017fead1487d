"""Unknown key ids: the JWKS is fetched at most once per interval however many made-up kids
arrive, and a rotated key is found at most one interval late instead of refused."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from trickle_kit.auth import TokenVerifier, mint_token
from trickle_kit.problems import ProblemError
from trickle_kit.testing_auth import TokenFactory


def random_kid_token(tf: TokenFactory) -> str:
    """A well-formed token signed by the factory's key but naming a key id nobody published."""
    return mint_token(
        tf.private_pem,
        f"made-up-{uuid.uuid4().hex}",
        subject="acct_x",
        scopes=["clicks:read"],
        issuer=tf.issuer,
        audience=tf.audience,
        account_id="acct_x",
    )


class CountingJwks:
    def __init__(self, jwks: dict[str, object]) -> None:
        self.jwks = jwks
        self.fetched_at: list[float] = []

    async def __call__(self) -> dict[str, object]:
        self.fetched_at.append(time.monotonic())
        return self.jwks


async def refused(verifier: TokenVerifier, token: str) -> bool:
    try:
        await verifier.verify(token)
    except ProblemError as exc:
        return exc.status == 401
    return False


async def test_a_flood_of_made_up_kids_fetches_the_jwks_at_most_once_per_interval() -> None:
    tf = TokenFactory()
    fetch = CountingJwks(tf.jwks())
    interval = 0.05
    verifier = TokenVerifier(issuer=tf.issuer, audience=tf.audience, fetch_jwks=fetch, min_refresh_interval_s=interval)
    started = time.monotonic()
    # 300 at once, then waves of 20, one after another.
    results = await asyncio.gather(*(refused(verifier, random_kid_token(tf)) for _ in range(300)))
    for _ in range(10):
        results += await asyncio.gather(*(refused(verifier, random_kid_token(tf)) for _ in range(20)))
    elapsed = time.monotonic() - started
    assert all(results) and len(results) == 500
    gaps = [b - a for a, b in zip(fetch.fetched_at, fetch.fetched_at[1:], strict=False)]
    assert all(gap >= interval * 0.99 for gap in gaps), gaps  # never two fetches within an interval
    # At most one fetch per interval of the run's own length (no fixed count: on a busy machine a wave of
    # 20 can outlast an interval, and its stragglers may then fetch once more, an interval later).
    assert 1 <= len(fetch.fetched_at) <= elapsed / interval + 1
    # Tokens of the published key verify all along, without fetching again.
    before = len(fetch.fetched_at)
    assert (await verifier.verify(tf.token("acct_ok", ["clicks:read"]))).account_id == "acct_ok"
    assert len(fetch.fetched_at) == before


async def test_the_rate_limiters_check_never_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    tf = TokenFactory()
    fetch = CountingJwks(tf.jwks())
    verifier = TokenVerifier(issuer=tf.issuer, audience=tf.audience, fetch_jwks=fetch, min_refresh_interval_s=0)
    with pytest.raises(ProblemError):
        await verifier.verify(tf.token("acct_a", ["clicks:read"]), refresh=False)
    assert fetch.fetched_at == []
    assert (await verifier.verify(tf.token("acct_a", ["clicks:read"]))).account_id == "acct_a"
    assert len(fetch.fetched_at) == 1


async def test_a_rotated_key_is_found_one_interval_late_at_most_not_refused() -> None:
    old, new = TokenFactory(), TokenFactory()
    fetch = CountingJwks(old.jwks())
    verifier = TokenVerifier(issuer=old.issuer, audience=old.audience, fetch_jwks=fetch, min_refresh_interval_s=0.2)
    assert (await verifier.verify(old.token("acct_a", ["clicks:read"]))).account_id == "acct_a"
    # The key rotates right after that fetch: the new kid's token waits for the next allowed fetch.
    fetch.jwks = {"keys": old.jwks()["keys"] + new.jwks()["keys"]}
    assert (await verifier.verify(new.token("acct_b", ["clicks:read"]))).account_id == "acct_b"
    assert len(fetch.fetched_at) == 2
    assert fetch.fetched_at[1] - fetch.fetched_at[0] >= 0.2 * 0.99
