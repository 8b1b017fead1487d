"""Who reads what (SPEC 4, "Privacy"): a non-operator sees only the postings of accounts they hold.

Other legs of an entry show at most as a counterparty kind; no field or CSV cell a holder can
read names another account; operators still see everything.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from trickle_settlement_testing.fixtures import TOKENS, holder

from trickle_kit.ids import new_id
from trickle_settlement.close.entries import settlement_entry
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entry
from trickle_settlement.split import Budget, SplitClick, split_budget

ACCOUNT_ID = re.compile(r"acct_\w+")


async def _post(sessions, entry: NewEntry) -> str:  # type: ignore[no-untyped-def]
    async with sessions() as s, s.begin():
        return (await post_entry(s, entry)).id


@pytest.fixture
async def month(sessions) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A patron funds 20.00 and tips creator A 3.00, then their month settles to A, B and an unclaimed thing."""
    patron, a, b = new_id("acct"), new_id("acct"), new_id("acct")
    await _post(
        sessions,
        NewEntry(
            idempotency_key=f"deposit:{uuid.uuid4().hex}",
            kind="deposit",
            currency="EUR",
            legs=[
                Leg(chart.provider_clearing("sandbox", "EUR"), 2000),
                Leg(chart.patron_wallet(patron, "EUR"), -2000),
            ],
        ),
    )
    tip = await _post(
        sessions,
        NewEntry(
            idempotency_key=f"transfer:{new_id('tr')}",
            kind="transfer",
            currency="EUR",
            reference=new_id("tr"),
            legs=[
                Leg(chart.patron_wallet(patron, "EUR"), 300),
                Leg(chart.creator_earnings(a, "EUR"), -270),
                Leg(chart.platform_commission("EUR"), -30),
            ],
        ),
    )
    at = datetime(2027, 3, 5, tzinfo=UTC)
    clicks = [
        SplitClick(new_id("clk"), new_id("thing"), 1, at, a),
        SplitClick(new_id("clk"), new_id("thing"), 1, at, b),
        SplitClick(new_id("clk"), new_id("thing"), 1, at, None),
    ]
    split = split_budget(clicks, Budget(amount=600, available=1700))
    period = f"{2100 + uuid.uuid4().int % 800}-03"  # one settle key per patron and period
    settle = await _post(sessions, settlement_entry(period, patron, split, "EUR"))
    return {"patron": patron, "a": a, "b": b, "tip": tip, "settle": settle, "period": period}


def _other_ids(text: str, me: str) -> set[str]:
    return set(ACCOUNT_ID.findall(text)) - {me}


async def test_a_creator_reads_a_settlement_entry_as_their_posting_and_counterparty_kinds(api, month) -> None:  # type: ignore[no-untyped-def]
    a = month["a"]
    r = await api.get(f"/v1/ledger/entries/{month['settle']}", headers=holder(a))
    assert r.status_code == 200, r.text
    entry = r.json()
    assert [(p["ledger_account"], p["owner_id"], p["amount"]["amount"]) for p in entry["postings"]] == [
        (f"creator_earnings:{a}", a, -180)
    ]
    assert entry["counterparty_kinds"] == ["creator_earnings", "escrow", "patron_wallet", "platform_commission"]
    assert entry["idempotency_key"] == f"settle:{month['period']}:hidden"
    assert entry["reference"] == f"{month['period']}:hidden"
    assert _other_ids(r.text, a) == set()


async def test_a_tip_recipient_sees_neither_the_tippers_id_nor_their_balance(api, month) -> None:  # type: ignore[no-untyped-def]
    a, patron = month["a"], month["patron"]
    r = await api.get(f"/v1/ledger/entries/{month['tip']}", headers=holder(a))
    assert r.status_code == 200, r.text
    entry = r.json()
    assert [p["kind"] for p in entry["postings"]] == ["creator_earnings"]
    # The only balance shown is the recipient's own (the tipper's wallet held 17.00 after the tip).
    assert [p["balance_after"]["amount"] for p in entry["postings"]] == [270]
    assert entry["counterparty_kinds"] == ["patron_wallet", "platform_commission"]
    assert patron not in r.text and _other_ids(r.text, a) == set()


