"""Helpers of the close tests: feed handlers events as the inbox would, fund wallets, read the books."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from trickle_kit.envelope import Envelope
from trickle_kit.ids import new_id
from trickle_kit.inbox import Received


class Feeder:
    """Applies events to handlers in their own transaction, as ``InboxConsumer`` does."""

    def __init__(self, sessions: Any) -> None:
        self.sessions = sessions

    async def __call__(
        self, handler: Callable[[Any, Received], Awaitable[None]], event: Any, partition: int = 0
    ) -> None:
        envelope = Envelope(
            id=new_id("evt"),
            type=event.event_type,
            source="test",
            time=datetime.now(UTC),
            data=event.model_dump(mode="json"),
        )
        received = Received(event, envelope, "clicks", partition, 0)
        async with self.sessions() as session, session.begin():
            await handler(session, received)


@pytest.fixture
def feed(sessions):  # type: ignore[no-untyped-def]
    return Feeder(sessions)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Ids of the right shape that no other test uses."""

    def make(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex}"

    return make
