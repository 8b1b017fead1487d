"""What an account's endpoint may see of an event that concerns several accounts (pure functions).

SPEC 4: creators see who clicked only for public clicks, and nobody but the patron sees a
patron's giving. An event such as ``settlement.patron.settled`` names the patron and every
creator paid; each creator's endpoint gets the creator's part only. Operator endpoints
(``all_accounts``) see events whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def _click(data: Data, account_id: str) -> Data:
    if data.get("patron_id") == account_id or data.get("public") is True:
        return data
    return {**data, "patron_id": None}


def _patron_settled(data: Data, account_id: str) -> Data:
    if data.get("patron_id") == account_id:
        return data
    shares = [s for s in data.get("shares", []) if s.get("recipient_id") == account_id]
    spent = data.get("spent") or {}
    return {
        **data,
        "patron_id": None,
        "shares": shares,
        "recipient_ids": [account_id],
        "spent": {**spent, "amount": sum(int(s.get("gross", 0)) for s in shares)},
    }


HIDDEN = "hidden"


def _entry_posted(data: Data, account_id: str) -> Data:
    postings = [p for p in data.get("postings", []) if p.get("owner_id") == account_id]
    # A settlement entry's key and reference name its patron (``settle:{period}:{patron}``):
    # every other account named there is masked, the fields keep their shape.
    others = {p.get("owner_id") for p in data.get("postings", [])} - {account_id, None}

    def masked(value: Any) -> Any:
        if isinstance(value, str):
            for other in others:
                value = value.replace(other, HIDDEN)
        return value

    return {
        **data,
        "postings": postings,
        "account_ids_concerned": [account_id],
        "idempotency_key": masked(data.get("idempotency_key")),
        "reference": masked(data.get("reference")),
    }


def _escrow_refunded(data: Data, account_id: str) -> Data:
    refunds = data.get("refunds", {})
    return {**data, "refunds": {account_id: refunds[account_id]} if account_id in refunds else {}}


VIEWS: dict[str, Callable[[Data, str], Data]] = {
    "clicks.click.registered": _click,
    "clicks.click.revoked": _click,
    "settlement.patron.settled": _patron_settled,
    "ledger.entry.posted": _entry_posted,
    "settlement.escrow.refunded": _escrow_refunded,
}


def view_for(event_type: str, data: Data, account_id: str | None) -> Data:
    """The event data as an endpoint of ``account_id`` receives it (``None``: an operator endpoint)."""
    view = VIEWS.get(event_type)
    if account_id is None or view is None:
        return data
    return view(data, account_id)
