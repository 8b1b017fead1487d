"""A browser for the web app's unit tests: keeps the cookie, reads each form's CSRF token from the page."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')


@dataclass
class Browser:
    client: httpx.AsyncClient
    last_page: str = ""

    async def get(self, path: str) -> httpx.Response:
        response = await self.client.get(path)
        self.last_page = response.text
        return response

    def csrf_token(self) -> str:
        match = CSRF.search(self.last_page)
        assert match, "the last page has no CSRF token"
        return match.group(1)

    async def submit(self, path: str, data: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        """POST a form as the page would (with the token the last page carried)."""
        form = dict(data)
        if csrf:
            form.setdefault("csrf_token", self.csrf_token())
        response = await self.client.post(path, data=form)
        self.last_page = response.text
        return response
