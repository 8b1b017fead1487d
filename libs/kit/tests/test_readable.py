"""The one read-scoping mechanism: who reads what, in queries and in text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import ClauseElement

from trickle_kit.auth import Principal
from trickle_kit.readable import HIDDEN, Reader

ME, OTHER, THIRD = "acct_" + "1" * 32, "acct_" + "2" * 32, "acct_" + "3" * 32

rows = Table("rows", MetaData(), Column("owner_id", String), Column("to_id", String), Column("public", Boolean))


def sql(stmt: ClauseElement) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def test_a_principal_reads_as_its_account_and_an_operator_reads_all() -> None:
    holder = Reader.of(Principal(subject=ME, account_id=ME, scopes=frozenset({"ledger:read"})))
    operator = Reader.of(Principal(subject="op", account_id=None, scopes=frozenset({"operator"})))
    assert holder.account_ids == {ME} and not holder.is_operator
    assert operator.is_operator
    assert holder.holds(ME) and not holder.holds(OTHER) and not holder.holds(None)
    assert operator.holds(OTHER) and operator.holds(None)
    assert Reader.for_account(None).is_operator and Reader.for_account(ME).account_ids == {ME}


def test_other_accounts_ids_are_masked_in_text_keeping_its_shape() -> None:
    reader = Reader.for_account(ME)
    assert reader.mask(f"settle:2027-03:{OTHER}") == f"settle:2027-03:{HIDDEN}"
    assert reader.mask(f"{OTHER}->{ME}") == f"{HIDDEN}->{ME}"
    assert reader.mask(f"2027-03:{OTHER}", public_ids=[OTHER]) == f"2027-03:{OTHER}"
    assert reader.mask("transfer:tr_abc") == "transfer:tr_abc"
    assert reader.mask(None) is None
    assert Reader.operator().mask(f"settle:2027-03:{OTHER}") == f"settle:2027-03:{OTHER}"


def test_an_id_is_revealed_to_its_holder_or_when_public() -> None:
    reader = Reader.for_account(ME)
    assert reader.reveal(ME) == ME
    assert reader.reveal(OTHER) is None
    assert reader.reveal(OTHER, public=True) == OTHER
    assert Reader.operator().reveal(OTHER) == OTHER


def test_a_select_is_scoped_to_the_rows_the_reader_holds() -> None:
    stmt = select(rows)
    assert Reader.operator().scope(stmt, rows.c.owner_id) is stmt
    scoped = sql(Reader.for_account(ME).scope(stmt, rows.c.owner_id, rows.c.to_id, public=rows.c.public.is_(True)))
    assert f"rows.owner_id IN ('{ME}')" in scoped and f"rows.to_id IN ('{ME}')" in scoped
    assert "rows.public IS true" in scoped
    assert "false" in sql(Reader().scope(stmt, rows.c.owner_id))


def test_the_webhook_view_of_a_posted_entry_is_expressible_with_a_reader() -> None:
    data: dict[str, Any] = {
        "idempotency_key": f"settle:2027-03:{OTHER}",
        "reference": f"2027-03:{OTHER}",
        "postings": [{"owner_id": OTHER}, {"owner_id": ME}, {"owner_id": THIRD}, {"owner_id": None}],
    }
    reader = Reader.for_account(ME)
    assert [p for p in data["postings"] if reader.holds(p["owner_id"])] == [{"owner_id": ME}]
    assert reader.mask(data["idempotency_key"]) == "settle:2027-03:hidden"
    operator = Reader.for_account(None)
    assert len([p for p in data["postings"] if operator.holds(p["owner_id"])]) == 4
