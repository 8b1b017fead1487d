"""Events staged in bulk with their JSON payload built directly (the close stages ~200,000 of them).

Validating a pydantic model per event and per posting line, then dumping it, cost more than
the rest of the close together. These builders produce what ``EventClass(...).model_dump(mode="json")``
produces, from values the ledger has just written, and encode it at once (in the close's read-ahead,
not while its batch holds the balance locks); ``tests/close/test_staged_events.py``
keeps them equal to the models (field for field), so a contract change breaks a test, not a consumer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import TypeAdapter

from trickle_events.ledger import EntryPosted
from trickle_events.settlement import PatronSettled
from trickle_kit.envelope import EncodedPayload

if TYPE_CHECKING:
    from trickle_settlement.split import ClickShare

_DATETIME = TypeAdapter(datetime)
_dumps = json.JSONEncoder(separators=(",", ":")).encode  # what the outbox writes for a model's dump
_str = encode_basestring_ascii  # what ``_dumps`` writes for a str


def json_datetime(value: datetime) -> str:
    """A datetime as pydantic writes it in JSON mode (``…Z`` for UTC)."""
    return str(_DATETIME.dump_python(value, mode="json"))


class _Staged(EncodedPayload):
    """A ``Publishable`` whose JSON payload text is already built (the outbox writes it as it is)."""

    __slots__ = ("_key", "_subject")
    event_type: ClassVar[str]
    topic: ClassVar[str]
    schema_version: ClassVar[int]

    def __init__(self, payload_json: str, key: str | None, subject: str | None) -> None:
        super().__init__(payload_json)
        self._key = key
        self._subject = subject

    def partition_key(self) -> str | None:
        return self._key

    def subject(self) -> str | None:
        return self._subject

    def model_dump(self, *, mode: str = "json") -> dict[str, Any]:
        if mode != "json":
            raise ValueError("a staged event only has its JSON form")
        payload: dict[str, Any] = json.loads(self.payload_json)
        return payload


class StagedEntryPosted(_Staged):
    __slots__ = ()
    event_type: ClassVar[str] = EntryPosted.event_type
    topic: ClassVar[str] = EntryPosted.topic
    schema_version: ClassVar[int] = EntryPosted.schema_version


class StagedPatronSettled(_Staged):
    __slots__ = ()
    event_type: ClassVar[str] = PatronSettled.event_type
    topic: ClassVar[str] = PatronSettled.topic
    schema_version: ClassVar[int] = PatronSettled.schema_version


def entry_posted_payload(
    *,
    entry_id: str,
    idempotency_key: str,
    kind: str,
    currency: str,
    reference: str | None,
    posted_at: str,
    postings: list[dict[str, Any]],
    account_ids_concerned: list[str],
    sequence: int | None,
) -> dict[str, Any]:
    """``EntryPosted``'s JSON-mode dump (``posted_at`` already in JSON form; ``postings`` as ``posting_line`` dicts)."""
    return {
        "entry_id": entry_id,
        "idempotency_key": idempotency_key,
        "kind": kind,
        "currency": currency,
        "reference": reference,
        "posted_at": posted_at,
        "postings": postings,
        "account_ids_concerned": account_ids_concerned,
        "sequence": sequence,
    }


def json_str(value: str) -> str:
    """A str as ``_dumps`` writes it."""
    return _str(value)


def entry_posted_head(*, entry_id: str, idempotency_key: str, kind: str, currency: str, reference: str | None) -> str:
    """``EntryPosted``'s JSON up to its ``posted_at`` value: what ``_dumps(entry_posted_payload(...))``
    writes before it, built directly (a close prepares 100,000 of these)."""
    return (
        f'{{"entry_id":{_str(entry_id)},"idempotency_key":{_str(idempotency_key)},"kind":{_str(kind)},'
        f'"currency":{_str(currency)},"reference":{"null" if reference is None else _str(reference)},"posted_at":'
    )


def entry_posted_tail(account_ids_concerned: list[str]) -> str:
    """``EntryPosted``'s JSON from the end of its ``postings`` up to its ``sequence`` value (as the head)."""
    return f',"account_ids_concerned":[{",".join([_str(a) for a in account_ids_concerned])}],"sequence":'


def entry_posted(
    *,
    entry_id: str,
    idempotency_key: str,
    kind: str,
    currency: str,
    reference: str | None,
    posted_at: str,
    postings: list[dict[str, Any]],
    account_ids_concerned: list[str],
    sequence: int | None,
) -> StagedEntryPosted:
    """``EntryPosted`` (arguments as ``entry_posted_payload``'s)."""
    payload = entry_posted_payload(
        entry_id=entry_id,
        idempotency_key=idempotency_key,
        kind=kind,
        currency=currency,
        reference=reference,
        posted_at=posted_at,
        postings=postings,
        account_ids_concerned=account_ids_concerned,
        sequence=sequence,
    )
    return StagedEntryPosted(_dumps(payload), account_ids_concerned[0] if account_ids_concerned else None, entry_id)


def posting_line(
    ledger_account: str, kind: str, owner_id: str | None, amount: int, currency: str, balance_after: int
) -> dict[str, Any]:
    """A ``PostingLine`` of ``EntryPosted``."""
    return {
        "ledger_account": ledger_account,
        "kind": kind,
        "owner_id": owner_id,
        "amount": amount,
        "currency": currency,
        "balance_after": balance_after,
    }


def patron_settled(
    *,
    period: str,
    patron_id: str,
    entry_id: str,
    spent: int,
    currency: str,
    shares: Iterable[ClickShare],
    recipient_ids: list[str],
) -> StagedPatronSettled:
    """``PatronSettled``; ``shares`` the split's ``ClickShare``s (click_id, thing_id, recipient_id, gross).

    Its JSON is written here as ``_dumps`` writes the dict (keys in the model's order; ints as ``str``), without
    building the dict: a close stages 100,000 of these with ten shares each."""
    lines = ",".join(
        [
            f'{{"thing_id":{_str(thing_id)},"click_id":{_str(click_id)},"recipient_id":'
            f'{"null" if recipient_id is None else _str(recipient_id)},"gross":{gross}}}'
            for click_id, thing_id, recipient_id, gross in shares
        ]
    )
    recipients = ",".join([_str(r) for r in recipient_ids])
    payload = (
        f'{{"period":{_str(period)},"patron_id":{_str(patron_id)},"entry_id":{_str(entry_id)},'
        f'"spent":{{"amount":{spent},"currency":{_str(currency)}}},'
        f'"shares":[{lines}],"recipient_ids":[{recipients}]}}'
    )
    return StagedPatronSettled(payload, patron_id, f"{period}:{patron_id}")
