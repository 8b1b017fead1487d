"""The ledger API: statements (JSON, CSV), entries, balances, trial balance; auth matrix and bad input."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from trickle_settlement_testing.fixtures import TOKENS, holder

from trickle_kit.ids import new_id
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, PostedEntry, post_entry


async def post(sessions, key: str, kind: str, legs: list[Leg]) -> PostedEntry:  # type: ignore[no-untyped-def]
    async with sessions() as s, s.begin():
        return await post_entry(s, NewEntry(idempotency_key=key, kind=kind, currency="EUR", legs=legs, reference=key))


@pytest.fixture
async def books(sessions) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A patron who deposited 10.00 (fee 0.50) and tipped a creator 3.00 (10% commission)."""
    patron, creator = new_id("acct"), new_id("acct")
    deposit = await post(
        sessions,
        f"deposit:{uuid.uuid4().hex}",
        "deposit",
        [
            Leg(chart.provider_clearing("sandbox", "EUR"), 1000),
            Leg(chart.patron_wallet(patron, "EUR"), -950),
            Leg(chart.provider_fees("sandbox", "EUR"), -50),
        ],
    )
    tip = await post(
        sessions,
        f"transfer:{uuid.uuid4().hex}",
        "transfer",
        [
            Leg(chart.patron_wallet(patron, "EUR"), 300),
            Leg(chart.creator_earnings(creator, "EUR"), -270),
            Leg(chart.platform_commission("EUR"), -30),
        ],
    )
    return {"patron": patron, "creator": creator, "deposit": deposit, "tip": tip}


async def test_a_patron_reads_their_statement_with_the_balance_after_each_line(api, books) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    r = await api.get(f"/v1/ledger/accounts/{patron}/statement", headers=holder(patron))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [
        (line["entry_kind"], line["amount"]["amount"], line["balance_after"]["amount"]) for line in body["data"]
    ] == [
        ("deposit", 950, 950),
        ("transfer", -300, 650),
    ]
    assert body["data"][0]["direction"] == "credit" and body["has_more"] is False


async def test_a_statement_pages_with_a_cursor(api, books) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    first = (await api.get(f"/v1/ledger/accounts/{patron}/statement?limit=1", headers=holder(patron))).json()
    assert first["has_more"] is True and len(first["data"]) == 1
    second = (
        await api.get(
            f"/v1/ledger/accounts/{patron}/statement",
            params={"limit": 1, "starting_after": first["next_starting_after"]},
            headers=holder(patron),
        )
    ).json()
    assert second["has_more"] is False
    assert [line["entry_kind"] for line in first["data"] + second["data"]] == ["deposit", "transfer"]


async def test_a_statement_exports_as_csv(api, books) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    for url in (f"/v1/ledger/accounts/{patron}/statement.csv", f"/v1/ledger/accounts/{patron}/statement?format=csv"):
        r = await api.get(url, headers=holder(patron))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [(row["entry_kind"], row["amount_minor"], row["balance_after_minor"]) for row in rows] == [
            ("deposit", "950", "950"),
            ("transfer", "-300", "650"),
        ]


async def test_balances_and_an_entry_are_readable_by_those_it_concerns(api, books) -> None:  # type: ignore[no-untyped-def]
    creator, tip = books["creator"], books["tip"]
    r = await api.get(f"/v1/ledger/accounts/{creator}/balances", headers=holder(creator))
    assert r.status_code == 200, r.text
    assert [(b["kind"], b["balance"]["amount"]) for b in r.json()["balances"]] == [("creator_earnings", 270)]
    r = await api.get(f"/v1/ledger/entries/{tip.id}", headers=holder(creator))
    assert r.status_code == 200, r.text
    entry = r.json()
    assert entry["kind"] == "transfer" and entry["sequence"] == tip.seq
    assert [(p["kind"], p["amount"]["amount"]) for p in entry["postings"]] == [("creator_earnings", -270)]
    r = await api.get(f"/v1/ledger/entries/{tip.id}", headers=TOKENS.operator_headers())
    assert sum(p["amount"]["amount"] for p in r.json()["postings"]) == 0


async def test_the_trial_balance_is_zero_and_matches_the_postings(api, books) -> None:  # type: ignore[no-untyped-def]
    r = await api.get("/v1/ledger/trial-balance?verify=true", headers=TOKENS.operator_headers())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["balanced"] is True and body["balances_match_postings"] is True
    eur = next(t for t in body["totals"] if t["currency"] == "EUR")
    assert eur["difference"] == 0 and eur["postings_sum"] == 0 and eur["debit"] > 0
    kinds = {line["kind"] for line in body["lines"]}
    assert {"patron_wallet", "creator_earnings", "platform_commission", "provider_clearing", "provider_fees"} <= kinds


