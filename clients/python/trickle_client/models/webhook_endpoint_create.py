from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointCreate")


@_attrs_define
class WebhookEndpointCreate:
    """
    Attributes:
        url (str): Where deliveries are POSTed (http or https; private addresses are refused)
        description (str | Unset):  Default: ''.
        event_types (list[str] | Unset): Event types wanted; empty means every type offered to webhooks
        enabled (bool | Unset):  Default: True.
        all_accounts (bool | Unset): Operators only: receive the events of every account Default: False.
        account_id (None | str | Unset): Operators only: the account this endpoint belongs to (callers with an account
            use theirs)
    """

    url: str
    description: str | Unset = ""
    event_types: list[str] | Unset = UNSET
    enabled: bool | Unset = True
    all_accounts: bool | Unset = False
    account_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        description = self.description

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = self.event_types

        enabled = self.enabled

        all_accounts = self.all_accounts

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if all_accounts is not UNSET:
            field_dict["all_accounts"] = all_accounts
        if account_id is not UNSET:
            field_dict["account_id"] = account_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        description = d.pop("description", UNSET)

        event_types = cast(list[str], d.pop("event_types", UNSET))

        enabled = d.pop("enabled", UNSET)

        all_accounts = d.pop("all_accounts", UNSET)

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        webhook_endpoint_create = cls(
            url=url,
            description=description,
            event_types=event_types,
            enabled=enabled,
            all_accounts=all_accounts,
            account_id=account_id,
        )

        return webhook_endpoint_create
