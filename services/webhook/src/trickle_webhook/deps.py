"""What the webhook's endpoints take besides their input: auth aliases and the settings.

The session factory is the kit's (``trickle_kit.dependencies.Sessions``), imported from there.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from trickle_kit.auth import Principal, require
from trickle_webhook.settings import Settings

WebhooksRead = Annotated[Principal, require("webhooks:read")]
WebhooksWrite = Annotated[Principal, require("webhooks:write")]


# async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a thread hop per request.
async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


AppSettings = Annotated[Settings, Depends(get_settings)]
