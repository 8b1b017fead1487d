"""The connection to the gateway: an operator token from client credentials, then the generated client.

Every command calls the API through ``Gateway.call`` (an operation of the generated client,
``trickle_client``) or, for an operation the generated client may not have yet,
``Gateway.request``; both return the answer's JSON or raise ``ApiProblem`` / ``CliError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from trickle_client import AuthenticatedClient, Client
from trickle_client.api.wallet import create_token
from trickle_client.models import BodyCreateToken

from trickle_cli.errors import ApiProblem, CliError, Exit

DEFAULT_URL = "http://127.0.0.1:8080"
TIMEOUT_S = 30.0


class _Answer(Protocol):
    @property
    def status_code(self) -> Any: ...
    @property
    def content(self) -> bytes: ...


@dataclass
class Gateway:
    """Where the platform is and who the operator is; the token is fetched on first use."""

    url: str
    client_id: str
    client_secret: str | None
    timeout_s: float = TIMEOUT_S
    _client: AuthenticatedClient | None = field(default=None, init=False, repr=False)

    def client(self) -> AuthenticatedClient:
        if self._client is None:
            self._client = AuthenticatedClient(
                base_url=self.url, token=self._token(), timeout=httpx.Timeout(self.timeout_s)
            )
        return self._client

    def _token(self) -> str:
        if not self.client_secret:
            raise CliError(Exit.USAGE, "no operator credential: give --client-secret or set TRICKLE_CLIENT_SECRET")
        anonymous = Client(base_url=self.url, timeout=httpx.Timeout(self.timeout_s))
        body = BodyCreateToken(
            grant_type="client_credentials", client_id=self.client_id, client_secret=self.client_secret
        )
        answer = self._send(lambda: create_token.sync_detailed(client=anonymous, body=body))
        return str(answer["access_token"])

    def call(self, operation: Callable[..., _Answer], **kwargs: Any) -> Any:
        """Run a generated operation's ``sync_detailed`` and return its JSON answer."""
        return self._send(lambda: operation(client=self.client(), **kwargs))

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None) -> Any:
        """A request by path through the same authenticated client: the operator endpoints
        (``/v1/operations/...``, ``GET /v1/accounts``) until the generated client has them."""
        http = self.client().get_httpx_client()
        return self._send(lambda: http.request(method, path, params=params))

    def _send(self, send: Callable[[], _Answer]) -> Any:
        try:
            answer = send()
        except httpx.TransportError as exc:
            raise CliError(Exit.UNAVAILABLE, f"gateway unreachable at {self.url}: {exc or type(exc).__name__}") from exc
        status = int(answer.status_code)
        body = _json(answer.content)
        if status >= 400:
            problem = body if isinstance(body, dict) else {"title": f"HTTP {status}", "detail": str(body)[:300]}
            raise ApiProblem(status, problem)
        return body


def _json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")
