from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeadLetterReplay")


@_attrs_define
class DeadLetterReplay:
    """A replayed dead letter: its record is back on its topic; the consumers named will apply it once.

    Attributes:
        event_id (str):
        service (str):
        consumers (list[str]):
        topic (str):
        status (Literal['replayed'] | Unset):  Default: 'replayed'.
    """

    event_id: str
    service: str
    consumers: list[str]
    topic: str
    status: Literal["replayed"] | Unset = "replayed"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        service = self.service

        consumers = self.consumers

        topic = self.topic

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "service": service,
                "consumers": consumers,
                "topic": topic,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        service = d.pop("service")

        consumers = cast(list[str], d.pop("consumers"))

        topic = d.pop("topic")

        status = cast(Literal["replayed"] | Unset, d.pop("status", UNSET))
        if status != "replayed" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'replayed', got '{status}'")

        dead_letter_replay = cls(
            event_id=event_id,
            service=service,
            consumers=consumers,
            topic=topic,
            status=status,
        )

        dead_letter_replay.additional_properties = d
        return dead_letter_replay

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
