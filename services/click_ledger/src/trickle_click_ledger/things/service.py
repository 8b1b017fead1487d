"""Things: registration by owners, creation by clicks on unknown URLs, updates, look-ups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.things import ownership, repository
from trickle_click_ledger.things.urls import InvalidUrl, canonical_url, domain_of, path_of
from trickle_events.clicks import ThingRegistered, ThingState, ThingUpdated
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found


def thing_event(cls: type[ThingState], thing: Thing) -> ThingState:
    return cls(
        thing_id=thing.id,
        owner_id=thing.owner_id,
        url=thing.url,
        title=thing.title,
        category=thing.category,
        weight=thing.weight,
    )


def canonical_or_refused(url: str) -> str:
    """The canonical form of ``url``; ``InvalidInput`` (``invalid_url``) if it has none."""
    try:
        return canonical_url(url)
    except InvalidUrl as exc:
        raise InvalidInput("invalid_url", str(exc), "url") from exc


async def register_thing(
    session: AsyncSession, *, registrant_id: str, url: str, title: str | None, category: str | None, weight: int
) -> Thing:
    """Register a thing at a URL nobody registered yet.

    The registrant owns it only under a domain (or, on a shared host, a path prefix) they
    have verified; otherwise it is created unclaimed (``claim_status: pending_claim``, weight 1:
    the weight is the owner's to set) and its money waits in escrow until a claim covering it
    is verified. Under another account's verified claim registration is refused.
    """
    canonical = canonical_or_refused(url)
    domain, path = domain_of(canonical), path_of(canonical)
    now = utcnow()
    existing = await repository.get_by_url(session, canonical)
    if existing is not None:
        raise _exists(existing)
    await ownership.lock_domain(session, domain, exclusive=False)
    covering = await ownership.covering_claim(session, domain, path)
    if covering is not None and covering.account_id != registrant_id:
        raise conflict(
            "url_claimed", f"{canonical} lies under a claim another account verified: only it registers things there"
        )
    weight = weight if covering is not None else 1  # an unclaimed thing's weight is its future owner's to set
    thing = await _insert(session, canonical, covering, title=title, category=category, weight=weight, now=now)
    if thing is None:  # registered concurrently since our look-up
        raced = await repository.get_by_url(session, canonical)
        if raced is None:
            raise RuntimeError("thing vanished after a conflicting insert")
        raise _exists(raced)
    return thing


async def _insert(
    session: AsyncSession,
    canonical: str,
    covering: ownership.Covering | None,
    *,
    title: str | None,
    category: str | None,
    weight: int,
    now: datetime,
) -> Thing | None:
    """A new thing at ``canonical`` with its event, owned by the covering verified claim's account
    (unclaimed without one); None if another transaction inserted that URL first."""
    thing = await repository.insert_if_absent(
        session,
        {
            "id": new_id("thing"),
            "url": canonical,
            "domain": domain_of(canonical),
            "path": path_of(canonical),
            "owner_id": covering.account_id if covering is not None else None,
            "claim_id": covering.claim_id if covering is not None else None,
            "title": title,
            "category": category,
            "weight": weight,
            "created_at": now,
            "updated_at": now,
            "claimed_at": now if covering is not None else None,
        },
    )
    if thing is not None:
        await OUTBOX.add(session, thing_event(ThingRegistered, thing))
    return thing


def _exists(existing: Thing) -> ProblemError:
    hint = "claim its domain or path prefix" if existing.owner_id is None else "it has an owner"
    return conflict("thing_exists", f"A thing with URL {existing.url} exists ({hint}): {existing.id}")


async def thing_for_url(session: AsyncSession, url: str, now: datetime) -> Thing:
    """The thing at ``url``; an unknown URL becomes the covering verified claim's thing, or an unclaimed one."""
    canonical = canonical_or_refused(url)
    existing = await repository.get_by_url(session, canonical)
    if existing is not None:
        return existing
    domain, path = domain_of(canonical), path_of(canonical)
    await ownership.lock_domain(session, domain, exclusive=False)
    covering = await ownership.covering_claim(session, domain, path)
    thing = await _insert(session, canonical, covering, title=None, category=None, weight=1, now=now)
    if thing is None:  # created by a concurrent click since our look-up
        found = await repository.get_by_url(session, canonical)
        if found is None:
            raise RuntimeError("thing vanished after a conflicting insert")
        return found
    return thing


async def get_thing(session: AsyncSession, thing_id: str) -> Thing:
    thing = await repository.get(session, thing_id)
    if thing is None:
        raise not_found("Thing", thing_id)
    return thing


async def lookup_thing(session: AsyncSession, url: str) -> Thing:
    canonical = canonical_or_refused(url)
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
