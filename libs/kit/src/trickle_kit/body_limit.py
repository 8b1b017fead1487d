"""The request body limit (``max_body_bytes``), however the body arrives: 413 problem+json.

Applied by ``trickle_kit.edge.EdgeMiddleware``. A declared ``Content-Length`` over the limit
(or not a number) is refused before the app runs. A body without one
(``Transfer-Encoding: chunked``) or one longer than it said is counted as it streams in:
``receive`` is wrapped, and the first chunk that takes the count over the limit stops the
request. The app sees ``BodyTooLarge`` (a 413 ``ProblemError``) from ``receive``; whatever it
makes of that (FastAPI turns errors while reading a body into a 400), its response is dropped
and the 413 is sent instead, unless it had already started answering. The rest of the body
is never read.
"""

from __future__ import annotations

from trickle_kit.problems import ProblemError


class BodyTooLarge(ProblemError):
    """Raised from ``receive`` when the body being read has passed the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large", "Payload too large", f"Request bodies are limited to {limit} bytes")


def declared_too_large(content_length: bytes, limit: int) -> bool:
    """Whether a declared ``Content-Length`` refuses the request: over ``limit``, or not a number."""
    return not content_length.isdigit() or int(content_length) > limit
