"""The per-address count takes an IPv6 client by its /64 (one subscriber's network: a host picks any address
in it, so counting single addresses would give it 2^64 fresh counts), and an IPv4 client the same however it is
written (an IPv4-mapped IPv6 address is that IPv4 address)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from trickle_kit.problems import ProblemError
from trickle_wallet.sign_in.attempts import address_attempt_key
from trickle_wallet.sign_in.service import authenticate

WRONG = "not the password at all"


def test_an_ipv6_client_is_counted_by_its_64_and_a_mapped_ipv4_as_itself() -> None:
    assert address_attempt_key("2001:db8:1:2::1") == address_attempt_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert address_attempt_key("2001:db8:1:2::1") != address_attempt_key("2001:db8:1:3::1")
    assert address_attempt_key("::ffff:198.51.100.7") == address_attempt_key("198.51.100.7")
    assert address_attempt_key("198.51.100.7") != address_attempt_key("198.51.100.8")
    assert address_attempt_key("testclient") == "address:testclient"  # not an address: kept as given


async def test_five_failures_from_addresses_of_one_ipv6_64_lock_that_network_out(app: FastAPI) -> None:
    network = f"2001:db8:{os.urandom(2).hex()}:{os.urandom(2).hex()}"

    async def attempt(host: int) -> ProblemError:
        try:
            async with app.state.sessions() as session, session.begin():
                await authenticate(
                    session,
                    app.state.settings,
                    email=f"guess-{os.urandom(4).hex()}@example.org",
                    password=WRONG,
                    client_address=f"{network}::{host:x}",
                )
        except ProblemError as exc:
            return exc
        raise AssertionError("signed in with a wrong password")

    for host in range(1, 6):  # sign_in_max_failures_per_address
        assert (await attempt(host)).code == "invalid_credentials"
    assert (await attempt(0xBEEF)).code == "too_many_attempts"
