"""The harness itself: every API answers through the gateway."""

from __future__ import annotations

from tests.e2e.platform import Platform, http_status


def test_every_service_answers_through_the_gateway(platform: Platform) -> None:
    status, body = http_status(f"{platform.gateway_url}/v1/.well-known/jwks.json")
    assert status == 200 and '"keys"' in body, (status, body)
