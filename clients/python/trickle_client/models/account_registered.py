from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.api_key_created import ApiKeyCreated


T = TypeVar("T", bound="AccountRegistered")


@_attrs_define
class AccountRegistered:
    """The new account and its first API key: exchange the key at ``token_url`` for an access token.

    Attributes:
        account (Account):
        api_key (ApiKeyCreated): A key just created: ``secret`` (the OAuth2 ``client_secret``) is shown this once.
        token_url (str | Unset):  Default: '/v1/oauth/token'.
    """

    account: Account
    api_key: ApiKeyCreated
    token_url: str | Unset = "/v1/oauth/token"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account.to_dict()

        api_key = self.api_key.to_dict()

        token_url = self.token_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "api_key": api_key,
            }
        )
        if token_url is not UNSET:
            field_dict["token_url"] = token_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account import Account  # noqa: PLC0415
        from ..models.api_key_created import ApiKeyCreated  # noqa: PLC0415

        d = dict(src_dict)
        account = Account.from_dict(d.pop("account"))

        api_key = ApiKeyCreated.from_dict(d.pop("api_key"))

        token_url = d.pop("token_url", UNSET)

        account_registered = cls(
            account=account,
            api_key=api_key,
            token_url=token_url,
        )

        account_registered.additional_properties = d
        return account_registered

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
