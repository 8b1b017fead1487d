from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.o_auth_client_client_type import OAuthClientClientType, check_o_auth_client_client_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="OAuthClient")


@_attrs_define
class OAuthClient:
    """A registered client app. ``client_secret`` is never shown again.

    Attributes:
        client_id (str):
        account_id (str):
        name (str):
        client_type (OAuthClientClientType):
        redirect_uris (list[str]):
        scopes (list[str]):
        created_at (datetime.datetime):
        secret_hint (None | str | Unset): A confidential client's secret's last characters
    """

    client_id: str
    account_id: str
    name: str
    client_type: OAuthClientClientType
    redirect_uris: list[str]
    scopes: list[str]
    created_at: datetime.datetime
    secret_hint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        account_id = self.account_id

        name = self.name

        client_type: str = self.client_type

        redirect_uris = self.redirect_uris

        scopes = self.scopes

        created_at = self.created_at.isoformat()

        secret_hint: None | str | Unset
        if isinstance(self.secret_hint, Unset):
            secret_hint = UNSET
        else:
            secret_hint = self.secret_hint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "account_id": account_id,
                "name": name,
                "client_type": client_type,
                "redirect_uris": redirect_uris,
                "scopes": scopes,
                "created_at": created_at,
            }
        )
        if secret_hint is not UNSET:
            field_dict["secret_hint"] = secret_hint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        account_id = d.pop("account_id")

        name = d.pop("name")

        client_type = check_o_auth_client_client_type(d.pop("client_type"))

        redirect_uris = cast(list[str], d.pop("redirect_uris"))

        scopes = cast(list[str], d.pop("scopes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_secret_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret_hint = _parse_secret_hint(d.pop("secret_hint", UNSET))

        o_auth_client = cls(
            client_id=client_id,
            account_id=account_id,
            name=name,
            client_type=client_type,
            redirect_uris=redirect_uris,
            scopes=scopes,
            created_at=created_at,
            secret_hint=secret_hint,
        )

        o_auth_client.additional_properties = d
        return o_auth_client

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
