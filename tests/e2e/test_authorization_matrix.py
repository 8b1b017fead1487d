"""Nobody reaches another account's resources by id: every operation of openapi.json with a path
parameter, called by a stranger (an ordinary account holding every non-operator scope), answers
403 or 404 (issue 11).

The ids are those of a private patron's settled month (tests/e2e/private_month.py): the patron's
and the creator's accounts, API key, deposit, tip, payout, things, clicks, claim, subscription,
ledger entries, webhook endpoint and messages. Writes carry a valid body (``BODIES``) so that
only ownership can refuse them. ``PUBLIC_BY_SPEC`` lists the few operations anyone may call.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.openapi_operations import Operation, calls, operations
from tests.e2e.private_month import PrivateMonth, eur

WITH_IDS = [op for op in operations() if op.path_parameters]

PUBLIC_BY_SPEC: dict[str, str] = {
    "get_thing": "SPEC 4: a registered thing (page, title, owner) is public; embeds and profiles show it",
    "get_thing_counts": "SPEC 4 Widgets: a thing's click counts are public (JSON widget)",
    "get_thing_button": "SPEC 4 Widgets: a thing's embeddable SVG button is public",
    "get_period": "the period calendar is the platform's, not an account's",
    "get_period_status": "a period's status and totals are the platform's aggregates and name nobody",
    "get_creator_profile": "SPEC 1: public creator profiles (things, counts, public supporters; see test_privacy)",
}

# A valid body for every write that takes an id, so that a refusal can only be about ownership.
BODIES: dict[str, Any] = {
    "update_account": {"display_name": "Mallory"},
    "set_account_non_profit": {"non_profit": True},
    "set_account_commission": {"commission_bps": 0},
    "create_api_key": {"name": "mine now"},
    "set_budget": {"amount": eur(100)},
    "update_thing": {"title": "Mine now"},
    "update_webhook_endpoint": {"description": "mine now"},
    "recover_webhook_endpoint": {"since": "2000-01-01T00:00:00Z"},
    "approve_claim": {"reason": "mine now"},
    "suspend_account": {"reason": "mine now"},
}


def test_every_allowance_names_an_operation_that_exists() -> None:
    ids = {op.operation_id for op in WITH_IDS}
    assert set(PUBLIC_BY_SPEC) <= ids, set(PUBLIC_BY_SPEC) - ids


@pytest.mark.parametrize("op", WITH_IDS, ids=lambda op: op.operation_id)
def test_a_stranger_reaches_nothing_of_others_by_id(op: Operation, private_month: PrivateMonth) -> None:
    if op.has_body and op.operation_id not in BODIES:
        pytest.fail(f"{op} takes a body: add a valid one to BODIES (tests/e2e/test_authorization_matrix.py)")
    values = {
        **private_month.values(),
        "account_id": [private_month.patron.account_id, private_month.creator.account_id],
    }
    stranger = private_month.stranger.http
    wrong: list[str] = []
    for call in calls(op, values):
        answer = stranger.request(
            op.method.upper(),
            call.path,
            params=call.params,
            json=BODIES.get(op.operation_id),
            headers={"Idempotency-Key": f"stranger-{op.operation_id}-{call.path}"[:200]},
        )
        assert answer.status_code < 500, f"{call}: HTTP {answer.status_code} {answer.text[:300]}"
        if op.operation_id in PUBLIC_BY_SPEC:
            continue
        if answer.status_code not in (403, 404):
            wrong.append(f"{call} -> HTTP {answer.status_code}: {answer.text[:400]}")
    assert not wrong, "a stranger reached another account's resources:\n" + "\n".join(wrong)
