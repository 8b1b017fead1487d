"""A slow or dead endpoint never delays deliveries to healthy ones.

Asserted causally, not with a stopwatch: the hanging endpoints' requests are held open by the
receiver until the test lets them go, and every healthy delivery has to arrive while they are
still held. Their attempts' time-out is far longer than the test, so none of them ends (and no
retry can become due) while the test looks: what the receiver sees of them is exactly what the
per-endpoint limit let through.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from trickle_kit.ids import new_id
from trickle_kit.testing import wait_until
from trickle_kit.testing_auth import TokenFactory

from ..support.delivery import account_updated, create_endpoint
from ..support.receiver import Answer, Hold, Receiver
from ..support.worker import RunningWorker

PER_ENDPOINT = 4
HANGING_MESSAGES = 20


async def test_healthy_deliveries_go_through_while_other_endpoints_hang(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    # A small pool: without per-endpoint limits the hanging endpoints' 40 messages would fill it.
    isolated = settings.model_copy(
        update={"attempt_timeout_s": 600.0, "delivery_concurrency": 16, "endpoint_concurrency": PER_ENDPOINT}
    )
    hold = Hold()
    running = await RunningWorker(isolated).start()
    try:
        dead, slow, healthy = new_id("acct"), new_id("acct"), new_id("acct")
        dead_name, slow_name, ok_name = f"dead-{dead}", f"slow-{slow}", f"ok-{healthy}"
        # Both hang until released; then the dead one fails and the slow one answers.
        receiver.script(dead_name, lambda d, n: Answer(status=500, hold=hold))
        receiver.script(slow_name, lambda d, n: Answer(hold=hold))
        await create_endpoint(client, tokens, dead, receiver.url(dead_name))
        await create_endpoint(client, tokens, slow, receiver.url(slow_name))
        await create_endpoint(client, tokens, healthy, receiver.url(ok_name))
        for i in range(HANGING_MESSAGES):
            await publisher.publish(account_updated(dead, f"d{i}"))
            await publisher.publish(account_updated(slow, f"s{i}"))
        await wait_until(lambda: _true(receiver.in_flight(dead_name) == PER_ENDPOINT))
        await wait_until(lambda: _true(receiver.in_flight(slow_name) == PER_ENDPOINT))

        # While both hang, the healthy endpoint's events go through, each before the next is sent.
        for i in range(10):
            await publisher.publish(account_updated(healthy, f"h{i}"))
            await wait_until(lambda i=i: _true(len(receiver.deliveries(ok_name)) > i))
        assert len({d.headers["webhook-id"] for d in receiver.deliveries(ok_name)}) == 10
        # …and all of that happened while every hanging request was still held open.
        assert receiver.in_flight(dead_name) == PER_ENDPOINT
        assert receiver.in_flight(slow_name) == PER_ENDPOINT
        # The hanging endpoints never held more than their share of the pool; none of their
        # attempts has ended, so none was retried: the receiver saw exactly the share.
        assert receiver.peak_in_flight(dead_name) == PER_ENDPOINT
        assert receiver.peak_in_flight(slow_name) == PER_ENDPOINT
        assert len(receiver.deliveries(dead_name)) == PER_ENDPOINT
        assert len(receiver.deliveries(slow_name)) == PER_ENDPOINT

        # Once the slow endpoint answers, its held messages and all the queued ones are delivered.
        hold.release()
        await wait_until(
            lambda: _true(len({d.headers["webhook-id"] for d in receiver.deliveries(slow_name)}) == HANGING_MESSAGES)
        )
        assert receiver.peak_in_flight(slow_name) <= PER_ENDPOINT
    finally:
        hold.release()  # a held request would keep the worker's shutdown waiting
        await running.close()


async def test_more_endpoints_hanging_than_the_pool_holds_still_leave_it_to_healthy_ones(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    # Three hanging endpoints at two attempts each want six slots of a pool of four: with slots
    # held until the time-out (600 s here), the pool would be full of them and nothing else sent.
    # An attempt unanswered after slow_attempt_s moves to the slow budget and frees its slot.
    pool, per_endpoint, hanging = 4, 2, 3
    isolated = settings.model_copy(
        update={
            "attempt_timeout_s": 600.0,
            "delivery_concurrency": pool,
            "endpoint_concurrency": per_endpoint,
            "slow_attempt_s": 0.05,
        }
    )
    hold = Hold()
    running = await RunningWorker(isolated).start()
    try:
        names = []
        for _ in range(hanging):
            account = new_id("acct")
            names.append(f"hang-{account}")
            receiver.script(names[-1], lambda d, n: Answer(hold=hold))
            await create_endpoint(client, tokens, account, receiver.url(names[-1]))
            for i in range(10):
                await publisher.publish(account_updated(account, f"x{i}"))
        healthy = new_id("acct")
        ok_name = f"ok-{healthy}"
        await create_endpoint(client, tokens, healthy, receiver.url(ok_name))

        def hanging_in_flight() -> int:
            return sum(receiver.in_flight(name) for name in names)

        await wait_until(lambda: _true(hanging_in_flight() >= pool))  # as many as the pool holds
        for i in range(10):
            await publisher.publish(account_updated(healthy, f"h{i}"))
            await wait_until(lambda i=i: _true(len(receiver.deliveries(ok_name)) > i))
        # Every hanging endpoint got its share, beyond the pool, and no more than its share.
        await wait_until(lambda: _true(hanging_in_flight() == hanging * per_endpoint))
        for name in names:
            assert receiver.peak_in_flight(name) == per_endpoint
            assert len(receiver.deliveries(name)) == per_endpoint
    finally:
        hold.release()
        await running.close()


async def test_a_claim_spreads_over_endpoints_before_taking_a_second_message_of_one(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    # Three endpoints with four due messages each, the first endpoint's oldest, and a pool of three:
    # one to each endpoint, not the first endpoint's three oldest (up to four connections per
    # endpoint cost a third more CPU per request than one; docs/benchmarks.md).
    pool = 3
    spread = settings.model_copy(
        update={
            "attempt_timeout_s": 600.0,
            "delivery_concurrency": pool,
            "endpoint_concurrency": 4,
            "slow_attempt_s": 600.0,
        }
    )
    hold = Hold()
    running = await RunningWorker(spread).start(deliver=False)
    try:
        names = []
        for _ in range(pool):
            account = new_id("acct")
            names.append(f"spread-{account}")
            receiver.script(names[-1], lambda d, n: Answer(hold=hold))
            await create_endpoint(client, tokens, account, receiver.url(names[-1]))
            for i in range(4):
                await publisher.publish(account_updated(account, f"s{i}"))

        async def all_routed() -> bool:
            async with running.sessions() as session:
                pending = "SELECT count(*) FROM webhook_messages WHERE status = 'pending'"
                return int((await session.execute(text(pending))).scalar_one()) == pool * 4

        await wait_until(all_routed)
        await running.start_delivery()
        await wait_until(lambda: _true(sum(receiver.in_flight(name) for name in names) == pool))
        assert [receiver.in_flight(name) for name in names] == [1] * pool
    finally:
        hold.release()
        await running.close()


async def _true(value: bool) -> bool:
    return value
