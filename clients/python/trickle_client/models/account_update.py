from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountUpdate")


@_attrs_define
class AccountUpdate:
    """Change what an account holder may change; absent fields stay as they are.

    Attributes:
        display_name (None | str | Unset):
        giving_public (bool | None | Unset): Show my name on the things I click
    """

    display_name: None | str | Unset = UNSET
    giving_public: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        giving_public: bool | None | Unset
        if isinstance(self.giving_public, Unset):
            giving_public = UNSET
        else:
            giving_public = self.giving_public

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if giving_public is not UNSET:
            field_dict["giving_public"] = giving_public

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_giving_public(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        giving_public = _parse_giving_public(d.pop("giving_public", UNSET))

        account_update = cls(
            display_name=display_name,
            giving_public=giving_public,
        )

        return account_update
