"""The SSRF guard (trickle_kit.ssrf) that claim verification fetches through."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from trickle_kit.ssrf import FetchError, SsrfRefused, check_ip, check_url, forbidden_reason, safe_get

FORBIDDEN = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "2001:db8::1",
    "::127.0.0.1",
]
PUBLIC = ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]


@pytest.mark.parametrize("ip", FORBIDDEN)
def test_non_public_addresses_are_refused(ip: str) -> None:
    assert forbidden_reason(__import__("ipaddress").ip_address(ip)) is not None
    with pytest.raises(SsrfRefused):
        check_ip(ip)


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_pass(ip: str) -> None:
    check_ip(ip)


def test_the_allow_list_admits_networks_and_host_names() -> None:
    check_ip("127.0.0.1", allow=["127.0.0.0/8"])
    check_ip("::1", allow=["::1"])
    check_ip("10.1.2.3", allow=["intranet.test"], host="intranet.test")
    with pytest.raises(SsrfRefused):
        check_ip("10.1.2.3", allow=["127.0.0.0/8", "other.test"], host="intranet.test")


async def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(SsrfRefused) as refused:
        await check_url("http://localhost:8080/x")
    assert refused.value.reason == "loopback"


async def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(SsrfRefused):
        await check_url("https://rebind.example/", resolver=resolver)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "file:///etc/passwd", "http://user:pw@example.org/", "http:///nohost", "gopher://x/"]
)
async def test_only_plain_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(SsrfRefused):
        await check_url(url)


async def test_the_connection_goes_to_the_vetted_address_with_the_original_host_header(site: Any) -> None:
    seen: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    site.routes["/hello"] = (200, {}, b"hi")
    response = await safe_get(
        f"http://pinned.test:{site.port}/hello", allow=["127.0.0.1/32"], resolver=resolver, timeout_s=5
    )
    assert response.status_code == 200 and response.content == b"hi"
    assert seen == ["pinned.test"]  # resolved once, by the guard


async def test_redirects_are_followed_and_each_target_vetted(site: Any) -> None:
    site.routes["/a"] = (302, {"Location": "/b"}, b"")
    site.routes["/b"] = (200, {}, b"landed")
    response = await safe_get(f"{site.origin}/a", allow=["127.0.0.1/32"])
    assert response.text == "landed" and response.redirects == [f"{site.origin}/b"]

    site.routes["/evil"] = (307, {"Location": "http://10.0.0.1/admin"}, b"")
    with pytest.raises(SsrfRefused):
        await safe_get(f"{site.origin}/evil", allow=["127.0.0.1/32"])


async def test_redirect_loops_and_large_bodies_are_cut_off(site: Any) -> None:
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError) as loop:
        await safe_get(f"{site.origin}/loop", allow=["127.0.0.1/32"], max_redirects=3)
    assert loop.value.reason == "too_many_redirects"
    site.routes["/big"] = (200, {}, b"x" * 10_000)
    with pytest.raises(FetchError) as big:
        await safe_get(f"{site.origin}/big", allow=["127.0.0.1/32"], max_bytes=1000)
    assert big.value.reason == "too_large"


async def test_a_silent_server_times_out() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(FetchError) as slow:
            await safe_get(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow=["127.0.0.1/32"], timeout_s=0.5)
        assert slow.value.reason == "timeout"
    finally:
        listener.close()
