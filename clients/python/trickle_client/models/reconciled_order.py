from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reconciled_order_object import ReconciledOrderObject, check_reconciled_order_object
from ..models.reconciled_order_outcome import ReconciledOrderOutcome, check_reconciled_order_outcome
from ..models.reconciled_order_provider_status_type_0 import (
    ReconciledOrderProviderStatusType0,
    check_reconciled_order_provider_status_type_0,
)

T = TypeVar("T", bound="ReconciledOrder")


@_attrs_define
class ReconciledOrder:
    """
    Attributes:
        object_ (ReconciledOrderObject):
        reference (str): The deposit's or payout's id
        provider_status (None | ReconciledOrderProviderStatusType0): What the provider answered; null if it did not
        outcome (ReconciledOrderOutcome): applied: finished now (as its callback would have); unchanged, ignored,
            duplicate: as for a callback (it had been finished meanwhile); pending: still in flight at the provider;
            unknown: the provider does not know the order; error: the provider's answer could not be had or applied (logged)
    """

    object_: ReconciledOrderObject
    reference: str
    provider_status: None | ReconciledOrderProviderStatusType0
    outcome: ReconciledOrderOutcome
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_: str = self.object_

        reference = self.reference

        provider_status: None | str
        if isinstance(self.provider_status, str):
            provider_status = self.provider_status
        else:
            provider_status = self.provider_status

        outcome: str = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "reference": reference,
                "provider_status": provider_status,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_ = check_reconciled_order_object(d.pop("object"))

        reference = d.pop("reference")

        def _parse_provider_status(data: object) -> None | ReconciledOrderProviderStatusType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                provider_status_type_0 = check_reconciled_order_provider_status_type_0(data)

                return provider_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReconciledOrderProviderStatusType0, data)

        provider_status = _parse_provider_status(d.pop("provider_status"))

        outcome = check_reconciled_order_outcome(d.pop("outcome"))

        reconciled_order = cls(
            object_=object_,
            reference=reference,
            provider_status=provider_status,
            outcome=outcome,
        )

        reconciled_order.additional_properties = d
        return reconciled_order

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
