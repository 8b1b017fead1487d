"""URL canonicalisation: one page is one thing, whatever tracking noise its links carry (pure)."""

from __future__ import annotations

import ipaddress
import string
import unicodedata
from urllib.parse import unquote, unquote_to_bytes, urlsplit, urlunsplit

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


# RFC 3986 §2.3: percent-encoded unreserved characters mean the characters themselves.
UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
# Reserved characters (gen-delims and sub-delims): encoded and raw differ in meaning (§2.2),
# so an encoded one stays encoded and a raw one stays raw.
RESERVED = frozenset(":/?#[]@!$&'()*+,;=")
# What a canonical path shows raw: unreserved, sub-delims, ":", "@" and the separator "/".
PATH_RAW = UNRESERVED | frozenset("!$&'()*+,;=:@/")
# What a canonical query name or value shows raw (the rest, "&", "=", "+" included, is encoded).
QUERY_RAW = UNRESERVED | frozenset("/:@!$'()*,;")
_HEX = frozenset(string.hexdigits)


def _host_text(raw_host: str) -> str:
    """Unicode host text: percent-decoded, UTS #46 mapped (case, width, IDNA full stops), no trailing dot."""
    host = raw_host
    if "%" in host:
        try:
            host = unquote(host, errors="strict")
        except UnicodeDecodeError as exc:
            raise InvalidUrl(f"invalid host name {raw_host!r}") from exc
    try:
        host = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, ValueError) as exc:
        raise InvalidUrl(f"invalid international host name {raw_host!r}: {exc}") from exc
    return host.rstrip(".")


def _canonical_host(raw_host: str) -> str:
    try:
        return str(ipaddress.ip_address(raw_host.strip("[]")))
    except ValueError:
        pass
    host = _host_text(raw_host)
    if not host:
        raise InvalidUrl("the URL has no host")
    try:
        return str(ipaddress.ip_address(host))
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


def _encode_text(text: str, raw: frozenset[str]) -> str:
    """NFC, then every character outside ``raw`` percent-encoded as UTF-8 with upper-case hex.

    Octets that were not valid UTF-8 travel as lone surrogates (``surrogateescape``) and come
    back as the same octets."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in raw:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))
    return "".join(out)


def _normalise_path(path: str) -> str:
    """RFC 3986 §6.2.2 on a path: percent-encoded unreserved characters decoded, encoded
    reserved ones kept encoded (upper-case hex), IRI characters NFC and UTF-8 encoded, so a
    raw ``é``, its NFD spelling and ``%c3%a9`` are one ``%C3%A9``."""
    pieces: list[str] = []  # canonical text, built from decoded runs and kept-encoded octets
    octets = bytearray()  # decoded octets (and raw characters as UTF-8) not yet written

    def flush() -> None:
        if octets:
            pieces.append(_encode_text(octets.decode("utf-8", "surrogateescape"), PATH_RAW))
            octets.clear()

    i = 0
    while i < len(path):
        ch = path[i]
        if ch == "%" and len(path) >= i + 3 and path[i + 1] in _HEX and path[i + 2] in _HEX:
            value = int(path[i + 1 : i + 3], 16)
            if chr(value) in RESERVED:
                flush()
                pieces.append(f"%{value:02X}")
            else:
                octets.append(value)
            i += 3
            continue
        try:
            octets.extend(ch.encode("utf-8"))  # a stray "%" too: it is written as %25
        except UnicodeEncodeError as exc:
            raise InvalidUrl("the URL contains an unpaired surrogate") from exc
        i += 1
    flush()
    return remove_dot_segments("".join(pieces)) or "/"


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: ``/a/./b/../c`` → ``/a/c``."""
    output: list[str] = []
    for segment in path.split("/")[1:] if path.startswith("/") else path.split("/"):
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    # A path ending in "." or ".." names a directory: keep its trailing slash.
    if path.endswith(("/.", "/..")) or path in (".", ".."):
        output.append("")
    return "/" + "/".join(output)


def _query_text(part: str) -> str:
    """A query name or value as text: "+" is a space (form encoding), every octet decoded."""
    return unquote_to_bytes(part.replace("+", " ")).decode("utf-8", "surrogateescape")


def _normalise_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        decoded = unicodedata.normalize("NFC", _query_text(name))
        if is_tracking_param(decoded):
            continue
        pairs.append((_encode_text(decoded, QUERY_RAW), _encode_text(_query_text(value), QUERY_RAW)))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_url(raw: str) -> str:
    """The canonical form of an http(s) URL or IRI: every spelling of one page gives one string.

    RFC 3986 §6.2.2: lower-case scheme and host, percent-encoding in upper-case hex, encoded
    unreserved characters decoded, dot segments removed, default port dropped; IRI text in
    NFC, written as UTF-8 percent-encoding (the URI form ``location.href`` shows); host after
    UTS #46 mapping (IDNA full stops such as U+3002 are dots) in punycode, without its
    trailing dot. Fragment dropped, empty path → ``/``, tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``, ``mc_cid`` …) removed, the remaining query parameters sorted
    (form encoding: ``+`` is a space). Raises ``InvalidUrl``.
    """
    text = raw.strip()
    if not text:
        raise InvalidUrl("the URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in text):
        raise InvalidUrl("the URL contains spaces or control characters")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # JSON can carry them; UTF-8 cannot
        raise InvalidUrl("the URL contains an unpaired surrogate")
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
    canonical = urlunsplit((scheme, netloc, _normalise_path(parts.path), _normalise_query(parts.query), ""))
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    return canonical


def path_of(canonical: str) -> str:
    """The path of a canonical URL (no query): what a path-prefix claim covers."""
    return urlsplit(canonical).path or "/"


def canonical_path_prefix(raw: str) -> str:
    """A claimable path prefix such as ``/alice``: canonical like a URL's path, no trailing slash."""
    text = raw.strip()
    if not text.startswith("/") or "?" in text or "#" in text or any(ord(c) < 0x21 for c in text):
        raise InvalidUrl(f"{raw!r} is not a path such as /alice")
    if len(text) > 1024:
        raise InvalidUrl("the path prefix is longer than 1024 characters")
    prefix = _normalise_path(text).rstrip("/")
    if not prefix:
        raise InvalidUrl("a path prefix names more than the whole site, such as /alice")
    return prefix


def under_prefix(path: str, prefix: str) -> bool:
    """Whether a canonical path lies under a canonical prefix (whole segments: /alice is not /alice2)."""
    return not prefix or path == prefix or path.startswith(prefix + "/")


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
