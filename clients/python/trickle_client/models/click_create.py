from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClickCreate")


@_attrs_define
class ClickCreate:
    """Click a registered thing (``thing_id``) or any web page (``url``): exactly one of them.

    Attributes:
        thing_id (None | str | Unset):
        url (None | str | Unset):
    """

    thing_id: None | str | Unset = UNSET
    url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        thing_id: None | str | Unset
        if isinstance(self.thing_id, Unset):
            thing_id = UNSET
        else:
            thing_id = self.thing_id

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if thing_id is not UNSET:
            field_dict["thing_id"] = thing_id
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_thing_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        thing_id = _parse_thing_id(d.pop("thing_id", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        click_create = cls(
            thing_id=thing_id,
            url=url,
        )

        return click_create
