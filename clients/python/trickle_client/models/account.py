from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_kind import AccountKind, check_account_kind
from ..types import UNSET, Unset

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
        suspended (bool): Suspended by an operator: no new clicks, deposits, tips or payouts
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        suspended_reason (None | str | Unset):
        suspended_at (datetime.datetime | None | Unset):
        deleted_at (datetime.datetime | None | Unset): Deleted by its holder: personal data erased, the id kept for the
            books
    """

    id: str
    display_name: str
    email: str
    kind: AccountKind
    currency: str
    non_profit: bool
    giving_public: bool
    commission_bps: int
    suspended: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    suspended_reason: None | str | Unset = UNSET
    suspended_at: datetime.datetime | None | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
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

        suspended = self.suspended

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        suspended_reason: None | str | Unset
        if isinstance(self.suspended_reason, Unset):
            suspended_reason = UNSET
        else:
            suspended_reason = self.suspended_reason

        suspended_at: None | str | Unset
        if isinstance(self.suspended_at, Unset):
            suspended_at = UNSET
        elif isinstance(self.suspended_at, datetime.datetime):
            suspended_at = self.suspended_at.isoformat()
        else:
            suspended_at = self.suspended_at

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

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
                "suspended": suspended,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if suspended_reason is not UNSET:
            field_dict["suspended_reason"] = suspended_reason
        if suspended_at is not UNSET:
            field_dict["suspended_at"] = suspended_at
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at

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

        suspended = d.pop("suspended")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_suspended_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suspended_reason = _parse_suspended_reason(d.pop("suspended_reason", UNSET))

        def _parse_suspended_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suspended_at_type_0 = datetime.datetime.fromisoformat(data)

                return suspended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        suspended_at = _parse_suspended_at(d.pop("suspended_at", UNSET))

        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at", UNSET))

        account = cls(
            id=id,
            display_name=display_name,
            email=email,
            kind=kind,
            currency=currency,
            non_profit=non_profit,
            giving_public=giving_public,
            commission_bps=commission_bps,
            suspended=suspended,
            created_at=created_at,
            updated_at=updated_at,
            suspended_reason=suspended_reason,
            suspended_at=suspended_at,
            deleted_at=deleted_at,
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
