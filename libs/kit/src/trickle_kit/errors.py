"""Domain errors a service raises without knowing HTTP; the endpoint maps them (``problems.input_from``).

A service names an input as the domain knows it (``amount.currency``, ``url``); only the
endpoint knows where the request carried it (the body, the query), so the endpoint turns the
error into its 422 problem naming ``body.amount.currency`` or ``query.url``.
"""

from __future__ import annotations


class InvalidInput(Exception):
    """The domain refuses an input: a stable ``code``, a ``detail`` for people, the input's dotted ``name``."""

    def __init__(self, code: str, detail: str, name: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.name = name
