from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PartitionCount")


@_attrs_define
class PartitionCount:
    """
    Attributes:
        partition (int):
        click_count (int):
        revoked_count (int):
    """

    partition: int
    click_count: int
    revoked_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        partition = self.partition

        click_count = self.click_count

        revoked_count = self.revoked_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "partition": partition,
                "click_count": click_count,
                "revoked_count": revoked_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        partition = d.pop("partition")

        click_count = d.pop("click_count")

        revoked_count = d.pop("revoked_count")

        partition_count = cls(
            partition=partition,
            click_count=click_count,
            revoked_count=revoked_count,
        )

        partition_count.additional_properties = d
        return partition_count

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
