"""Things: registration by owners, creation by clicks on unknown URLs, updates, look-ups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.things import repository
from trickle_click_ledger.things.urls import InvalidUrl, canonical_url, domain_of
from trickle_events.clicks import ThingRegistered, ThingState, ThingUpdated
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found, unprocessable


def thing_event(cls: type[ThingState], thing: Thing) -> ThingState:
    return cls(
        thing_id=thing.id,
        owner_id=thing.owner_id,
        url=thing.url,
        title=thing.title,
        category=thing.category,
        weight=thing.weight,
    )


def canonical_or_422(url: str, field: str = "body.url") -> str:
    try:
        return canonical_url(url)
    except InvalidUrl as exc:
        raise unprocessable("invalid_url", str(exc), field=field) from exc


async def register_thing(
    session: AsyncSession, *, owner_id: str, url: str, title: str | None, category: str | None, weight: int
) -> Thing:
    """An owner registers a thing at a URL nobody registered yet (unclaimed ones are claimed, not re-registered)."""
    canonical = canonical_or_422(url)
    now = utcnow()
    thing = await repository.insert_if_absent(
        session,
        {
            "id": new_id("thing"),
            "url": canonical,
            "domain": domain_of(canonical),
            "owner_id": owner_id,
            "title": title,
            "category": category,
            "weight": weight,
            "created_at": now,
            "updated_at": now,
        },
    )
    if thing is None:
        existing = await repository.get_by_url(session, canonical)
        hint = "claim its domain" if existing is not None and existing.owner_id is None else "it has an owner"
        raise conflict(
            "thing_exists", f"A thing with URL {canonical} exists ({hint}): {existing.id if existing else ''}"
        )
    await OUTBOX.add(session, thing_event(ThingRegistered, thing))
    return thing


async def thing_for_url(session: AsyncSession, url: str, now: datetime) -> Thing:
    """The thing at ``url``; an unknown URL becomes an unclaimed thing (or the verified domain owner's)."""
    canonical = canonical_or_422(url)
    existing = await repository.get_by_url(session, canonical)
    if existing is not None:
        return existing
    domain = domain_of(canonical)
    owner = await repository.verified_owner_of_domain(session, domain)
    thing = await repository.insert_if_absent(
        session,
        {
            "id": new_id("thing"),
            "url": canonical,
            "domain": domain,
            "owner_id": owner,
            "weight": 1,
            "created_at": now,
            "updated_at": now,
            "claimed_at": now if owner else None,
        },
    )
    if thing is None:  # created by a concurrent click since our look-up
        found = await repository.get_by_url(session, canonical)
        if found is None:
            raise RuntimeError("thing vanished after a conflicting insert")
        return found
    await OUTBOX.add(session, thing_event(ThingRegistered, thing))
    return thing


async def get_thing(session: AsyncSession, thing_id: str) -> Thing:
    thing = await repository.get(session, thing_id)
    if thing is None:
        raise not_found("Thing", thing_id)
    return thing


async def lookup_thing(session: AsyncSession, url: str) -> Thing:
    canonical = canonical_or_422(url, field="query.url")
    thing = await repository.get_by_url(session, canonical)
    if thing is None:
        raise ProblemError(404, "not_found", "Not found", f"No thing has the URL {canonical}")
    return thing


async def update_thing(session: AsyncSession, principal: Principal, thing_id: str, changes: dict[str, object]) -> Thing:
    thing = await repository.get(session, thing_id, for_update=True)
    if thing is None or thing.owner_id is None or not principal.may_act_for(thing.owner_id):
        raise not_found("Thing", thing_id)
    changed = False
    for name in ("title", "category", "weight"):
        if name in changes and getattr(thing, name) != changes[name]:
            setattr(thing, name, changes[name])
            changed = True
    if changed:
        thing.updated_at = utcnow()
        await session.flush()
        await OUTBOX.add(session, thing_event(ThingUpdated, thing))
    return thing


async def list_owned(session: AsyncSession, owner_id: str, page: PageParams) -> tuple[list[Thing], bool]:
    rows, has_more = await paginate(session, select(Thing).where(Thing.owner_id == owner_id), Thing.id, page)
    return list(rows), has_more
