from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeadLetterDetail")


@_attrs_define
class DeadLetterDetail:
    """A dead letter with its record, read back from the dead-letter topic.

    Attributes:
        event_id (str):
        service (str):
        consumer (str):
        dead_at (datetime.datetime):
        error (None | str | Unset): Why the handler refused it
        topic (None | str | Unset): The topic it was consumed from (null: record not found)
        partition (int | None | Unset):
        offset (int | None | Unset):
        event_type (None | str | Unset):
        reason (None | str | Unset): The reason the dead-letter record carries
        payload (Any | Unset): The event's payload as published
    """

    event_id: str
    service: str
    consumer: str
    dead_at: datetime.datetime
    error: None | str | Unset = UNSET
    topic: None | str | Unset = UNSET
    partition: int | None | Unset = UNSET
    offset: int | None | Unset = UNSET
    event_type: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    payload: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        service = self.service

        consumer = self.consumer

        dead_at = self.dead_at.isoformat()

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        topic: None | str | Unset
        if isinstance(self.topic, Unset):
            topic = UNSET
        else:
            topic = self.topic

        partition: int | None | Unset
        if isinstance(self.partition, Unset):
            partition = UNSET
        else:
            partition = self.partition

        offset: int | None | Unset
        if isinstance(self.offset, Unset):
            offset = UNSET
        else:
            offset = self.offset

        event_type: None | str | Unset
        if isinstance(self.event_type, Unset):
            event_type = UNSET
        else:
            event_type = self.event_type

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        payload = self.payload

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "service": service,
                "consumer": consumer,
                "dead_at": dead_at,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if topic is not UNSET:
            field_dict["topic"] = topic
        if partition is not UNSET:
            field_dict["partition"] = partition
        if offset is not UNSET:
            field_dict["offset"] = offset
        if event_type is not UNSET:
            field_dict["event_type"] = event_type
        if reason is not UNSET:
            field_dict["reason"] = reason
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        service = d.pop("service")

        consumer = d.pop("consumer")

        dead_at = datetime.datetime.fromisoformat(d.pop("dead_at"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_topic(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        topic = _parse_topic(d.pop("topic", UNSET))

        def _parse_partition(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        partition = _parse_partition(d.pop("partition", UNSET))

        def _parse_offset(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        offset = _parse_offset(d.pop("offset", UNSET))

        def _parse_event_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_type = _parse_event_type(d.pop("event_type", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        payload = d.pop("payload", UNSET)

        dead_letter_detail = cls(
            event_id=event_id,
            service=service,
            consumer=consumer,
            dead_at=dead_at,
            error=error,
            topic=topic,
            partition=partition,
            offset=offset,
            event_type=event_type,
            reason=reason,
            payload=payload,
        )

        dead_letter_detail.additional_properties = d
        return dead_letter_detail

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
