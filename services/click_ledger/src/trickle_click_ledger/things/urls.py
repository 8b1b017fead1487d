"""URL canonicalisation: one page is one thing, whatever tracking noise its links carry (pure)."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that identify a campaign or a click, never the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")


class InvalidUrl(ValueError):
    """The text is not an http(s) URL Trickle can track; ``str(exc)`` says why."""


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_host(raw_host: str) -> str:
    host = raw_host.rstrip(".").lower()
    if not host:
        raise InvalidUrl("the URL has no host")
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if host.isascii():
        labels = host.split(".")
        if any(not label or len(label) > 63 for label in labels):
            raise InvalidUrl(f"invalid host name {raw_host!r}")
        allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        if any(set(label) - allowed for label in labels):
            raise InvalidUrl(f"invalid host name {raw_host!r}")
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidUrl(f"invalid international host name {raw_host!r}: {exc}") from exc


def canonical_url(raw: str) -> str:
    """The canonical form of an http(s) URL.

    Lower-case scheme and host, IDN host in punycode, default port and fragment dropped,
    empty path → ``/``, tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid`` …)
    removed, the remaining query parameters sorted. Raises ``InvalidUrl``.
    """
    text = raw.strip()
    if not text:
        raise InvalidUrl("the URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) < 0x21 for c in text):
        raise InvalidUrl("the URL contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"unparseable URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidUrl("only http and https URLs can be things")
    if parts.username is not None or parts.password is not None:
        raise InvalidUrl("URLs with user names or passwords cannot be things")
    host = _canonical_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query = urlencode(sorted(pairs), quote_via=quote, safe="/:@!$'()*,;~")
    canonical = urlunsplit((scheme, netloc, path, query, ""))
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    return canonical


def domain_of(canonical: str) -> str:
    """The host of a canonical URL (no port): what a domain claim covers."""
    host = urlsplit(canonical).hostname or ""
    return host


def canonical_domain(raw: str) -> str:
    """A claimable domain name: lower-case, punycode, no scheme, port, path or trailing dot."""
    text = raw.strip()
    malformed = not text or len(text) > 253 or "/" in text or "@" in text or ":" in text.strip("[]")
    if malformed and not _is_ipv6_literal(text):
        raise InvalidUrl(f"{raw!r} is not a domain name")
    return _canonical_host(text)


def _is_ipv6_literal(text: str) -> bool:
    try:
        return ipaddress.ip_address(text.strip("[]")).version == 6
    except ValueError:
        return False
