"""Trickle's event contracts. Importing the package registers every event type in ``EVENT_TYPES``."""

from trickle_events import clicks, ledger, settlement, wallet, webhook
from trickle_events.base import EVENT_TYPES, Event
from trickle_events.topics import ALL_TOPICS

__all__ = ["ALL_TOPICS", "EVENT_TYPES", "Event", "clicks", "ledger", "settlement", "wallet", "webhook"]
