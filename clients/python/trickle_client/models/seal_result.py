from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.partition_count import PartitionCount
    from ..models.period import Period


T = TypeVar("T", bound="SealResult")


@_attrs_define
class SealResult:
    """A sealed period, the one now open, and the per-partition counts its markers carry.

    Attributes:
        sealed (Period): A calendar month (UTC) of clicks.
        opened (str):
        partitions (list[PartitionCount]):
    """

    sealed: Period
    opened: str
    partitions: list[PartitionCount]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sealed = self.sealed.to_dict()

        opened = self.opened

        partitions = []
        for partitions_item_data in self.partitions:
            partitions_item = partitions_item_data.to_dict()
            partitions.append(partitions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sealed": sealed,
                "opened": opened,
                "partitions": partitions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.partition_count import PartitionCount  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        sealed = Period.from_dict(d.pop("sealed"))

        opened = d.pop("opened")

        partitions = []
        _partitions = d.pop("partitions")
        for partitions_item_data in _partitions:
            partitions_item = PartitionCount.from_dict(partitions_item_data)

            partitions.append(partitions_item)

        seal_result = cls(
            sealed=sealed,
            opened=opened,
            partitions=partitions,
        )

        seal_result.additional_properties = d
        return seal_result

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
