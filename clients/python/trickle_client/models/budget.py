from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Budget")


@_attrs_define
class Budget:
    """
    Attributes:
        account_id (str):
        enabled (bool):
        amount (Money): An amount in minor units (cents) and its currency.
        minimum_amount (Money): An amount in minor units (cents) and its currency.
        min_per_click (Money | None | Unset):
        max_per_month (Money | None | Unset):
        updated_at (datetime.datetime | None | Unset): Null when no budget was ever set
    """

    account_id: str
    enabled: bool
    amount: Money
    minimum_amount: Money
    min_per_click: Money | None | Unset = UNSET
    max_per_month: Money | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        account_id = self.account_id

        enabled = self.enabled

        amount = self.amount.to_dict()

        minimum_amount = self.minimum_amount.to_dict()

        min_per_click: dict[str, Any] | None | Unset
        if isinstance(self.min_per_click, Unset):
            min_per_click = UNSET
        elif isinstance(self.min_per_click, Money):
            min_per_click = self.min_per_click.to_dict()
        else:
            min_per_click = self.min_per_click

        max_per_month: dict[str, Any] | None | Unset
        if isinstance(self.max_per_month, Unset):
            max_per_month = UNSET
        elif isinstance(self.max_per_month, Money):
            max_per_month = self.max_per_month.to_dict()
        else:
            max_per_month = self.max_per_month

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
                "enabled": enabled,
                "amount": amount,
                "minimum_amount": minimum_amount,
            }
        )
        if min_per_click is not UNSET:
            field_dict["min_per_click"] = min_per_click
        if max_per_month is not UNSET:
            field_dict["max_per_month"] = max_per_month
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        enabled = d.pop("enabled")

        amount = Money.from_dict(d.pop("amount"))

        minimum_amount = Money.from_dict(d.pop("minimum_amount"))

        def _parse_min_per_click(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                min_per_click_type_0 = Money.from_dict(data)

                return min_per_click_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        min_per_click = _parse_min_per_click(d.pop("min_per_click", UNSET))

        def _parse_max_per_month(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                max_per_month_type_0 = Money.from_dict(data)

                return max_per_month_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        max_per_month = _parse_max_per_month(d.pop("max_per_month", UNSET))

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

        budget = cls(
            account_id=account_id,
            enabled=enabled,
            amount=amount,
            minimum_amount=minimum_amount,
            min_per_click=min_per_click,
            max_per_month=max_per_month,
            updated_at=updated_at,
        )

        budget.additional_properties = d
        return budget

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
