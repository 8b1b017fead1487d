from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FeeTotal")


@_attrs_define
class FeeTotal:
    """
    Attributes:
        currency (str):
        wallet (int): Fees the wallet recorded, minor units
        provider (int): Fees the provider reports, minor units
        difference (int): provider − wallet
    """

    currency: str
    wallet: int
    provider: int
    difference: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        wallet = self.wallet

        provider = self.provider

        difference = self.difference

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "wallet": wallet,
                "provider": provider,
                "difference": difference,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        wallet = d.pop("wallet")

        provider = d.pop("provider")

        difference = d.pop("difference")

        fee_total = cls(
            currency=currency,
            wallet=wallet,
            provider=provider,
            difference=difference,
        )

        fee_total.additional_properties = d
        return fee_total

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
