"""A click's answer is the bytes a JSONResponse of its JSON dump would be (clicks/endpoints.click_response)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.responses import JSONResponse

from trickle_click_ledger.clicks.endpoints import click_response
from trickle_click_ledger.clicks.schemas import ClickOut
from trickle_click_ledger.models import Click
from trickle_kit.ids import new_id


def test_a_click_answers_with_the_bytes_and_headers_of_a_json_response() -> None:
    created = datetime(2026, 12, 3, 13, 4, 5, 67890, tzinfo=UTC)
    for click in (
        Click(
            id=new_id("clk"),
            patron_id=new_id("acct"),
            thing_id=new_id("thing"),
            owner_id=None,
            period="2026-12",
            weight=7,
            public=True,
            subscription_id=new_id("sub"),
            created_at=created,
            revoked_at=None,
        ),
        Click(
            id=new_id("clk"),
            patron_id=new_id("acct"),
            thing_id=new_id("thing"),
            owner_id=new_id("acct"),
            period="2026-11",
            weight=1,
            public=False,
            subscription_id=None,
            created_at=created.replace(microsecond=0),
            revoked_at=created,
        ),
    ):
        for created_now, status in ((True, 201), (False, 200)):
            expected = JSONResponse(
                ClickOut.model_validate(click).model_dump(mode="json"),
                status,
                headers={"Location": f"/v1/clicks/{click.id}"},
            )
            got = click_response(click, created=created_now)
            assert got.status_code == status
            assert bytes(got.body) == bytes(expected.body)
            assert got.headers.items() == expected.headers.items()
