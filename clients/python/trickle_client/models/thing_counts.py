from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ThingCounts")


@_attrs_define
class ThingCounts:
    """Live click counts of a thing.

    Attributes:
        thing_id (str):
        period (str):
        period_clicks (int):
        all_time_clicks (int):
    """

    thing_id: str
    period: str
    period_clicks: int
    all_time_clicks: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        thing_id = self.thing_id

        period = self.period

        period_clicks = self.period_clicks

        all_time_clicks = self.all_time_clicks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "thing_id": thing_id,
                "period": period,
                "period_clicks": period_clicks,
                "all_time_clicks": all_time_clicks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        thing_id = d.pop("thing_id")

        period = d.pop("period")

        period_clicks = d.pop("period_clicks")

        all_time_clicks = d.pop("all_time_clicks")

        thing_counts = cls(
            thing_id=thing_id,
            period=period,
            period_clicks=period_clicks,
            all_time_clicks=all_time_clicks,
        )

        thing_counts.additional_properties = d
        return thing_counts

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
