"""The relay, woken by a commit, lingers before it claims: commits landing meanwhile share one batch.

Real PostgreSQL and Kafka. Under a stream of small commits (a click batch every few
milliseconds) every claim, send and commit of the relay then carries several of them.
"""

from __future__ import annotations

from tests.support.backbone import commit_events, running
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, unique_prefix, wait_until

LINGER_S = 2.0  # far longer than three small commits take, on any machine


async def test_commits_within_the_linger_are_published_in_one_batch(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    relay = OutboxRelay(
        producer.engine, bootstrap=KAFKA, topic_prefix=unique_prefix("linger"), name="linger", linger_s=LINGER_S
    )
    async with running(relay.run):
        await commit_events(producer, 0, 1)
        await wait_until(lambda: _published(relay, 1))
        batches = relay.batches
        for i in range(1, 4):  # three transactions, each with its own NOTIFY
            await commit_events(producer, i, 1)
        await wait_until(lambda: _published(relay, 4))
    assert relay.batches == batches + 1


async def _published(relay: OutboxRelay, n: int) -> bool:
    return relay.published == n
