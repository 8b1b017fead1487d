"""SPEC 4 for tips: the recipient learns who tipped only when the sender gives publicly."""

from __future__ import annotations

import pytest

from ..support.money import eur


@pytest.fixture
async def tip(register, tokens, client):  # type: ignore[no-untyped-def]
    """A tip from a patron (private, the default) to a creator: (patron, creator, transfer id, headers of both)."""
    patron = (await register())["account"]["id"]
    creator = (await register())["account"]["id"]
    ph, ch = tokens.headers(patron), tokens.headers(creator)
    r = await client.post(
        "/v1/transfers", json={"to_account_id": creator, "amount": eur(300), "note": f"from {patron}"}, headers=ph
    )
    assert r.status_code == 202, r.text
    return patron, creator, r.json()["id"], ph, ch


async def test_the_recipient_of_a_private_tip_does_not_learn_who_sent_it(client, tip) -> None:  # type: ignore[no-untyped-def]
    patron, creator, transfer_id, _, ch = tip
    read = (await client.get(f"/v1/transfers/{transfer_id}", headers=ch)).json()
    listed = (await client.get("/v1/transfers?direction=received", headers=ch)).json()["data"]
    for seen in (read, *listed):
        assert seen["from_account_id"] is None and seen["to_account_id"] == creator, seen
        assert patron not in str(seen) and seen["note"] == "from hidden", seen


async def test_the_sender_and_an_operator_see_the_sender(client, tip, tokens) -> None:  # type: ignore[no-untyped-def]
    patron, _, transfer_id, ph, _ = tip
    for headers in (ph, tokens.operator_headers()):
        seen = (await client.get(f"/v1/transfers/{transfer_id}", headers=headers)).json()
        assert seen["from_account_id"] == patron and seen["note"] == f"from {patron}", seen
    [sent] = (await client.get("/v1/transfers?direction=sent", headers=ph)).json()["data"]
    assert sent["from_account_id"] == patron


async def test_a_sender_who_gives_publicly_is_named_to_the_recipient(client, tip) -> None:  # type: ignore[no-untyped-def]
    patron, _, transfer_id, ph, ch = tip
    r = await client.patch(f"/v1/accounts/{patron}", json={"giving_public": True}, headers=ph)
    assert r.status_code == 200, r.text
    seen = (await client.get(f"/v1/transfers/{transfer_id}", headers=ch)).json()
    assert seen["from_account_id"] == patron and seen["note"] == f"from {patron}", seen
