"""Domain errors of the click-ledger that an endpoint finishes: a refused input.

A service names the input as the domain knows it (``url``, ``domain``, ``path_prefix``); only
the endpoint knows where the request carried it (the body, the query), so the endpoint turns
the error into its 422 problem (``deps.input_from``): ``body.url``, ``query.url``.
"""

from __future__ import annotations


class InvalidInput(Exception):
    """The domain refuses an input: a stable ``code``, a ``detail`` for people, the input's ``name``."""

    def __init__(self, code: str, detail: str, name: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.name = name
