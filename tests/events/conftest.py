"""Fixtures of the event-backbone tests; what they are built from is in ``tests/support/backbone.py``."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.support.backbone import Side, make_databases
from trickle_kit.testing import drop_database, worker_suffix


@pytest.fixture
async def sides() -> AsyncIterator[tuple[Side, Side, str]]:
    """A producer side and a consumer side (fresh databases), and the consumer's URL."""
    producer_url, consumer_url = make_databases(f"{worker_suffix()}_{uuid.uuid4().hex[:6]}")
    producer, consumer = Side(producer_url), Side(consumer_url)
    yield producer, consumer, consumer_url
    await producer.engine.dispose()
    await consumer.engine.dispose()
    for url in (producer_url, consumer_url):  # one-off names: nothing reuses them
        drop_database(url.rsplit("/", 1)[1])
