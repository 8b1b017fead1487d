from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_attempt_outcome import WebhookAttemptOutcome, check_webhook_attempt_outcome

T = TypeVar("T", bound="WebhookAttempt")


@_attrs_define
class WebhookAttempt:
    """
    Attributes:
        id (str):
        message_id (str):
        endpoint_id (str):
        attempt (int): 1 for the first attempt of the message
        outcome (WebhookAttemptOutcome):
        status_code (int | None):
        latency_ms (int):
        response_excerpt (None | str): The start of the response body (at most 4 KiB)
        error (None | str):
        started_at (datetime.datetime):
    """

    id: str
    message_id: str
    endpoint_id: str
    attempt: int
    outcome: WebhookAttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: None | str
    error: None | str
    started_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message_id = self.message_id

        endpoint_id = self.endpoint_id

        attempt = self.attempt

        outcome: str = self.outcome

        status_code: int | None
        status_code = self.status_code

        latency_ms = self.latency_ms

        response_excerpt: None | str
        response_excerpt = self.response_excerpt

        error: None | str
        error = self.error

        started_at = self.started_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "message_id": message_id,
                "endpoint_id": endpoint_id,
                "attempt": attempt,
                "outcome": outcome,
                "status_code": status_code,
                "latency_ms": latency_ms,
                "response_excerpt": response_excerpt,
                "error": error,
                "started_at": started_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        message_id = d.pop("message_id")

        endpoint_id = d.pop("endpoint_id")

        attempt = d.pop("attempt")

        outcome = check_webhook_attempt_outcome(d.pop("outcome"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        latency_ms = d.pop("latency_ms")

        def _parse_response_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_excerpt = _parse_response_excerpt(d.pop("response_excerpt"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        webhook_attempt = cls(
            id=id,
            message_id=message_id,
            endpoint_id=endpoint_id,
            attempt=attempt,
            outcome=outcome,
            status_code=status_code,
            latency_ms=latency_ms,
            response_excerpt=response_excerpt,
            error=error,
            started_at=started_at,
        )

        webhook_attempt.additional_properties = d
        return webhook_attempt

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
