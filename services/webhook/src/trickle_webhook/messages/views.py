"""What an account's endpoint may see of an event that concerns several accounts (pure functions).

SPEC 4: creators see who clicked only for public clicks, and nobody but the patron sees a
patron's giving; no webhook names another account unless it gives publicly. An event such as
``settlement.patron.settled`` names the patron and every creator paid; each creator's endpoint
gets the creator's part only. Operator endpoints (``all_accounts``) see events whole.

Who may see what is ``trickle_kit.readable.Reader``'s rule (one per endpoint owner): the views
below keep the lines an account holds, and every event, viewed or not, then goes through
:func:`_masked`, so an account id a view did not think of (a new event type, a reference, a
note) still reaches only its holder: a field holding another account's id becomes null, an id
inside text becomes ``hidden``, an entry keyed by one is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trickle_kit.readable import ACCOUNT_ID, Reader

Data = dict[str, Any]


def _click(data: Data, reader: Reader) -> Data:
    patron = reader.reveal(data.get("patron_id"), public=data.get("public") is True)
    view = {**data, "patron_id": patron}
    if patron is None and data.get("subscription_id") is not None:
        # The same subscription clicks every period: its id would be a stable pseudonym of the patron.
        view["subscription_id"] = None
    return view


def _patron_settled(data: Data, reader: Reader) -> Data:
    if reader.holds(data.get("patron_id")):
        return data
    shares = [s for s in data.get("shares", []) if reader.holds(s.get("recipient_id"))]
    spent = data.get("spent") or {}
    return {
        **data,
        "patron_id": None,
        "shares": shares,
        "recipient_ids": [r for r in data.get("recipient_ids", []) if reader.holds(r)],
        "spent": {**spent, "amount": sum(int(s.get("gross", 0)) for s in shares)},
    }


def _entry_posted(data: Data, reader: Reader) -> Data:
    return {
        **data,
        "postings": [p for p in data.get("postings", []) if reader.holds(p.get("owner_id"))],
        "account_ids_concerned": [a for a in data.get("account_ids_concerned", []) if reader.holds(a)],
    }


def _escrow_refunded(data: Data, reader: Reader) -> Data:
    return {**data, "refunds": {a: v for a, v in data.get("refunds", {}).items() if reader.holds(a)}}


VIEWS: dict[str, Callable[[Data, Reader], Data]] = {
    "clicks.click.registered": _click,
    "clicks.click.revoked": _click,
    "settlement.patron.settled": _patron_settled,
    "ledger.entry.posted": _entry_posted,
    "settlement.escrow.refunded": _escrow_refunded,
}


def _ids(*values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def _click_public(d: Data) -> list[str]:
    # A thing's owner is public (anyone reads a thing); its patron only when the click is.
    return _ids(d.get("owner_id"), d.get("patron_id") if d.get("public") is True else None)


def _settlement_public(d: Data) -> list[str]:
    # The creators paid own the things clicked: public, as every thing's owner is.
    return _ids(*d.get("recipient_ids", []), *(s.get("recipient_id") for s in d.get("shares", [])))


def _transfer_public(d: Data) -> list[str]:
    # A tip's recipient is known to both sides (the sender chose it); the sender is not (SPEC 4).
    return _ids(d.get("to_account_id"))


# The account ids an event shows to every account it concerns, by type (all others are masked).
PUBLIC_IDS: dict[str, Callable[[Data], list[str]]] = {
    "clicks.click.registered": _click_public,
    "clicks.click.revoked": _click_public,
    "clicks.thing.claimed": lambda d: _ids(d.get("owner_id")),
    "clicks.thing.registered": lambda d: _ids(d.get("owner_id")),
    "clicks.thing.updated": lambda d: _ids(d.get("owner_id")),
    "settlement.patron.settled": _settlement_public,
    "wallet.transfer.requested": _transfer_public,
    "ledger.transfer.completed": _transfer_public,
    "ledger.transfer.rejected": _transfer_public,
}


def _masked(value: Any, reader: Reader, public: list[str]) -> Any:
    if isinstance(value, str):
        if ACCOUNT_ID.fullmatch(value):
            return reader.reveal(value, public=value in public)
        return reader.mask(value, public_ids=public)
    if isinstance(value, list):
        return [_masked(v, reader, public) for v in value]
    if isinstance(value, dict):
        return {
            k: _masked(v, reader, public)
            for k, v in value.items()
            if not (ACCOUNT_ID.fullmatch(k) and reader.reveal(k, public=k in public) is None)
        }
    return value


def view_for(event_type: str, data: Data, account_id: str | None) -> Data:
    """The event data as an endpoint of ``account_id`` receives it (``None``: an operator endpoint)."""
    reader = Reader.for_account(account_id)
    if reader.is_operator:
        return data
    public = PUBLIC_IDS[event_type](data) if event_type in PUBLIC_IDS else []
    view = VIEWS.get(event_type)
    viewed = data if view is None else view(data, reader)
    masked: Data = _masked(viewed, reader, public)
    return masked
