"""The wallet's outbox: every event the wallet publishes is staged through it (CloudEvent source)."""

from __future__ import annotations

from trickle_kit.outbox import Outbox

SOURCE = "trickle/wallet"
OUTBOX = Outbox(SOURCE)
