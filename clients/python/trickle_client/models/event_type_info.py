from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.data_schema import DataSchema


T = TypeVar("T", bound="EventTypeInfo")


@_attrs_define
class EventTypeInfo:
    """
    Attributes:
        name (str):
        description (str):
        schema_version (int):
        topic (str): The Kafka topic it travels on inside the platform
        data_schema (DataSchema): JSON schema of the delivery's data field
    """

    name: str
    description: str
    schema_version: int
    topic: str
    data_schema: DataSchema
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        schema_version = self.schema_version

        topic = self.topic

        data_schema = self.data_schema.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "schema_version": schema_version,
                "topic": topic,
                "data_schema": data_schema,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.data_schema import DataSchema  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        schema_version = d.pop("schema_version")

        topic = d.pop("topic")

        data_schema = DataSchema.from_dict(d.pop("data_schema"))

        event_type_info = cls(
            name=name,
            description=description,
            schema_version=schema_version,
            topic=topic,
            data_schema=data_schema,
        )

        event_type_info.additional_properties = d
        return event_type_info

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
