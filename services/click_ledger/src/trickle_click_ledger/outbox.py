"""The click-ledger's outbox (``source`` of its CloudEvents)."""

from __future__ import annotations

from trickle_kit.outbox import Outbox

SOURCE = "trickle/click-ledger"
OUTBOX = Outbox(SOURCE)
