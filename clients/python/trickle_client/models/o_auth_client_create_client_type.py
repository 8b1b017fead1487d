from typing import Literal

OAuthClientCreateClientType = Literal["confidential", "public"]

O_AUTH_CLIENT_CREATE_CLIENT_TYPE_VALUES: set[OAuthClientCreateClientType] = {
    "confidential",
    "public",
}


def check_o_auth_client_create_client_type(value: str) -> OAuthClientCreateClientType:
    if value in O_AUTH_CLIENT_CREATE_CLIENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_CLIENT_CREATE_CLIENT_TYPE_VALUES!r}")
