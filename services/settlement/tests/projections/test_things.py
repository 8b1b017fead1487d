"""The one rule reconciling a click with its thing: the thing's projected weight, and its owner once known."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from trickle_events.clicks import ClickRegistered, ThingClaimed, ThingRegistered, ThingUpdated
from trickle_settlement.projections.clicks import on_click_registered
from trickle_settlement.projections.models import ProjectedClick, ProjectedThing
from trickle_settlement.projections.things import on_thing_claimed, on_thing_state

NOW = datetime(2031, 7, 3, tzinfo=UTC)
PERIOD = "2031-07"


def clicked(thing: str, click: str, *, owner: str | None, weight: int) -> ClickRegistered:
    return ClickRegistered(
        click_id=click,
        patron_id="acct_patron",
        thing_id=thing,
        owner_id=owner,
        weight=weight,
        period=PERIOD,
        clicked_at=NOW,
    )


async def settled_with(sessions, click: str) -> tuple[str | None, int]:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        row = (await session.execute(select(ProjectedClick).where(ProjectedClick.click_id == click))).scalar_one()
    return row.owner_id, row.weight


async def test_a_click_takes_its_things_weight_and_known_owner(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    thing, click = unique("thing"), unique("clk")
    await feed(
        on_thing_state, ThingRegistered(thing_id=thing, owner_id="acct_owner", url="https://a.example/", weight=3)
    )
    # The click-ledger sent it before it knew the owner, with an older weight.
    await feed(on_click_registered, clicked(thing, click, owner=None, weight=1))
    assert await settled_with(sessions, click) == ("acct_owner", 3)


async def test_a_click_on_a_thing_not_yet_projected_keeps_its_own_owner_and_weight(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    thing, click = unique("thing"), unique("clk")
    await feed(on_click_registered, clicked(thing, click, owner="acct_from_click", weight=2))
    assert await settled_with(sessions, click) == ("acct_from_click", 2)
    await feed(on_thing_state, ThingRegistered(thing_id=thing, owner_id=None, url="https://b.example/", weight=5))
    # The thing's weight wins; an owner once known is not forgotten.
    assert await settled_with(sessions, click) == ("acct_from_click", 5)


async def test_a_claim_reaches_open_clicks_and_an_update_without_owner_never_forgets_it(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    thing, click = unique("thing"), unique("clk")
    await feed(on_thing_state, ThingRegistered(thing_id=thing, owner_id=None, url="https://c.example/", weight=2))
    await feed(on_click_registered, clicked(thing, click, owner=None, weight=2))
    assert await settled_with(sessions, click) == (None, 2)
    await feed(
        on_thing_claimed, ThingClaimed(thing_id=thing, owner_id="acct_claimant", domain="c.example", claimed_at=NOW)
    )
    assert await settled_with(sessions, click) == ("acct_claimant", 2)
    await feed(on_thing_state, ThingUpdated(thing_id=thing, owner_id=None, url="https://c.example/", weight=2))
    assert await settled_with(sessions, click) == ("acct_claimant", 2)
    async with sessions() as session:
        owner = (
            await session.execute(select(ProjectedThing.owner_id).where(ProjectedThing.thing_id == thing))
        ).scalar_one()
    assert owner == "acct_claimant"
