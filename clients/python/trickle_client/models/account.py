from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_kind import AccountKind, check_account_kind

T = TypeVar("T", bound="Account")


@_attrs_define
class Account:
    """
    Attributes:
        id (str):
        display_name (str):
        email (str):
        kind (AccountKind):
        currency (str):
        non_profit (bool):
        giving_public (bool):
        commission_bps (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    display_name: str
    email: str
    kind: AccountKind
    currency: str
    non_profit: bool
    giving_public: bool
    commission_bps: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        display_name = self.display_name

        email = self.email

        kind: str = self.kind

        currency = self.currency

        non_profit = self.non_profit

        giving_public = self.giving_public

        commission_bps = self.commission_bps

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "display_name": display_name,
                "email": email,
                "kind": kind,
                "currency": currency,
                "non_profit": non_profit,
                "giving_public": giving_public,
                "commission_bps": commission_bps,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        display_name = d.pop("display_name")

        email = d.pop("email")

        kind = check_account_kind(d.pop("kind"))

        currency = d.pop("currency")

        non_profit = d.pop("non_profit")

        giving_public = d.pop("giving_public")

        commission_bps = d.pop("commission_bps")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        account = cls(
            id=id,
            display_name=display_name,
            email=email,
            kind=kind,
            currency=currency,
            non_profit=non_profit,
            giving_public=giving_public,
            commission_bps=commission_bps,
            created_at=created_at,
            updated_at=updated_at,
        )

        account.additional_properties = d
        return account

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
