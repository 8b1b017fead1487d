"""What the wallet's endpoints take besides their input: auth aliases, the settings, the payment provider.

The session factory is the kit's (``trickle_kit.dependencies.Sessions``), imported from there.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from trickle_kit.auth import OPERATOR, Principal, require
from trickle_wallet.providers.base import PaymentProvider
from trickle_wallet.providers.registry import payment_provider
from trickle_wallet.settings import Settings

AccountsRead = Annotated[Principal, require("accounts:read")]
AccountsWrite = Annotated[Principal, require("accounts:write")]
WalletRead = Annotated[Principal, require("wallet:read")]
WalletWrite = Annotated[Principal, require("wallet:write")]
Operator = Annotated[Principal, require(OPERATOR)]


# async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a thread hop per request.
async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


AppSettings = Annotated[Settings, Depends(get_settings)]
Provider = Annotated[PaymentProvider, Depends(payment_provider)]
