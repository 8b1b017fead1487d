from typing import Literal

ApiKeyCreateScopesType0Item = Literal[
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

API_KEY_CREATE_SCOPES_TYPE_0_ITEM_VALUES: set[ApiKeyCreateScopesType0Item] = {
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


def check_api_key_create_scopes_type_0_item(value: str) -> ApiKeyCreateScopesType0Item:
    if value in API_KEY_CREATE_SCOPES_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_CREATE_SCOPES_TYPE_0_ITEM_VALUES!r}")
