from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimCreate")


@_attrs_define
class ClaimCreate:
    """Start proving that you control a domain, or a path prefix on a shared host (github.com/alice).

    Attributes:
        domain (str):
        path_prefix (None | str | Unset): Only on shared hosts (github.com, youtube.com, medium.com … as configured),
            where it is required: the part of the host that is yours
    """

    domain: str
    path_prefix: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        path_prefix: None | str | Unset
        if isinstance(self.path_prefix, Unset):
            path_prefix = UNSET
        else:
            path_prefix = self.path_prefix

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
            }
        )
        if path_prefix is not UNSET:
            field_dict["path_prefix"] = path_prefix

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        domain = d.pop("domain")

        def _parse_path_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        path_prefix = _parse_path_prefix(d.pop("path_prefix", UNSET))

        claim_create = cls(
            domain=domain,
            path_prefix=path_prefix,
        )

        return claim_create
