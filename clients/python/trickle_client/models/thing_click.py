from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ThingClick")


@_attrs_define
class ThingClick:
    """A click on your thing; ``patron_id`` is shown only when the patron gives publicly.

    Attributes:
        id (str):
        period (str):
        patron_id (None | str):
        public (bool):
        created_at (datetime.datetime):
    """

    id: str
    period: str
    patron_id: None | str
    public: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        period = self.period

        patron_id: None | str
        patron_id = self.patron_id

        public = self.public

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "period": period,
                "patron_id": patron_id,
                "public": public,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        period = d.pop("period")

        def _parse_patron_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        patron_id = _parse_patron_id(d.pop("patron_id"))

        public = d.pop("public")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        thing_click = cls(
            id=id,
            period=period,
            patron_id=patron_id,
            public=public,
            created_at=created_at,
        )

        thing_click.additional_properties = d
        return thing_click

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
