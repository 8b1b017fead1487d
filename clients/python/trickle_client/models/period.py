from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period_state import PeriodState, check_period_state

T = TypeVar("T", bound="Period")


@_attrs_define
class Period:
    """A calendar month (UTC) of clicks.

    Attributes:
        id (str):
        state (PeriodState):
        opened_at (datetime.datetime):
        sealed_at (datetime.datetime | None):
        ends_at (datetime.datetime): When the scheduler seals it (end of the UTC month)
    """

    id: str
    state: PeriodState
    opened_at: datetime.datetime
    sealed_at: datetime.datetime | None
    ends_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state: str = self.state

        opened_at = self.opened_at.isoformat()

        sealed_at: None | str
        if isinstance(self.sealed_at, datetime.datetime):
            sealed_at = self.sealed_at.isoformat()
        else:
            sealed_at = self.sealed_at

        ends_at = self.ends_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "state": state,
                "opened_at": opened_at,
                "sealed_at": sealed_at,
                "ends_at": ends_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        state = check_period_state(d.pop("state"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_sealed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sealed_at_type_0 = datetime.datetime.fromisoformat(data)

                return sealed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sealed_at = _parse_sealed_at(d.pop("sealed_at"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        period = cls(
            id=id,
            state=state,
            opened_at=opened_at,
            sealed_at=sealed_at,
            ends_at=ends_at,
        )

        period.additional_properties = d
        return period

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
