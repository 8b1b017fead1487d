from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.scope_description import ScopeDescription


T = TypeVar("T", bound="AuthorizedApp")


@_attrs_define
class AuthorizedApp:
    """A third-party app the account authorized (every live grant to it, together).

    Attributes:
        client_id (str):
        client_name (str):
        scopes (list[ScopeDescription]):
        authorized_at (datetime.datetime):
        last_used_at (datetime.datetime):
    """

    client_id: str
    client_name: str
    scopes: list[ScopeDescription]
    authorized_at: datetime.datetime
    last_used_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_name = self.client_name

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.to_dict()
            scopes.append(scopes_item)

        authorized_at = self.authorized_at.isoformat()

        last_used_at = self.last_used_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_name": client_name,
                "scopes": scopes,
                "authorized_at": authorized_at,
                "last_used_at": last_used_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scope_description import ScopeDescription  # noqa: PLC0415

        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_name = d.pop("client_name")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = ScopeDescription.from_dict(scopes_item_data)

            scopes.append(scopes_item)

        authorized_at = datetime.datetime.fromisoformat(d.pop("authorized_at"))

        last_used_at = datetime.datetime.fromisoformat(d.pop("last_used_at"))

        authorized_app = cls(
            client_id=client_id,
            client_name=client_name,
            scopes=scopes,
            authorized_at=authorized_at,
            last_used_at=last_used_at,
        )

        authorized_app.additional_properties = d
        return authorized_app

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
