"""Standard Webhooks signatures (``standardwebhooks`` package) and the secrets they use."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24


def new_secret() -> str:
    """A fresh signing secret, ``whsec_`` + base64 of 24 random bytes (the Standard Webhooks form)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def encode_body(body: dict[str, Any]) -> str:
    """The exact bytes (as text) that are signed and sent."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def signature_header(message_id: str, timestamp: datetime, body: str, secrets_in_force: Iterable[str]) -> str:
    """``webhook-signature``: one ``v1,<base64>`` per secret, space separated (rotation sends both)."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets_in_force)


def delivery_headers(
    message_id: str, timestamp: datetime, body: str, secrets_in_force: Iterable[str]
) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "Trickle-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(message_id, timestamp, body, secrets_in_force),
    }