async def test_operators_read_platform_accounts_and_holders_do_not(api, books) -> None:  # type: ignore[no-untyped-def]
    r = await api.get("/v1/ledger/accounts/platform_commission/statement", headers=TOKENS.operator_headers())
    assert r.status_code == 200 and r.json()["data"]
    r = await api.get("/v1/ledger/accounts/platform_commission/statement", headers=holder(books["patron"]))
    assert r.status_code == 404
    own = f"patron_wallet:{books['patron']}"
    r = await api.get(f"/v1/ledger/accounts/{own}/statement", headers=holder(books["patron"]))
    assert r.status_code == 200 and len(r.json()["data"]) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/v1/ledger/accounts/{other}/statement",
        "/v1/ledger/accounts/{other}/statement.csv",
        "/v1/ledger/accounts/{other}/balances",
        "/v1/ledger/accounts/patron_wallet:{other}/statement",
        "/v1/ledger/entries/{deposit}",
    ],
)
async def test_someone_elses_ledger_is_not_found(api, books, path: str) -> None:  # type: ignore[no-untyped-def]
    url = path.format(other=books["patron"], deposit=books["deposit"].id)
    r = await api.get(url, headers=holder(books["creator"]))
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "not_found"
    assert (await api.get(url, headers=TOKENS.operator_headers())).status_code == 200


@pytest.mark.parametrize(
    "headers, status, code",
    [
        ({}, 401, "unauthenticated"),
        ("expired", 401, "token_expired"),
        ("forged", 401, "invalid_token"),
        ({"Authorization": "Basic abc"}, 401, "unauthenticated"),
        ("no_scope", 403, "insufficient_scope"),
    ],
)
async def test_the_auth_matrix(api, books, headers: Any, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    if headers == "expired":
        headers = TOKENS.expired_headers(patron)
    elif headers == "forged":
        headers = TOKENS.forged_headers(patron)
    elif headers == "no_scope":
        headers = holder(patron, ("wallet:read",))
    for url in (
        f"/v1/ledger/accounts/{patron}/statement",
        f"/v1/ledger/accounts/{patron}/balances",
        f"/v1/ledger/entries/{books['deposit'].id}",
        "/v1/ledger/trial-balance",
    ):
        r = await api.get(url, headers=headers)
        assert r.status_code == status, (url, r.text)
        assert r.json()["code"] == code


async def test_the_trial_balance_is_for_operators_only(api, books) -> None:  # type: ignore[no-untyped-def]
    r = await api.get("/v1/ledger/trial-balance", headers=holder(books["patron"], ("ledger:read",)))
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "query.limit"),
        ("limit=101", "query.limit"),
        ("limit=ten", "query.limit"),
        ("starting_after=abc", "query.starting_after"),
        ("starting_after=-1", "query.starting_after"),
        ("format=xml", "query.format"),
        ("kind=escrow", "query.kind"),
        ("posted_from=yesterday", "query.posted_from"),
    ],
)
async def test_bad_statement_queries_name_the_field(api, books, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    r = await api.get(f"/v1/ledger/accounts/{books['patron']}/statement?{query}", headers=holder(books["patron"]))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_bad_ids_are_refused(api, books) -> None:  # type: ignore[no-untyped-def]
    ops = TOKENS.operator_headers()
    assert (await api.get("/v1/ledger/entries/not-an-entry", headers=ops)).status_code == 422
    assert (await api.get(f"/v1/ledger/entries/je_{uuid.uuid4().hex}", headers=ops)).status_code == 404
    assert (await api.get("/v1/ledger/accounts/bad%20id/statement", headers=ops)).status_code == 422
    assert (await api.get("/v1/ledger/accounts/" + "x" * 201 + "/statement", headers=ops)).status_code == 422
    assert (await api.get("/v1/ledger/accounts/escrow:thing_nope/statement", headers=ops)).status_code == 404


async def test_the_openapi_document_names_every_operation(api) -> None:  # type: ignore[no-untyped-def]
    doc = (await api.get("/openapi.json")).json()
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert {
        "get_statement",
        "export_statement_csv",
        "get_account_balances",
        "get_entry",
        "get_trial_balance",
    } <= ops


@pytest.mark.parametrize(
    "window, kinds",
    [
        ({"posted_from": "2000-01-01T00:00:00"}, ["deposit", "transfer"]),
        ({"posted_from": "2000-01-01T00:00:00Z", "posted_before": "2000-01-02T00:00:00+02:00"}, []),
        ({"posted_before": "2999-01-01"}, ["deposit", "transfer"]),
    ],
    ids=["naive_from", "aware_window_in_the_past", "date_only_before"],
)
async def test_a_statement_filters_by_posting_time(api, books, window: dict[str, str], kinds: list[str]) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    r = await api.get(f"/v1/ledger/accounts/{patron}/statement", params=window, headers=holder(patron))
    assert r.status_code == 200, r.text
    assert [line["entry_kind"] for line in r.json()["data"]] == kinds


async def test_a_statement_filters_by_kind_of_ledger_account(api, books) -> None:  # type: ignore[no-untyped-def]
    patron = books["patron"]
    url = f"/v1/ledger/accounts/{patron}/statement"
    wallet = (await api.get(url, params={"kind": "patron_wallet"}, headers=holder(patron))).json()["data"]
    earnings = (await api.get(url, params={"kind": "creator_earnings"}, headers=holder(patron))).json()["data"]
    assert [line["ledger_account"] for line in wallet] == [f"patron_wallet:{patron}"] * 2
    assert earnings == []
