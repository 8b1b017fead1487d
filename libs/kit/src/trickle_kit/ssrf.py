"""Outbound HTTP to user-given URLs without server-side request forgery (SSRF).

Use it for every URL a user controls (claim verification, webhook endpoints)::

    from trickle_kit.ssrf import FetchError, SsrfRefused, safe_get

    try:
        response = await safe_get(url, allow=settings.ssrf_allow, timeout_s=5, max_bytes=64 * 1024)
    except SsrfRefused as exc:      # the address is not public (exc.reason says why)
        ...
    except FetchError as exc:       # time-out, connection error, too large, too many redirects
        ...

What it guarantees:

- the host name is resolved once (``asyncio`` ``getaddrinfo``) and **every** address it
  resolves to must be public: loop-back, private (RFC 1918, ULA), link-local (incl.
  169.254.169.254 metadata), CGNAT (100.64/10), multicast, reserved, unspecified,
  benchmarking, documentation ranges and IPv6 forms that embed such an IPv4 address
  (IPv4-mapped, NAT64, 6to4, Teredo) are refused;
- the connection goes to the vetted address (no second DNS lookup that an attacker's
  name server could answer differently), with the original ``Host`` header and TLS SNI,
  and the certificate is checked against the original host name;
- redirects are followed by hand, each target vetted again, up to ``max_redirects``;
- a total time-out and a cap on the response body size.

``allow`` is the operator's allow-list (``KitSettings.ssrf_allow``): entries are IP
networks (``"127.0.0.0/8"``, ``"::1"``) whose addresses are accepted although not
public, or host names (``"localhost"``) whose resolved addresses are accepted. Empty in
production; tests allow-list loop-back to reach a local server.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
# Ranges that ``ipaddress`` may report as global but must not be reached.
_EXTRA_BLOCKED = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "255.255.255.255/32",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
        "100::/64",
    )
]


class FetchError(Exception):
    """The fetch failed (time-out, connection, size, redirects); ``reason`` is a stable short code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class SsrfRefused(FetchError):
    """The URL or one of its addresses is not allowed (not public and not allow-listed)."""


@dataclass(frozen=True)
class Target:
    """A vetted URL: where to connect (``address``) and what to say (``host``, ``url``)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


@dataclass
class SafeResponse:
    """The final response (after redirects): status, headers, body (at most ``max_bytes``)."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    embedded: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        embedded.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        embedded.append(ip.sixtofour)
    if ip.teredo is not None:
        embedded.extend(ip.teredo)
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    # IPv4-compatible (deprecated) ::a.b.c.d
    if int(ip) >> 32 == 0 and int(ip) > 1:
        embedded.append(ipaddress.IPv4Address(int(ip)))
    return embedded


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be reached (``None``: it is a public address)."""
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link_local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return name
    if any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version):
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in _embedded_ipv4(ip):
            why = forbidden_reason(inner)
            if why:
                return f"embedded_ipv4_{why}"
    if not ip.is_global:
        return "not_global"
    return None


@dataclass(frozen=True)
class AllowList:
    """The operator's exceptions: networks and host names that may be reached although not public."""

    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Sequence[str] | AllowList | None) -> AllowList:
        if isinstance(entries, AllowList):
            return entries
        networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        hosts: set[str] = set()
        for raw in entries or ():
            entry = raw.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows(self, host: str, ip: IPAddress) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        return any(ip.version == net.version and ip in net for net in self.networks)


def check_ip(ip: str | IPAddress, *, allow: Sequence[str] | AllowList | None = None, host: str = "") -> None:
    """Raise ``SsrfRefused`` unless ``ip`` is public or allow-listed."""
    addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    allowed = AllowList.parse(allow)
    why = forbidden_reason(addr)
    if why and not allowed.allows(host or str(addr), addr):
        raise SsrfRefused(why, f"{host or addr} resolves to {addr}, which is {why.replace('_', ' ')}")


