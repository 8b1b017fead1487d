from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.fee_difference import FeeDifference
    from ..models.fee_total import FeeTotal


T = TypeVar("T", bound="FeeReconciliation")


@_attrs_define
class FeeReconciliation:
    """
    Attributes:
        provider (str):
        day (datetime.date):
        matched (int): Orders whose fees agree
        totals (list[FeeTotal]):
        differences (list[FeeDifference]): Reported only: no money moves because of them
    """

    provider: str
    day: datetime.date
    matched: int
    totals: list[FeeTotal]
    differences: list[FeeDifference]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        day = self.day.isoformat()

        matched = self.matched

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        differences = []
        for differences_item_data in self.differences:
            differences_item = differences_item_data.to_dict()
            differences.append(differences_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "day": day,
                "matched": matched,
                "totals": totals,
                "differences": differences,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fee_difference import FeeDifference  # noqa: PLC0415
        from ..models.fee_total import FeeTotal  # noqa: PLC0415

        d = dict(src_dict)
        provider = d.pop("provider")

        day = datetime.date.fromisoformat(d.pop("day"))

        matched = d.pop("matched")

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = FeeTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        differences = []
        _differences = d.pop("differences")
        for differences_item_data in _differences:
            differences_item = FeeDifference.from_dict(differences_item_data)

            differences.append(differences_item)

        fee_reconciliation = cls(
            provider=provider,
            day=day,
            matched=matched,
            totals=totals,
            differences=differences,
        )

        fee_reconciliation.additional_properties = d
        return fee_reconciliation

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
