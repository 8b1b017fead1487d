from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PositiveMoney")


@_attrs_define
class PositiveMoney:
    """An amount that must be greater than zero: what a request asks to move (deposit, tip, payout).

    Attributes:
        amount (int): Minor units (cents), > 0
        currency (str): ISO 4217 code
    """

    amount: int
    currency: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        positive_money = cls(
            amount=amount,
            currency=currency,
        )

        return positive_money
