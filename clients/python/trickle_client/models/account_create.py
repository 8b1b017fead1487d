from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.account_create_kind import AccountCreateKind, check_account_create_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountCreate")


@_attrs_define
class AccountCreate:
    """Self-registration: anyone may open an account.

    Attributes:
        display_name (str):
        email (str):
        kind (AccountCreateKind | Unset):  Default: 'person'.
        currency (str | Unset): ISO 4217 code Default: 'EUR'.
    """

    display_name: str
    email: str
    kind: AccountCreateKind | Unset = "person"
    currency: str | Unset = "EUR"

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        email = self.email

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
                "email": email,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        email = d.pop("email")

        _kind = d.pop("kind", UNSET)
        kind: AccountCreateKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = check_account_create_kind(_kind)

        currency = d.pop("currency", UNSET)

        account_create = cls(
            display_name=display_name,
            email=email,
            kind=kind,
            currency=currency,
        )

        return account_create
