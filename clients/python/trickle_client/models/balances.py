from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Balances")


@_attrs_define
class Balances:
    """
    Attributes:
        account_id (str):
        wallet (Money): An amount in minor units (cents) and its currency.
        earnings (Money): An amount in minor units (cents) and its currency.
        reserved (Money): An amount in minor units (cents) and its currency.
        as_of_entry_id (None | str | Unset): The latest ledger entry these balances reflect (none yet: all zero)
        updated_at (datetime.datetime | None | Unset):
    """

    account_id: str
    wallet: Money
    earnings: Money
    reserved: Money
    as_of_entry_id: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        wallet = self.wallet.to_dict()

        earnings = self.earnings.to_dict()

        reserved = self.reserved.to_dict()

        as_of_entry_id: None | str | Unset
        if isinstance(self.as_of_entry_id, Unset):
            as_of_entry_id = UNSET
        else:
            as_of_entry_id = self.as_of_entry_id

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "wallet": wallet,
                "earnings": earnings,
                "reserved": reserved,
            }
        )
        if as_of_entry_id is not UNSET:
            field_dict["as_of_entry_id"] = as_of_entry_id
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        wallet = Money.from_dict(d.pop("wallet"))

        earnings = Money.from_dict(d.pop("earnings"))

        reserved = Money.from_dict(d.pop("reserved"))

        def _parse_as_of_entry_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        as_of_entry_id = _parse_as_of_entry_id(d.pop("as_of_entry_id", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        balances = cls(
            account_id=account_id,
            wallet=wallet,
            earnings=earnings,
            reserved=reserved,
            as_of_entry_id=as_of_entry_id,
            updated_at=updated_at,
        )

        balances.additional_properties = d
        return balances

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
