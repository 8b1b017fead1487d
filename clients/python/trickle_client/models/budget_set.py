from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="BudgetSet")


@_attrs_define
class BudgetSet:
    """The monthly budget, replaced whole. ``{"enabled": false}`` turns giving off (no money moves).

    Attributes:
        enabled (bool | Unset):  Default: True.
        amount (Money | None | Unset): Spent each month on what you clicked
        min_per_click (Money | None | Unset): Spend at least this per click (may exceed amount)
        max_per_month (Money | None | Unset): Never spend more than this in a month (≥ amount)
    """

    enabled: bool | Unset = True
    amount: Money | None | Unset = UNSET
    min_per_click: Money | None | Unset = UNSET
    max_per_month: Money | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        enabled = self.enabled

        amount: dict[str, Any] | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        elif isinstance(self.amount, Money):
            amount = self.amount.to_dict()
        else:
            amount = self.amount

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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if amount is not UNSET:
            field_dict["amount"] = amount
        if min_per_click is not UNSET:
            field_dict["min_per_click"] = min_per_click
        if max_per_month is not UNSET:
            field_dict["max_per_month"] = max_per_month

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        def _parse_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                amount_type_0 = Money.from_dict(data)

                return amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

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

        budget_set = cls(
            enabled=enabled,
            amount=amount,
            min_per_click=min_per_click,
            max_per_month=max_per_month,
        )

        return budget_set
