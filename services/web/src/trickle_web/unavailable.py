"""The page for when the web's own database is away: plain HTML (rendering a template needs the
session, which lives in that database), a 503 with Retry-After, never a problem+json 500."""

from __future__ import annotations

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.responses import HTMLResponse

# Connection troubles of the sessions database (refused, dropped, pool exhausted), not bugs.
DATABASE_AWAY = (OSError, TimeoutError, OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_S = 30
DETAIL = "Trickle is not answering right now. Please try again in a minute."

PAGE = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not answering · Trickle</title><link rel="stylesheet" href="/static/trickle.css"></head>
<body><main id="main"><h1>Not answering</h1><p>{DETAIL}</p></main></body>
</html>
"""


def unavailable_page() -> HTMLResponse:
    return HTMLResponse(PAGE, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
