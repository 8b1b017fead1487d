"""Logical topic names (a deployment may prefix them) and what each carries."""

from __future__ import annotations

WALLET = "wallet"
CLICKS = "clicks"
LEDGER = "ledger"
SETTLEMENT = "settlement"
WEBHOOK = "webhook"

ALL_TOPICS = (WALLET, CLICKS, LEDGER, SETTLEMENT, WEBHOOK)
PARTITIONS = 6

DESCRIPTIONS = {
    WALLET: "Accounts, deposits, budgets, transfer and payout requests. Keyed by account id.",
    CLICKS: "Things, clicks and periods. Clicks keyed by patron id; seal markers pinned to every partition.",
    LEDGER: "Outcomes of the book of record: entries posted, transfers, payouts. Keyed by account id.",
    SETTLEMENT: "Monthly settlement outcomes. Keyed by patron id or period.",
    WEBHOOK: "Operational events of the webhook service.",
}


def dlq(topic: str) -> str:
    """The dead-letter topic of ``topic``."""
    return f"{topic}.dlq"
