from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transfer_status import TransferStatus, check_transfer_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Transfer")


@_attrs_define
class Transfer:
    """
    Attributes:
        id (str):
        from_account_id (None | str): The sender; null to the recipient when the sender gives privately (SPEC 4)
        to_account_id (str):
        amount (Money): An amount in minor units (cents) and its currency.
        status (TransferStatus):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        note (None | str | Unset): Shown to the recipient (ids of private accounts masked)
        commission (Money | None | Unset): Once completed: the platform's commission
        net (Money | None | Unset): Once completed: what the recipient received
        ledger_entry_id (None | str | Unset):
        rejection_reason (None | str | Unset):
        completed_at (datetime.datetime | None | Unset):
    """

    id: str
    from_account_id: None | str
    to_account_id: str
    amount: Money
    status: TransferStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    note: None | str | Unset = UNSET
    commission: Money | None | Unset = UNSET
    net: Money | None | Unset = UNSET
    ledger_entry_id: None | str | Unset = UNSET
    rejection_reason: None | str | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        id = self.id

        from_account_id: None | str
        from_account_id = self.from_account_id

        to_account_id = self.to_account_id

        amount = self.amount.to_dict()

        status: str = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        commission: dict[str, Any] | None | Unset
        if isinstance(self.commission, Unset):
            commission = UNSET
        elif isinstance(self.commission, Money):
            commission = self.commission.to_dict()
        else:
            commission = self.commission

        net: dict[str, Any] | None | Unset
        if isinstance(self.net, Unset):
            net = UNSET
        elif isinstance(self.net, Money):
            net = self.net.to_dict()
        else:
            net = self.net

        ledger_entry_id: None | str | Unset
        if isinstance(self.ledger_entry_id, Unset):
            ledger_entry_id = UNSET
        else:
            ledger_entry_id = self.ledger_entry_id

        rejection_reason: None | str | Unset
        if isinstance(self.rejection_reason, Unset):
            rejection_reason = UNSET
        else:
            rejection_reason = self.rejection_reason

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "from_account_id": from_account_id,
                "to_account_id": to_account_id,
                "amount": amount,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if commission is not UNSET:
            field_dict["commission"] = commission
        if net is not UNSET:
            field_dict["net"] = net
        if ledger_entry_id is not UNSET:
            field_dict["ledger_entry_id"] = ledger_entry_id
        if rejection_reason is not UNSET:
            field_dict["rejection_reason"] = rejection_reason
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_from_account_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_account_id = _parse_from_account_id(d.pop("from_account_id"))

        to_account_id = d.pop("to_account_id")

        amount = Money.from_dict(d.pop("amount"))

        status = check_transfer_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_commission(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                commission_type_0 = Money.from_dict(data)

                return commission_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        commission = _parse_commission(d.pop("commission", UNSET))

        def _parse_net(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                net_type_0 = Money.from_dict(data)

                return net_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        net = _parse_net(d.pop("net", UNSET))

        def _parse_ledger_entry_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_entry_id = _parse_ledger_entry_id(d.pop("ledger_entry_id", UNSET))

        def _parse_rejection_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejection_reason = _parse_rejection_reason(d.pop("rejection_reason", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        transfer = cls(
            id=id,
            from_account_id=from_account_id,
            to_account_id=to_account_id,
            amount=amount,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            note=note,
            commission=commission,
            net=net,
            ledger_entry_id=ledger_entry_id,
            rejection_reason=rejection_reason,
            completed_at=completed_at,
        )

        transfer.additional_properties = d
        return transfer

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
