"""Renders pages: ``await render(request, "wallet.html", {...})``.

Every page gets the session's CSRF token (``csrf_token``), who is signed in (``account_id``)
and the form macros (templates/macros.html). Autoescaping is on for every template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from trickle_web.csrf import CSRF_FIELD
from trickle_web.forms import IDEMPOTENCY_FIELD, Form
from trickle_web.money import decimal_text, format_money
from trickle_web.sessions.browser import browser, ensure_session

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.filters["money"] = format_money
TEMPLATES.env.filters["cents"] = decimal_text


async def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    session = await ensure_session(request)
    page = {
        "csrf_field": CSRF_FIELD,
        "csrf_token": session.csrf_secret,
        "idempotency_field": IDEMPOTENCY_FIELD,
        "account_id": browser(request).account_id,
        "form": Form(),
    } | (context or {})
    return TEMPLATES.TemplateResponse(request, template, page, status_code=status_code)
