"""The events a click stages in the outbox: registered and revoked."""

from __future__ import annotations

from datetime import datetime

from trickle_click_ledger.clicks.repository import InsertedClick
from trickle_click_ledger.models import Click
from trickle_events.clicks import ClickRegistered, ClickRevoked


def registered_event(click: Click | InsertedClick) -> ClickRegistered:
    return ClickRegistered(
        click_id=click.id,
        patron_id=click.patron_id,
        thing_id=click.thing_id,
        owner_id=click.owner_id,
        weight=click.weight,
        period=click.period,
        clicked_at=click.created_at,
        public=click.public,
        subscription_id=click.subscription_id,
    )


def revoked_event(click: Click, revoked_at: datetime) -> ClickRevoked:
    return ClickRevoked(
        click_id=click.id,
        patron_id=click.patron_id,
        thing_id=click.thing_id,
        owner_id=click.owner_id,
        period=click.period,
        revoked_at=revoked_at,
    )