async def test_the_patron_sees_their_own_leg_of_their_settlement(api, month) -> None:  # type: ignore[no-untyped-def]
    patron = month["patron"]
    r = await api.get(f"/v1/ledger/entries/{month['settle']}", headers=holder(patron))
    entry = r.json()
    assert [(p["kind"], p["amount"]["amount"]) for p in entry["postings"]] == [("patron_wallet", 600)]
    assert entry["idempotency_key"] == f"settle:{month['period']}:{patron}"
    assert "escrow" in entry["counterparty_kinds"] and _other_ids(r.text, patron) == set()


@pytest.mark.parametrize("export", ["statement", "statement.csv", "statement?format=csv", "balances"])
async def test_a_creators_statement_names_no_patron(api, month, export: str) -> None:  # type: ignore[no-untyped-def]
    a = month["a"]
    r = await api.get(f"/v1/ledger/accounts/{a}/{export}", headers=holder(a))
    assert r.status_code == 200, r.text
    assert _other_ids(r.text, a) == set()
    if "csv" in export:
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [(row["entry_kind"], row["amount_minor"]) for row in rows] == [
            ("transfer", "270"),
            ("settlement", "180"),
        ]
        assert rows[1]["reference"] == f"{month['period']}:hidden"
    elif export == "statement":
        assert [line["reference"] for line in r.json()["data"]][1] == f"{month['period']}:hidden"


async def test_operators_still_see_every_posting_and_every_id(api, month) -> None:  # type: ignore[no-untyped-def]
    ops = TOKENS.operator_headers()
    entry = (await api.get(f"/v1/ledger/entries/{month['settle']}", headers=ops)).json()
    assert {p["owner_id"] for p in entry["postings"]} >= {month["patron"], month["a"], month["b"]}
    assert sum(p["amount"]["amount"] for p in entry["postings"]) == 0
    assert entry["counterparty_kinds"] == []
    assert entry["idempotency_key"] == f"settle:{month['period']}:{month['patron']}"
    r = await api.get(f"/v1/ledger/accounts/{month['patron']}/statement.csv", headers=ops)
    assert month["patron"] in r.text


async def test_an_entry_touching_none_of_the_readers_accounts_is_not_found(api, month) -> None:  # type: ignore[no-untyped-def]
    r = await api.get(f"/v1/ledger/entries/{month['tip']}", headers=holder(month["b"]))
    assert r.status_code == 404 and r.json()["code"] == "not_found"


# ---- out-of-range input is a 422 naming the field, and a CSV fails before its 200 ----

OUT_OF_RANGE = [
    ("posted_from", "0001-01-01T00:00:00+14:00"),
    ("posted_before", "9999-12-31T23:59:59-14:00"),
    ("posted_from", "0001-01-01T00:00:00+00:01"),
]


@pytest.mark.parametrize("field, value", OUT_OF_RANGE)
@pytest.mark.parametrize("export", ["statement", "statement.csv", "statement?format=csv"])
async def test_an_instant_outside_the_calendar_in_utc_is_refused_naming_the_field(  # type: ignore[no-untyped-def]
    api, month, export: str, field: str, value: str
) -> None:
    patron = month["patron"]
    r = await api.get(f"/v1/ledger/accounts/{patron}/{export}", params={field: value}, headers=holder(patron))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert f"query.{field}" in [e["field"] for e in r.json()["errors"]]


async def test_the_first_day_of_the_calendar_is_still_a_valid_bound(api, month) -> None:  # type: ignore[no-untyped-def]
    patron = month["patron"]
    params = {"posted_from": "0001-01-01T00:00:00Z", "posted_before": "9999-12-31T23:59:59+00:00"}
    r = await api.get(f"/v1/ledger/accounts/{patron}/statement.csv", params=params, headers=holder(patron))
    assert r.status_code == 200, r.text
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 3


async def test_a_csv_export_whose_first_read_fails_answers_a_problem_not_a_cut_stream(  # type: ignore[no-untyped-def]
    api, month, monkeypatch
) -> None:
    from sqlalchemy import func

    from trickle_settlement.statements import service

    real = service.statement_query

    def failing(accounts, filters):  # type: ignore[no-untyped-def]
        return real(accounts, filters).where(func.sqrt(-1) > 0)  # PostgreSQL refuses at execution

    monkeypatch.setattr(service, "statement_query", failing)
    patron = month["patron"]
    r = await api.get(f"/v1/ledger/accounts/{patron}/statement.csv", headers=holder(patron))
    assert r.status_code >= 500
    assert r.headers["content-type"].startswith("application/problem+json")
