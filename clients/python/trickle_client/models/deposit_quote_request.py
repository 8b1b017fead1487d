from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.deposit_quote_request_method import DepositQuoteRequestMethod, check_deposit_quote_request_method

if TYPE_CHECKING:
    from ..models.positive_money import PositiveMoney


T = TypeVar("T", bound="DepositQuoteRequest")


@_attrs_define
class DepositQuoteRequest:
    """
    Attributes:
        method (DepositQuoteRequestMethod):
        amount (PositiveMoney): An amount that must be greater than zero: what a request asks to move (deposit, tip,
            payout).
    """

    method: DepositQuoteRequestMethod
    amount: PositiveMoney

    def to_dict(self) -> dict[str, Any]:
        method: str = self.method

        amount = self.amount.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "method": method,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.positive_money import PositiveMoney  # noqa: PLC0415

        d = dict(src_dict)
        method = check_deposit_quote_request_method(d.pop("method"))

        amount = PositiveMoney.from_dict(d.pop("amount"))

        deposit_quote_request = cls(
            method=method,
            amount=amount,
        )

        return deposit_quote_request
