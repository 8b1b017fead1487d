"""Cursor pagination (``limit``, ``starting_after``; ``has_more``) over id-ordered queries.

Ids are uuid7-based, so id order is creation order. List responses subclass ``Page`` so
each gets its own schema name:  ``class ThingList(Page[ThingOut]): pass``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")
MAX_LIMIT = 100


@dataclass(frozen=True)
class PageParams:
    limit: int
    starting_after: str | None


async def page_params(  # async: a plain def dependency would run in the thread pool
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items at most")] = 20,
    starting_after: Annotated[
        str | None, Query(max_length=100, description="The last id of the previous page", examples=["thing_0190…"])
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, starting_after=starting_after)


Pagination = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list. Pass ``next_starting_after`` as ``starting_after`` for the next page."""

    data: list[T]
    has_more: bool
    next_starting_after: str | None = Field(default=None, description="Cursor of the next page, when has_more")


async def paginate(
    session: AsyncSession, stmt: Select[Any], id_column: InstrumentedAttribute[str], params: PageParams
) -> tuple[Sequence[Any], bool]:
    """Run ``stmt`` (selecting ORM rows) one page at a time; returns (rows, has_more)."""
    if params.starting_after:
        stmt = stmt.where(id_column > params.starting_after)
    rows = (await session.execute(stmt.order_by(id_column).limit(params.limit + 1))).scalars().all()
    return rows[: params.limit], len(rows) > params.limit


def cursor_of(items: Sequence[Any], has_more: bool, attr: str = "id") -> str | None:
    """The ``next_starting_after`` value for a page of items."""
    return getattr(items[-1], attr) if has_more and items else None
