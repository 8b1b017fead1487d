from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccountExportElsewhere")


@_attrs_define
class AccountExportElsewhere:
    """Data about the account that another service holds, and the endpoint its holder reads it from.

    Attributes:
        service (str):
        holds (str):
        endpoint (str):
    """

    service: str
    holds: str
    endpoint: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service = self.service

        holds = self.holds

        endpoint = self.endpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "holds": holds,
                "endpoint": endpoint,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service = d.pop("service")

        holds = d.pop("holds")

        endpoint = d.pop("endpoint")

        account_export_elsewhere = cls(
            service=service,
            holds=holds,
            endpoint=endpoint,
        )

        account_export_elsewhere.additional_properties = d
        return account_export_elsewhere

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
