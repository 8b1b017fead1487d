from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OutboxBacklog")


@_attrs_define
class OutboxBacklog:
    """A service's transactional outbox: events committed but not yet published to Kafka.

    Attributes:
        service (str):
        pending (int): Unpublished events
        oldest_age_s (float | None | Unset): Seconds the oldest unpublished event has waited (null when none)
        oldest_occurred_at (datetime.datetime | None | Unset):
    """

    service: str
    pending: int
    oldest_age_s: float | None | Unset = UNSET
    oldest_occurred_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service = self.service

        pending = self.pending

        oldest_age_s: float | None | Unset
        if isinstance(self.oldest_age_s, Unset):
            oldest_age_s = UNSET
        else:
            oldest_age_s = self.oldest_age_s

        oldest_occurred_at: None | str | Unset
        if isinstance(self.oldest_occurred_at, Unset):
            oldest_occurred_at = UNSET
        elif isinstance(self.oldest_occurred_at, datetime.datetime):
            oldest_occurred_at = self.oldest_occurred_at.isoformat()
        else:
            oldest_occurred_at = self.oldest_occurred_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "pending": pending,
            }
        )
        if oldest_age_s is not UNSET:
            field_dict["oldest_age_s"] = oldest_age_s
        if oldest_occurred_at is not UNSET:
            field_dict["oldest_occurred_at"] = oldest_occurred_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service = d.pop("service")

        pending = d.pop("pending")

        def _parse_oldest_age_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        oldest_age_s = _parse_oldest_age_s(d.pop("oldest_age_s", UNSET))

        def _parse_oldest_occurred_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                oldest_occurred_at_type_0 = datetime.datetime.fromisoformat(data)

                return oldest_occurred_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        oldest_occurred_at = _parse_oldest_occurred_at(d.pop("oldest_occurred_at", UNSET))

        outbox_backlog = cls(
            service=service,
            pending=pending,
            oldest_age_s=oldest_age_s,
            oldest_occurred_at=oldest_occurred_at,
        )

        outbox_backlog.additional_properties = d
        return outbox_backlog

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
