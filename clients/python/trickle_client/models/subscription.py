from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Subscription")


@_attrs_define
class Subscription:
    """
    Attributes:
        id (str):
        patron_id (str):
        thing_id (str):
        periods (int):
        first_period (str):
        last_period (str):
        created_at (datetime.datetime):
        cancelled_at (datetime.datetime | None):
    """

    id: str
    patron_id: str
    thing_id: str
    periods: int
    first_period: str
    last_period: str
    created_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        patron_id = self.patron_id

        thing_id = self.thing_id

        periods = self.periods

        first_period = self.first_period

        last_period = self.last_period

        created_at = self.created_at.isoformat()

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "patron_id": patron_id,
                "thing_id": thing_id,
                "periods": periods,
                "first_period": first_period,
                "last_period": last_period,
                "created_at": created_at,
                "cancelled_at": cancelled_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        patron_id = d.pop("patron_id")

        thing_id = d.pop("thing_id")

        periods = d.pop("periods")

        first_period = d.pop("first_period")

        last_period = d.pop("last_period")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at"))

        subscription = cls(
            id=id,
            patron_id=patron_id,
            thing_id=thing_id,
            periods=periods,
            first_period=first_period,
            last_period=last_period,
            created_at=created_at,
            cancelled_at=cancelled_at,
        )

        subscription.additional_properties = d
        return subscription

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
