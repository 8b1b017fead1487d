"""Where to go after signing in: only a path of this site (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_NEXT = "/wallet"


def safe_next(value: str | None, default: str = DEFAULT_NEXT) -> str:
    """``value`` if it is a local path (``/clicks?x=1``), else ``default``.

    Refused: absolute URLs, scheme-relative ``//host``, backslashes (browsers read ``/\\host`` as
    ``//host``), control characters, and anything that does not start with one ``/``.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
