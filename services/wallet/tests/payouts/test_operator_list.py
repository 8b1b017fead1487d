"""Operators list every account's payouts (GET /v1/payouts, optionally by status); a holder lists only its own."""

from __future__ import annotations

from ..support.money import eur, unique_key


async def test_an_operator_lists_every_accounts_payouts_and_a_holder_only_its_own(client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    ids: dict[str, str] = {}
    for _ in range(2):
        account_id = (await register())["account"]["id"]
        headers = {**tokens.headers(account_id), "Idempotency-Key": unique_key()}
        r = await client.post("/v1/payouts", json={"amount": eur(1_000)}, headers=headers)
        assert r.status_code == 202, r.text
        ids[account_id] = r.json()["id"]

    async def listed(headers: dict[str, str], **params: str) -> set[str]:
        found: set[str] = set()
        query: dict[str, str | int] = {"limit": 100, **params}
        while True:
            r = await client.get("/v1/payouts", params=query, headers=headers)
            assert r.status_code == 200, r.text
            found |= {p["id"] for p in r.json()["data"]}
            if not r.json()["has_more"]:
                return found
            query["starting_after"] = r.json()["next_starting_after"]

    operator = tokens.operator_headers()
    assert set(ids.values()) <= await listed(operator)
    assert set(ids.values()) <= await listed(operator, status="requested")
    assert not set(ids.values()) & await listed(operator, status="paid")
    first = next(iter(ids))
    assert await listed(tokens.headers(first)) == {ids[first]}
