"""The calendar over HTTP: one period at /v1/periods/{id}/calendar (/v1/periods/{id} is settlement's)."""

from __future__ import annotations

import httpx

from trickle_kit.testing_auth import TokenFactory


async def test_one_period_of_the_calendar_and_its_state(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    reader = tokens.headers("acct_reader", ["clicks:read"])
    current = (await client.get("/v1/periods/current", headers=reader)).json()
    got = await client.get(f"/v1/periods/{current['id']}/calendar", headers=reader)
    assert got.status_code == 200, got.text
    assert got.json() == current
    # The bare period URL is not the click-ledger's: the gateway sends it to settlement.
    assert (await client.get(f"/v1/periods/{current['id']}", headers=reader)).status_code in (404, 405)
    assert (await client.get("/v1/periods/1999-01/calendar", headers=reader)).status_code == 404
    assert (await client.get(f"/v1/periods/{current['id']}/calendar")).status_code == 401
    wrong_scope = tokens.headers("acct_reader", ["wallet:read"])
    assert (await client.get(f"/v1/periods/{current['id']}/calendar", headers=wrong_scope)).status_code == 403
