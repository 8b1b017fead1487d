"""Each service's operator operations in the generated client (``/v1/operations/<service>/…``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trickle_client.api.click_ledger import (
    get_click_ledger_dead_letter,
    get_click_ledger_outbox_backlog,
    list_click_ledger_dead_letters,
    replay_click_ledger_dead_letter,
)
from trickle_client.api.settlement import (
    get_settlement_dead_letter,
    get_settlement_outbox_backlog,
    list_settlement_dead_letters,
    replay_settlement_dead_letter,
)
from trickle_client.api.wallet import (
    get_wallet_dead_letter,
    get_wallet_outbox_backlog,
    list_wallet_dead_letters,
    replay_wallet_dead_letter,
)
from trickle_client.api.webhook import (
    get_webhook_dead_letter,
    get_webhook_outbox_backlog,
    list_webhook_dead_letters,
    replay_webhook_dead_letter,
)

Operation = Callable[..., Any]


@dataclass(frozen=True)
class ServiceOperations:
    outbox: Operation
    list_dead_letters: Operation
    get_dead_letter: Operation
    replay_dead_letter: Operation


OPERATIONS: dict[str, ServiceOperations] = {
    "wallet": ServiceOperations(
        get_wallet_outbox_backlog.sync_detailed,
        list_wallet_dead_letters.sync_detailed,
        get_wallet_dead_letter.sync_detailed,
        replay_wallet_dead_letter.sync_detailed,
    ),
    "click-ledger": ServiceOperations(
        get_click_ledger_outbox_backlog.sync_detailed,
        list_click_ledger_dead_letters.sync_detailed,
        get_click_ledger_dead_letter.sync_detailed,
        replay_click_ledger_dead_letter.sync_detailed,
    ),
    "settlement": ServiceOperations(
        get_settlement_outbox_backlog.sync_detailed,
        list_settlement_dead_letters.sync_detailed,
        get_settlement_dead_letter.sync_detailed,
        replay_settlement_dead_letter.sync_detailed,
    ),
    "webhook": ServiceOperations(
        get_webhook_outbox_backlog.sync_detailed,
        list_webhook_dead_letters.sync_detailed,
        get_webhook_dead_letter.sync_detailed,
        replay_webhook_dead_letter.sync_detailed,
    ),
}
