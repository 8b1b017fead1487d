from typing import Literal

OAuthClientCreateScopesType0Item = Literal[
    "accounts:read",
    "accounts:write",
    "clicks:read",
    "clicks:write",
    "ledger:read",
    "wallet:read",
    "wallet:write",
    "webhooks:read",
    "webhooks:write",
]

O_AUTH_CLIENT_CREATE_SCOPES_TYPE_0_ITEM_VALUES: set[OAuthClientCreateScopesType0Item] = {
    "accounts:read",
    "accounts:write",
    "clicks:read",
    "clicks:write",
    "ledger:read",
    "wallet:read",
    "wallet:write",
    "webhooks:read",
    "webhooks:write",
}


def check_o_auth_client_create_scopes_type_0_item(value: str) -> OAuthClientCreateScopesType0Item:
    if value in O_AUTH_CLIENT_CREATE_SCOPES_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_CLIENT_CREATE_SCOPES_TYPE_0_ITEM_VALUES!r}")
