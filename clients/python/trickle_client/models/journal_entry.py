from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.entry_posting import EntryPosting


T = TypeVar("T", bound="JournalEntry")


@_attrs_define
class JournalEntry:
    """A journal entry with the postings the reader may see.

    Operators see every posting (they sum to zero). An account holder sees only the postings
    of accounts they hold; the entry's other legs appear only as ``counterparty_kinds``, and
    other accounts' ids in ``idempotency_key`` and ``reference`` read ``hidden``.

        Attributes:
            id (str):
            sequence (int): Monotonic number of the entry in the ledger
            idempotency_key (str):
            kind (str):
            currency (str):
            posted_at (datetime.datetime):
            postings (list[EntryPosting]):
            counterparty_kinds (list[str]): Kinds of the entry's legs on accounts the reader does not hold (no id, owner or
                amount)
            reference (None | str | Unset):
            period (None | str | Unset):
    """

    id: str
    sequence: int
    idempotency_key: str
    kind: str
    currency: str
    posted_at: datetime.datetime
    postings: list[EntryPosting]
    counterparty_kinds: list[str]
    reference: None | str | Unset = UNSET
    period: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sequence = self.sequence

        idempotency_key = self.idempotency_key

        kind = self.kind

        currency = self.currency

        posted_at = self.posted_at.isoformat()

        postings = []
        for postings_item_data in self.postings:
            postings_item = postings_item_data.to_dict()
            postings.append(postings_item)

        counterparty_kinds = self.counterparty_kinds

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        period: None | str | Unset
        if isinstance(self.period, Unset):
            period = UNSET
        else:
            period = self.period

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sequence": sequence,
                "idempotency_key": idempotency_key,
                "kind": kind,
                "currency": currency,
                "posted_at": posted_at,
                "postings": postings,
                "counterparty_kinds": counterparty_kinds,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference
        if period is not UNSET:
            field_dict["period"] = period

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entry_posting import EntryPosting  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        sequence = d.pop("sequence")

        idempotency_key = d.pop("idempotency_key")

        kind = d.pop("kind")

        currency = d.pop("currency")

        posted_at = datetime.datetime.fromisoformat(d.pop("posted_at"))

        postings = []
        _postings = d.pop("postings")
        for postings_item_data in _postings:
            postings_item = EntryPosting.from_dict(postings_item_data)

            postings.append(postings_item)

        counterparty_kinds = cast(list[str], d.pop("counterparty_kinds"))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        period = _parse_period(d.pop("period", UNSET))

        journal_entry = cls(
            id=id,
            sequence=sequence,
            idempotency_key=idempotency_key,
            kind=kind,
            currency=currency,
            posted_at=posted_at,
            postings=postings,
            counterparty_kinds=counterparty_kinds,
            reference=reference,
            period=period,
        )

        journal_entry.additional_properties = d
        return journal_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
