from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deposit_quote_method import DepositQuoteMethod, check_deposit_quote_method

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="DepositQuote")


@_attrs_define
class DepositQuote:
    """
    Attributes:
        method (DepositQuoteMethod):
        gross (Money): An amount in minor units (cents) and its currency.
        fee (Money): An amount in minor units (cents) and its currency.
        net (Money): An amount in minor units (cents) and its currency.
    """

    method: DepositQuoteMethod
    gross: Money
    fee: Money
    net: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        method: str = self.method

        gross = self.gross.to_dict()

        fee = self.fee.to_dict()

        net = self.net.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "method": method,
                "gross": gross,
                "fee": fee,
                "net": net,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        method = check_deposit_quote_method(d.pop("method"))

        gross = Money.from_dict(d.pop("gross"))

        fee = Money.from_dict(d.pop("fee"))

        net = Money.from_dict(d.pop("net"))

        deposit_quote = cls(
            method=method,
            gross=gross,
            fee=fee,
            net=net,
        )

        deposit_quote.additional_properties = d
        return deposit_quote

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
