"""Clicks: at most one live click per patron, thing and period; revocable until the period is sealed."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.clicks import repository
from trickle_click_ledger.clicks.events import revoked_event
from trickle_click_ledger.clicks.repository import InsertedClick
from trickle_click_ledger.clicks.writer import new_click, write_batch
from trickle_click_ledger.models import Account, Click, Period
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.lock import current_period_locked, lock_calendar_shared
from trickle_click_ledger.things import service as things
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found
from trickle_kit.readable import Reader

MAX_INSERT_ATTEMPTS = 3


def self_click(thing_id: str) -> ProblemError:
    return ProblemError(422, "self_click", "Self click", f"You own thing {thing_id}; patrons cannot click their own")


async def ensure_may_click(session: AsyncSession, patron_id: str) -> None:
    """The one rule on who may click: not a patron the wallet announced as suspended (or deleted): 409
    ``account_suspended``. An account the wallet has not announced yet may click (events are eventual)."""
    stmt = select(Account.suspended).where(Account.id == patron_id)
    if (await session.execute(stmt)).scalar_one_or_none():
        raise ProblemError(
            409,
            "account_suspended",
            "Account suspended",
            f"Account {patron_id} is suspended: it cannot click (its clicks so far stay)",
        )


async def register_click(
    session: AsyncSession,
    *,
    patron_id: str,
    thing_id: str | None,
    url: str | None,
    partitions: int,
    written_as: str | None = None,
) -> tuple[Click | InsertedClick, bool]:
    """The patron's click on a thing (by id or URL) in the open period; (click, created): the click as
    inserted, or the live click it repeats.

    ``written_as``: the id a group-commit batch wrote this click under when that batch's outcome is
    unknown (its connection died, or its writer was cancelled as the statement ended: it may have
    committed, or may still). The click is looked up by that id under the calendar lock, and
    written under that id too: the primary key then keeps it from being stored twice whichever
    statement commits first, and a live click with that id is this request's, answered as created."""
    now = utcnow()
    if written_as is not None:
        await lock_calendar_shared(session)
        earlier = await repository.get(session, written_as)
        if earlier is not None:
            return earlier, True
    if url is not None:
        thing_id = (await things.thing_for_url(session, url, now)).id
    if thing_id is None:  # the schema requires one of them
        raise ProblemError(422, "validation_error", "Invalid request", "Give thing_id or url")
    click = new_click(patron_id, thing_id, partitions=partitions, now=now)
    if written_as is not None:
        click = replace(click, id=written_as)
    inserted = await write_batch(session, [click])  # the batch of one
    if inserted:
        return inserted[0], True
    # Not inserted: find out why (suspended patron, unknown thing, own thing, no period yet, or
    # clicked already).
    await ensure_may_click(session, patron_id)
    thing = await things.get_thing(session, thing_id)
    if thing.owner_id == patron_id:
        raise self_click(thing.id)
    period = await current_period_locked(session, now)  # opens the first period of a new installation
    for _ in range(MAX_INSERT_ATTEMPTS):
        existing = await repository.live_click(session, patron_id, thing.id, period)
        if existing is not None:  # the usual reason: a repeat click answers the click it repeats
            return existing, existing.id == written_as  # or the batch of unknown outcome did write it
        # Revoked since the batch tried, or no period was open then: again, as a batch of one.
        inserted = await write_batch(session, [new_click(patron_id, thing.id, partitions=partitions, now=now)])
        if inserted:
            return inserted[0], True
    raise conflict("click_contended", "The click changed concurrently; retry")


def _visible(principal: Principal, click: Click | None) -> bool:
    # A click is its patron's history: only the patron (and operators) read it (SPEC 4).
    return click is not None and Reader.of(principal).holds(click.patron_id)


async def get_click(session: AsyncSession, principal: Principal, click_id: str) -> Click:
    click = await repository.get(session, click_id)
    if click is None or not _visible(principal, click):
        raise not_found("Click", click_id)
    return click


async def revoke_click(session: AsyncSession, principal: Principal, click_id: str) -> Click:
    """Revoke the patron's click if its period is still open (repeat revokes return the revoked click)."""
    await lock_calendar_shared(session)
    click = await repository.get(session, click_id, for_update=True)
    if click is None or not _visible(principal, click):
        raise not_found("Click", click_id)
    if click.revoked_at is not None:
        return click
    state = (await session.execute(select(Period.state).where(Period.id == click.period))).scalar_one()
    if state != "open":
        raise conflict("period_sealed", f"Period {click.period} is sealed; its clicks can no longer be revoked")
    click.revoked_at = utcnow()
    await session.flush()
    await OUTBOX.add(session, revoked_event(click, click.revoked_at), partition=click.partition)
    return click


async def list_clicks(
    session: AsyncSession, *, patron_id: str, period: str | None, include_revoked: bool, page: PageParams
) -> tuple[list[Click], bool]:
    stmt = select(Click).where(Click.patron_id == patron_id)
    if period is not None:
        stmt = stmt.where(Click.period == period)
    if not include_revoked:
        stmt = stmt.where(Click.revoked_at.is_(None))
    rows, has_more = await paginate(session, stmt, Click.id, page)
    return list(rows), has_more


async def list_thing_clicks(
    session: AsyncSession, principal: Principal, *, thing_id: str, period: str | None, page: PageParams
) -> tuple[list[Click], bool, set[str]]:
    """A page of the live clicks on the caller's thing, and which of their patrons give publicly now.

    Only the thing's owner (and operators) read them; who clicked follows the patron's current choice.
    """
    thing = await things.get_thing(session, thing_id)
    if thing.owner_id is None or not principal.may_act_for(thing.owner_id):
        raise not_found("Thing", thing_id)
    stmt = select(Click).where(Click.thing_id == thing_id, Click.revoked_at.is_(None))
    if period is not None:
        stmt = stmt.where(Click.period == period)
    rows, has_more = await paginate(session, stmt, Click.id, page)
    clicks = list(rows)
    patrons = {c.patron_id for c in clicks}
    public = set(
        (await session.execute(select(Account.id).where(Account.id.in_(patrons), Account.giving_public))).scalars()
    )
    return clicks, has_more, public
