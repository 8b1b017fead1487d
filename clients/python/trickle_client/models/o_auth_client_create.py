from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.o_auth_client_create_client_type import (
    OAuthClientCreateClientType,
    check_o_auth_client_create_client_type,
)
from ..models.o_auth_client_create_scopes_type_0_item import (
    OAuthClientCreateScopesType0Item,
    check_o_auth_client_create_scopes_type_0_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="OAuthClientCreate")


@_attrs_define
class OAuthClientCreate:
    """A new client app. Redirect URIs are matched exactly: https, or http only to a loopback address.

    Attributes:
        name (str):
        redirect_uris (list[str]):
        client_type (OAuthClientCreateClientType): public: runs where a secret cannot be kept (browser, phone),
            authenticates with PKCE only; confidential: a server that keeps its client_secret
        scopes (list[OAuthClientCreateScopesType0Item] | None | Unset): The most the app may ask for; default: every
            scope
    """

    name: str
    redirect_uris: list[str]
    client_type: OAuthClientCreateClientType
    scopes: list[OAuthClientCreateScopesType0Item] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        redirect_uris = self.redirect_uris

        client_type: str = self.client_type

        scopes: list[str] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, list):
            scopes = []
            for scopes_type_0_item_data in self.scopes:
                scopes_type_0_item: str = scopes_type_0_item_data
                scopes.append(scopes_type_0_item)

        else:
            scopes = self.scopes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "redirect_uris": redirect_uris,
                "client_type": client_type,
            }
        )
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        redirect_uris = cast(list[str], d.pop("redirect_uris"))

        client_type = check_o_auth_client_create_client_type(d.pop("client_type"))

        def _parse_scopes(data: object) -> list[OAuthClientCreateScopesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = []
                _scopes_type_0 = data
                for scopes_type_0_item_data in _scopes_type_0:
                    scopes_type_0_item = check_o_auth_client_create_scopes_type_0_item(scopes_type_0_item_data)

                    scopes_type_0.append(scopes_type_0_item)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OAuthClientCreateScopesType0Item] | None | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))

        o_auth_client_create = cls(
            name=name,
            redirect_uris=redirect_uris,
            client_type=client_type,
            scopes=scopes,
        )

        return o_auth_client_create
