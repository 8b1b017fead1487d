from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PublicThing")


@_attrs_define
class PublicThing:
    """
    Attributes:
        id (str):
        url (str):
        title (None | str):
        category (None | str):
        period_clicks (int): Live clicks in the open period
        all_time_clicks (int): Live clicks of all time
    """

    id: str
    url: str
    title: None | str
    category: None | str
    period_clicks: int
    all_time_clicks: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        title: None | str
        title = self.title

        category: None | str
        category = self.category

        period_clicks = self.period_clicks

        all_time_clicks = self.all_time_clicks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "title": title,
                "category": category,
                "period_clicks": period_clicks,
                "all_time_clicks": all_time_clicks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        period_clicks = d.pop("period_clicks")

        all_time_clicks = d.pop("all_time_clicks")

        public_thing = cls(
            id=id,
            url=url,
            title=title,
            category=category,
            period_clicks=period_clicks,
            all_time_clicks=all_time_clicks,
        )

        public_thing.additional_properties = d
        return public_thing

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
