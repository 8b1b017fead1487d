from typing import Literal

OAuthClientClientType = Literal["confidential", "public"]

O_AUTH_CLIENT_CLIENT_TYPE_VALUES: set[OAuthClientClientType] = {
    "confidential",
    "public",
}


def check_o_auth_client_client_type(value: str) -> OAuthClientClientType:
    if value in O_AUTH_CLIENT_CLIENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_CLIENT_CLIENT_TYPE_VALUES!r}")
