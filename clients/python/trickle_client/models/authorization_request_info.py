from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.scope_description import ScopeDescription


T = TypeVar("T", bound="AuthorizationRequestInfo")


@_attrs_define
class AuthorizationRequestInfo:
    """A valid authorization request, for the consent page to show before the person decides.

    Attributes:
        client_id (str):
        client_name (str):
        redirect_uri (str):
        scopes (list[ScopeDescription]):
        state (None | str | Unset):
    """

    client_id: str
    client_name: str
    redirect_uri: str
    scopes: list[ScopeDescription]
    state: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_name = self.client_name

        redirect_uri = self.redirect_uri

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.to_dict()
            scopes.append(scopes_item)

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_name": client_name,
                "redirect_uri": redirect_uri,
                "scopes": scopes,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scope_description import ScopeDescription  # noqa: PLC0415

        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_name = d.pop("client_name")

        redirect_uri = d.pop("redirect_uri")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = ScopeDescription.from_dict(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        authorization_request_info = cls(
            client_id=client_id,
            client_name=client_name,
            redirect_uri=redirect_uri,
            scopes=scopes,
            state=state,
        )

        authorization_request_info.additional_properties = d
        return authorization_request_info

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
