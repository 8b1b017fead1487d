from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.callback_ack_outcome import CallbackAckOutcome, check_callback_ack_outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallbackAck")


@_attrs_define
class CallbackAck:
    """
    Attributes:
        outcome (CallbackAckOutcome): applied: the status changed; unchanged: nothing to change; ignored: would have
            regressed a final status; duplicate: this callback was already received
        received (bool | Unset):  Default: True.
    """

    outcome: CallbackAckOutcome
    received: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome: str = self.outcome

        received = self.received

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome": outcome,
            }
        )
        if received is not UNSET:
            field_dict["received"] = received

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = check_callback_ack_outcome(d.pop("outcome"))

        received = d.pop("received", UNSET)

        callback_ack = cls(
            outcome=outcome,
            received=received,
        )

        callback_ack.additional_properties = d
        return callback_ack

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
