"""Period API: status for readers, totals and the close for operators."""

from __future__ import annotations

from sqlalchemy import select

from trickle_kit.testing_auth import TokenFactory
from trickle_settlement.close.models import PeriodClose


async def test_an_operator_starts_a_close_and_reads_its_status(client, sessions) -> None:  # type: ignore[no-untyped-def]
    tf = TokenFactory()
    client._transport.app.state.verifier = tf.verifier()
    started = await client.post("/v1/periods/2035-01/close", headers=tf.operator_headers())
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["status"] == "closing" and body["started_by"] == "operator"
    assert body["totals"]["spent"] == {"amount": 0, "currency": "EUR"}

    again = await client.post("/v1/periods/2035-01/close", headers=tf.operator_headers())
    assert again.status_code == 202 and again.json()["status"] == "closing"

    reader = await client.get("/v1/periods/2035-01", headers=tf.headers("acct_reader", ["ledger:read"]))
    assert reader.status_code == 200 and reader.json()["status"] == "closing"
    assert reader.json()["totals"] is None
    async with sessions() as session:
        row = (await session.execute(select(PeriodClose).where(PeriodClose.period == "2035-01"))).scalar_one()
    assert row.status == "closing"


async def test_closing_a_closed_period_is_a_conflict(client, sessions) -> None:  # type: ignore[no-untyped-def]
    from trickle_settlement.close.service import run_close

    tf = TokenFactory()
    client._transport.app.state.verifier = tf.verifier()
    assert (await client.post("/v1/periods/2035-02/close", headers=tf.operator_headers())).status_code == 202
    await run_close(sessions, "2035-02")
    refused = await client.post("/v1/periods/2035-02/close", headers=tf.operator_headers())
    assert refused.status_code == 409
    assert refused.json()["code"] == "period_already_closed"
    closed = await client.get("/v1/periods/2035-02", headers=tf.operator_headers())
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]


async def test_who_may_do_what(client) -> None:  # type: ignore[no-untyped-def]
    tf = TokenFactory()
    client._transport.app.state.verifier = tf.verifier()
    account = tf.headers("acct_someone", ["ledger:read", "wallet:write"])
    assert (await client.post("/v1/periods/2035-03/close")).status_code == 401
    assert (await client.post("/v1/periods/2035-03/close", headers=account)).status_code == 403
    assert (await client.get("/v1/periods/2035-03", headers=tf.headers("acct_x", ["clicks:read"]))).status_code == 403
    assert (await client.get("/v1/periods/2035-03", headers=account)).status_code == 404
    bad = await client.get("/v1/periods/2035-13", headers=account)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
