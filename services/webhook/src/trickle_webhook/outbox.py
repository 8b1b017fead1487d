"""The webhook service's outbox: its operational events (``webhook.endpoint.disabled``)."""

from __future__ import annotations

from trickle_kit.outbox import Outbox

SOURCE = "trickle/webhook"
OUTBOX = Outbox(SOURCE)
