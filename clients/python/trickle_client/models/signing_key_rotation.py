from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signing_key_info import SigningKeyInfo


T = TypeVar("T", bound="SigningKeyRotation")


@_attrs_define
class SigningKeyRotation:
    """The outcome of a rotation: the new active key and the one it replaced.

    Attributes:
        active (SigningKeyInfo): A signing key's public facts (never the private key).
        retired (None | SigningKeyInfo):
    """

    active: SigningKeyInfo
    retired: None | SigningKeyInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.signing_key_info import SigningKeyInfo  # noqa: PLC0415

        active = self.active.to_dict()

        retired: dict[str, Any] | None
        if isinstance(self.retired, SigningKeyInfo):
            retired = self.retired.to_dict()
        else:
            retired = self.retired

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "retired": retired,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signing_key_info import SigningKeyInfo  # noqa: PLC0415

        d = dict(src_dict)
        active = SigningKeyInfo.from_dict(d.pop("active"))

        def _parse_retired(data: object) -> None | SigningKeyInfo:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retired_type_0 = SigningKeyInfo.from_dict(data)

                return retired_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SigningKeyInfo, data)

        retired = _parse_retired(d.pop("retired"))

        signing_key_rotation = cls(
            active=active,
            retired=retired,
        )

        signing_key_rotation.additional_properties = d
        return signing_key_rotation

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
