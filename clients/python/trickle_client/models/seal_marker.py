from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SealMarker")


@_attrs_define
class SealMarker:
    """A seal marker received for one partition of the click topic.

    Attributes:
        partition (int):
        partitions (int):
        click_count (int):
        revoked_count (int):
        received_at (datetime.datetime):
    """

    partition: int
    partitions: int
    click_count: int
    revoked_count: int
    received_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        partition = self.partition

        partitions = self.partitions

        click_count = self.click_count

        revoked_count = self.revoked_count

        received_at = self.received_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "partition": partition,
                "partitions": partitions,
                "click_count": click_count,
                "revoked_count": revoked_count,
                "received_at": received_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        partition = d.pop("partition")

        partitions = d.pop("partitions")

        click_count = d.pop("click_count")

        revoked_count = d.pop("revoked_count")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        seal_marker = cls(
            partition=partition,
            partitions=partitions,
            click_count=click_count,
            revoked_count=revoked_count,
            received_at=received_at,
        )

        seal_marker.additional_properties = d
        return seal_marker

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
