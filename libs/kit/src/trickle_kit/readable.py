"""What a caller may read: the one read-scoping mechanism of every service (SPEC 4, "Privacy").

A :class:`Reader` is who reads (an operator, or the holder of some accounts). Every read a
non-operator can make goes through it, in the spirit of Polar's repositories' "readable
statement": the query asks only for rows the reader may see, and whatever text is shown
masks the ids of accounts the reader does not hold. Endpoints never filter afterwards.

Use it like this::

    from trickle_kit.readable import Reader

    reader = Reader.of(principal)                       # in an endpoint, from the token
    reader = Reader.for_account(endpoint.account_id)    # for a webhook endpoint (None: operator)

    # rows: only those owned by an account the reader holds (operators: every row)
    stmt = reader.scope(select(Transfer), Transfer.from_account_id, Transfer.to_account_id)
    # ... or also rows that are public anyway
    stmt = reader.scope(select(Click), Click.patron_id, public=Click.public.is_(True))
    # the same condition, to put in a join or a CASE yourself
    stmt = select(Posting).where(reader.holds_column(LedgerAccount.owner_id))

    # values: one account's id, shown only to its holder (or when it gives publicly)
    patron_id = reader.reveal(click.patron_id, public=click.public)
    # text: every other account's id replaced by ``hidden`` ("settle:2027-03:hidden")
    reference = reader.mask(entry.reference)
    # one row's owner
    if reader.holds(account.owner_id): ...

    # an event as a webhook endpoint of ``account_id`` receives it (webhook's messages/views.py)
    reader = Reader.for_account(account_id)
    postings = [p for p in data["postings"] if reader.holds(p["owner_id"])]
    key, reference = reader.mask(data["idempotency_key"]), reader.mask(data["reference"])

Rules it encodes, so no service writes them again:

- operators read everything, unmasked;
- an account holder reads what the accounts they hold own, and sees another account's id
  only where that account gives publicly (``public=`` / ``public_ids=``);
- account ids look like ``acct_…`` (:data:`ACCOUNT_ID`); masking replaces the whole id
  with :data:`HIDDEN`, keeping the text's shape (``settle:2027-03:hidden``), which is the
  convention webhook payloads already follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from sqlalchemy import ColumnElement, Select, false, or_, true

from trickle_kit.auth import Principal

HIDDEN = "hidden"
"""What a masked account id reads as."""

ACCOUNT_ID = re.compile(r"(?<![A-Za-z0-9])acct_\w+")
"""An account id inside free text (``acct_`` and the word that follows: ids are ``acct_<hex>``)."""

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Reader:
    """Who reads: an operator (reads everything) or the holder of ``account_ids``.

    Build it with :meth:`of` (a request's principal), :meth:`for_account` (one account, e.g.
    a webhook endpoint's owner) or :meth:`operator`. Immutable and cheap: build one per read.
    """

    account_ids: frozenset[str] = frozenset()
    is_operator: bool = False

    @classmethod
    def of(cls, principal: Principal) -> Reader:
        """The reader a request's token makes: operators read all; an account's token, its account."""
        if principal.is_operator:
            return cls(is_operator=True)
        return cls(account_ids=frozenset({principal.account_id}) if principal.account_id else frozenset())

    @classmethod
    def for_account(cls, account_id: str | None) -> Reader:
        """The holder of one account; ``None`` stands for an operator (e.g. a platform webhook endpoint)."""
        if account_id is None:
            return cls(is_operator=True)
        return cls(account_ids=frozenset({account_id}))

    @classmethod
    def operator(cls) -> Reader:
        """A reader that sees everything."""
        return cls(is_operator=True)

    # ---- one value ----

    def holds(self, owner_id: str | None) -> bool:
        """True when the reader may read what ``owner_id`` owns (operators: always; ``None``: only operators)."""
        return self.is_operator or (owner_id is not None and owner_id in self.account_ids)

    def reveal(self, account_id: str | None, *, public: bool = False) -> str | None:
        """``account_id`` when the reader holds it, it gives publicly, or the reader is an operator; else None."""
        if account_id is None or public or self.holds(account_id):
            return account_id
        return None

    @overload
    def mask(self, text: str, *, public_ids: Iterable[str] = ()) -> str: ...

    @overload
    def mask(self, text: None, *, public_ids: Iterable[str] = ()) -> None: ...

    def mask(self, text: str | None, *, public_ids: Iterable[str] = ()) -> str | None:
        """``text`` with every account id the reader does not hold (nor in ``public_ids``) replaced by ``hidden``.

        For references and idempotency keys such as ``settle:2027-03:acct_…`` or
        ``patron_wallet:acct_…``. Operators get ``text`` unchanged.
        """
        if text is None or self.is_operator or "acct_" not in text:
            return text
        shown = self.account_ids.union(public_ids)
        return ACCOUNT_ID.sub(lambda m: m.group(0) if m.group(0) in shown else HIDDEN, text)

    # ---- queries ----

    def holds_column(self, *owner_columns: Any, public: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
        """The SQL condition "the reader may read this row": one of ``owner_columns`` is an account it
        holds, or ``public`` is true. Operators: always true; a reader holding nothing: only ``public``.
        """
        if self.is_operator:
            return true()
        held = sorted(self.account_ids)
        conditions: list[ColumnElement[bool]] = [column.in_(held) for column in owner_columns] if held else []
        if public is not None:
            conditions.append(public)
        if not conditions:
            return false()
        return or_(*conditions)

    def scope(self, stmt: SelectT, *owner_columns: Any, public: ColumnElement[bool] | None = None) -> SelectT:
        """``stmt`` narrowed to the rows the reader may read (see :meth:`holds_column`); unchanged for operators."""
        if self.is_operator:
            return stmt
        return stmt.where(self.holds_column(*owner_columns, public=public))
