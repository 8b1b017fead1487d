from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SignInExport")


@_attrs_define
class SignInExport:
    """How the account's holder signs in (the password itself is never exported, not even its hash).

    Attributes:
        email (str):
        password_changed_at (datetime.datetime):
        created_at (datetime.datetime):
        email_verified_at (datetime.datetime | None | Unset):
    """

    email: str
    password_changed_at: datetime.datetime
    created_at: datetime.datetime
    email_verified_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password_changed_at = self.password_changed_at.isoformat()

        created_at = self.created_at.isoformat()

        email_verified_at: None | str | Unset
        if isinstance(self.email_verified_at, Unset):
            email_verified_at = UNSET
        elif isinstance(self.email_verified_at, datetime.datetime):
            email_verified_at = self.email_verified_at.isoformat()
        else:
            email_verified_at = self.email_verified_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
                "password_changed_at": password_changed_at,
                "created_at": created_at,
            }
        )
        if email_verified_at is not UNSET:
            field_dict["email_verified_at"] = email_verified_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password_changed_at = datetime.datetime.fromisoformat(d.pop("password_changed_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_email_verified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                email_verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return email_verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        email_verified_at = _parse_email_verified_at(d.pop("email_verified_at", UNSET))

        sign_in_export = cls(
            email=email,
            password_changed_at=password_changed_at,
            created_at=created_at,
            email_verified_at=email_verified_at,
        )

        sign_in_export.additional_properties = d
        return sign_in_export

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