async def system_resolver(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (A and AAAA) from the system resolver."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def check_url(
    url: str,
    *,
    allow: Sequence[str] | AllowList | None = None,
    schemes: Sequence[str] = ("http", "https"),
    resolver: Resolver | None = None,
) -> Target:
    """Vet ``url``: scheme, no credentials, and every address of its host public or allow-listed.

    Returns the ``Target`` to connect to (its first address); raises ``SsrfRefused``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SsrfRefused("invalid_url", str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise SsrfRefused("scheme", f"scheme {scheme!r} is not allowed")
    if parts.username is not None or parts.password is not None:
        raise SsrfRefused("credentials", "URLs with credentials are not allowed")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise SsrfRefused("invalid_url", "the URL has no host")
    port = port or (443 if scheme == "https" else 80)
    allowed = AllowList.parse(allow)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await (resolver or system_resolver)(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("dns", f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise FetchError("dns", f"{host} has no address")
    for address in addresses:
        check_ip(address.split("%", 1)[0], allow=allowed, host=host)
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0].split("%", 1)[0])


Pinned = tuple[str, dict[str, str], dict[str, str]]


def pinned_request(target: Target) -> Pinned:
    """``(url, headers, extensions)`` of a request to the vetted address of ``target``.

    The URL names the address (no second resolution can lead elsewhere); the Host header and
    the TLS server name keep the original host, so virtual hosts and certificates still work.
    """
    parts = urlsplit(target.url)
    ip = ipaddress.ip_address(target.address)
    netloc = f"[{ip}]:{target.port}" if ip.version == 6 else f"{ip}:{target.port}"
    url = f"{target.scheme}://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    headers = {"Host": host if target.port == default else f"{host}:{target.port}"}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return url, headers, extensions


async def safe_get(
    url: str,
    *,
    allow: Sequence[str] | AllowList | None = None,
    timeout_s: float = 10.0,
    max_bytes: int = 256 * 1024,
    max_redirects: int = 3,
    headers: dict[str, str] | None = None,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SafeResponse:
    """GET ``url`` through the guard (see the module docstring).

    Raises ``SsrfRefused`` for a forbidden address (also after a redirect) and
    ``FetchError`` for ``timeout``, ``connect``, ``too_large``, ``too_many_redirects``.
    """
    allowed = AllowList.parse(allow)
    try:
        async with asyncio.timeout(timeout_s):
            return await _get(url, allowed, timeout_s, max_bytes, max_redirects, headers or {}, resolver, transport)
    except TimeoutError as exc:
        raise FetchError("timeout", f"no complete answer from {url} within {timeout_s} s") from exc


async def _get(
    url: str,
    allowed: AllowList,
    timeout_s: float,
    max_bytes: int,
    max_redirects: int,
    headers: dict[str, str],
    resolver: Resolver | None,
    transport: httpx.AsyncBaseTransport | None,
) -> SafeResponse:
    redirects: list[str] = []
    current = url
    async with httpx.AsyncClient(
        follow_redirects=False, timeout=timeout_s, trust_env=False, transport=transport
    ) as client:
        while True:
            target = await check_url(current, allow=allowed, resolver=resolver)
            pinned_url, pinned_headers, extensions = pinned_request(target)
            request = client.build_request(
                "GET",
                pinned_url,
                headers={**pinned_headers, "User-Agent": "Trickle-Fetcher/1", **headers},
                extensions=extensions,
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", str(exc)) from exc
            except httpx.HTTPError as exc:
                raise FetchError("connect", f"{type(exc).__name__}: {exc}") from exc
            try:
                location = response.headers.get("location")
                if response.status_code in (301, 302, 303, 307, 308) and location:
                    if len(redirects) >= max_redirects:
                        raise FetchError("too_many_redirects", f"more than {max_redirects} redirects")
                    current = urljoin(current, location)
                    redirects.append(current)
                    continue
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError("too_large", f"the response exceeds {max_bytes} bytes")
                return SafeResponse(
                    url=current,
                    status_code=response.status_code,
                    headers=response.headers,
                    content=bytes(body),
                    redirects=redirects,
                )
            except httpx.HTTPError as exc:
                raise FetchError("connect", f"{type(exc).__name__}: {exc}") from exc
            finally:
                await response.aclose()


__all__ = [
    "AllowList",
    "FetchError",
    "SafeResponse",
    "SsrfRefused",
    "Target",
    "check_ip",
    "check_url",
    "forbidden_reason",
    "safe_get",
    "system_resolver",
]
