"""What endpoints share: auth aliases, the settings, whose items a caller may act on or list.

A refused input is the kit's ``trickle_kit.errors.InvalidInput``, turned into its 422 problem at
the edge by ``trickle_kit.problems.input_from``.

The session factory is the kit's (``trickle_kit.dependencies.Sessions``), imported from there.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from trickle_click_ledger.settings import Settings
from trickle_kit.auth import Principal, require
from trickle_kit.problems import ProblemError
from trickle_kit.readable import Reader

ClicksRead = Annotated[Principal, require("clicks:read")]
ClicksWrite = Annotated[Principal, require("clicks:write")]
Operator = Annotated[Principal, require("operator")]


# async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a thread hop per request.
async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


AppSettings = Annotated[Settings, Depends(get_settings)]


def account_of(principal: Principal) -> str:
    """The caller's account; operator tokens without one cannot act as a patron or creator."""
    if principal.account_id is None:
        raise ProblemError(403, "account_required", "Forbidden", "This needs an account's token, not an operator's")
    return principal.account_id


def owner_filter(principal: Principal, account_id: str | None) -> str:
    """Whose items to list: the caller's own, or (operators only) any account's."""
    if account_id is not None and account_id != principal.account_id:
        if not Reader.of(principal).holds(account_id):
            raise ProblemError(403, "forbidden", "Forbidden", "You may only list your own items")
        return account_id
    return account_of(principal) if account_id is None else account_id
