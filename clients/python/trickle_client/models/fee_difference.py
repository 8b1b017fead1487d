from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.fee_difference_kind import FeeDifferenceKind, check_fee_difference_kind
from ..models.fee_difference_object import FeeDifferenceObject, check_fee_difference_object

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="FeeDifference")


@_attrs_define
class FeeDifference:
    """
    Attributes:
        object_ (FeeDifferenceObject):
        reference (str):
        kind (FeeDifferenceKind): mismatch: both sides have the order, with different fees; unreported: the wallet
            recorded a fee the provider does not report; unrecorded: the provider charged for an order the wallet has no
            succeeded deposit for that day
        wallet_fee (Money | None):
        provider_fee (Money | None):
    """

    object_: FeeDifferenceObject
    reference: str
    kind: FeeDifferenceKind
    wallet_fee: Money | None
    provider_fee: Money | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        object_: str = self.object_

        reference = self.reference

        kind: str = self.kind

        wallet_fee: dict[str, Any] | None
        if isinstance(self.wallet_fee, Money):
            wallet_fee = self.wallet_fee.to_dict()
        else:
            wallet_fee = self.wallet_fee

        provider_fee: dict[str, Any] | None
        if isinstance(self.provider_fee, Money):
            provider_fee = self.provider_fee.to_dict()
        else:
            provider_fee = self.provider_fee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "reference": reference,
                "kind": kind,
                "wallet_fee": wallet_fee,
                "provider_fee": provider_fee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        object_ = check_fee_difference_object(d.pop("object"))

        reference = d.pop("reference")

        kind = check_fee_difference_kind(d.pop("kind"))

        def _parse_wallet_fee(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wallet_fee_type_0 = Money.from_dict(data)

                return wallet_fee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        wallet_fee = _parse_wallet_fee(d.pop("wallet_fee"))

        def _parse_provider_fee(data: object) -> Money | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                provider_fee_type_0 = Money.from_dict(data)

                return provider_fee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None, data)

        provider_fee = _parse_provider_fee(d.pop("provider_fee"))

        fee_difference = cls(
            object_=object_,
            reference=reference,
            kind=kind,
            wallet_fee=wallet_fee,
            provider_fee=provider_fee,
        )

        fee_difference.additional_properties = d
        return fee_difference

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
