"""Test set-up: an account has proved it controls the part of a site a URL lies in.

Claims themselves are tested through a real local HTTP server in claims/; tests of clicks,
widgets or subscriptions only need a creator who owns what they register, so this writes the
verified claim directly: on the URL's domain, path prefix = its first segment (``/<account>``
in these tests), so that tests sharing a domain never overlap.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert

from trickle_click_ledger.models import Claim
from trickle_click_ledger.things.urls import canonical_url, domain_of, path_of
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id

from .apps import sessions_of


async def prove_ownership(client: Any, account_id: str, url: str) -> None:
    canonical = canonical_url(url)
    first_segment = "/" + path_of(canonical).split("/")[1]
    async with sessions_of(client)() as session, session.begin():
        await session.execute(
            insert(Claim)
            .values(
                id=new_id("clm"),
                account_id=account_id,
                domain=domain_of(canonical),
                path_prefix=first_segment,
                token="trickle-verification=test",
                status="verified",
                created_at=utcnow(),
                verified_at=utcnow(),
            )
            .on_conflict_do_nothing()
        )
