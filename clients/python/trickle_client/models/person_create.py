from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PersonCreate")


@_attrs_define
class PersonCreate:
    """Sign up with an email address and a password: a person's account, signed in to with the password once the
    address is confirmed (the link in the mail).

        Attributes:
            email (str):
            password (str): 10 to 128 characters, not the email address
            display_name (str):
    """

    email: str
    password: str
    display_name: str

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        display_name = self.display_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
                "display_name": display_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        display_name = d.pop("display_name")

        person_create = cls(
            email=email,
            password=password,
            display_name=display_name,
        )

        return person_create
