"""A JSON document stored as the text its writer encoded (``text`` in PostgreSQL, not ``jsonb``).

For the outbox's payloads: every one is encoded by ``trickle_kit.envelope.payload_text`` from a
validated event, read back only to be sent as it is, and never queried but by the rare erasure of
an account (which casts). ``jsonb`` parsed each payload into its binary form on the way in and
printed it again on the way out: a period close stages ~550 MB of payloads, and parsing them cost
PostgreSQL ~11 s of CPU against ~0.6 s for text (``docs/benchmarks.md``, settlement).

Python sees a dict as before: it binds as compact JSON and reads back parsed.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_DUMPS = json.JSONEncoder(separators=(",", ":")).encode  # as the outbox's bulk writers encode


class JsonText(TypeDecorator[Any]):
    """JSON in a ``text`` column: bound as compact JSON, read back parsed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else _DUMPS(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)
