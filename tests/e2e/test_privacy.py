"""A private patron's id reaches no creator: every GET of openapi.json, called as the creator (issue 11).

SPEC 4: a patron gives privately by default; creators see counts and amounts, never who gave
privately, and "no reference, CSV, webhook or widget names another account unless it gives
publicly". The world (tests/e2e/private_month.py) is a month Pat settled privately with Cora:
deposit, clicks, a subscription, a tip, the settlement, Cora's payout and her webhook deliveries.
Each GET operation is called as Cora with every id of that world in its path (the table in
``PrivateMonth.values``) and its query filled every way the document allows; no byte of any
answer, body or header, may hold Pat's id.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.openapi_operations import Operation, UnfillableParameter, calls, operations
from tests.e2e.private_month import PrivateMonth

READS = [op for op in operations() if op.method == "get"]


def spellings(account_id: str) -> list[bytes]:
    """The id as it is, and its hex and UUID forms (a CSV or a key might drop the prefix)."""
    hex_part = account_id.removeprefix("acct_")
    return [account_id.encode(), hex_part.encode(), str(uuid.UUID(hex_part)).encode()]


def naming(answer: bytes, account_id: str) -> bool:
    return any(s in answer for s in spellings(account_id))


def test_the_month_names_the_patron_where_only_the_patron_and_operators_look(private_month: PrivateMonth) -> None:
    """The check below is not vacuous: the settlement, the tip and the click do name Pat."""
    pat = private_month.patron
    naming_pat = []
    for entry_id in private_month.entry_ids:
        answer = private_month.operator.http.get(f"/v1/ledger/entries/{entry_id}")
        assert answer.status_code == 200, answer.text[:300]
        naming_pat += [entry_id] if naming(answer.content, pat.account_id) else []
    assert len(naming_pat) >= 2, f"the tip's and the settlement's entries should name Pat: {naming_pat}"
    tip = pat.http.get(f"/v1/transfers/{private_month.transfer_id}")
    assert tip.status_code == 200 and naming(tip.content, pat.account_id), tip.text[:300]
    for click_id in private_month.click_ids:
        click = pat.http.get(f"/v1/clicks/{click_id}")
        assert click.status_code == 200 and naming(click.content, pat.account_id), click.text[:300]


@pytest.mark.parametrize("reader", ["creator", "stranger", "anonymous"])
@pytest.mark.parametrize("op", READS, ids=lambda op: op.operation_id)
def test_no_answer_names_a_private_patron(op: Operation, reader: str, private_month: PrivateMonth) -> None:
    """As Cora (paid by Pat), as a stranger and without a token, with the ids Cora holds or has seen."""
    caller, pat = getattr(private_month, reader), private_month.patron.account_id
    leaks: list[str] = []
    made = 0
    for call in calls(op, private_month.values()):
        answer = caller.http.get(call.path, params=call.params)
        made += 1
        assert answer.status_code < 500, f"{call}: HTTP {answer.status_code} {answer.text[:300]}"
        headers = "\n".join(f"{k}: {v}" for k, v in answer.headers.items()).encode()
        if naming(answer.content, pat) or naming(headers, pat):
            leaks.append(f"{call} -> HTTP {answer.status_code}: {answer.text[:600]}")
    assert made > 0, f"{op}: no call made"
    assert not leaks, f"{len(leaks)} answer(s) to the {reader} name the private patron {pat}:\n" + "\n".join(leaks)


def test_no_webhook_delivery_to_the_creator_names_a_private_patron(private_month: PrivateMonth) -> None:
    bodies = private_month.deliveries_to_creator()
    assert bodies, "Cora's endpoint received nothing"
    pat = private_month.patron.account_id
    leaks = [body.decode("utf-8", "replace")[:600] for body in bodies if naming(body, pat)]
    assert not leaks, f"{len(leaks)} of {len(bodies)} deliveries to Cora name the private patron:\n" + "\n".join(leaks)


def test_an_operation_whose_parameter_has_no_source_fails_instead_of_being_skipped() -> None:
    op = Operation("get", "/v1/gadgets/{gadget_id}", "get_gadget", ({"name": "gadget_id", "in": "path"},), (), False)
    with pytest.raises(UnfillableParameter, match="gadget_id"):
        list(calls(op, {"thing_id": ["thing_1"]}))
