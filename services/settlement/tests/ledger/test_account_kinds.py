"""One list of ledger account kinds: the contract's enum is what the ledger's tables accept and its chart types."""

from __future__ import annotations

import re

from sqlalchemy import text

from trickle_events.ledger import PostingLine
from trickle_events.ledger_accounts import HOLDER_KINDS, LedgerAccountKind
from trickle_settlement.ledger.chart import ACCOUNT_TYPE_OF_KIND


async def test_the_database_accepts_exactly_the_kinds_of_the_contract(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        check = (
            await s.execute(
                text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'ledger_accounts'::regclass AND conname = 'ck_ledger_accounts_kind'"
                )
            )
        ).scalar_one()
    accepted = set(re.findall(r"'([a-z_]+)'", check))
    assert accepted == {k.value for k in LedgerAccountKind}


def test_every_kind_has_a_type_and_events_name_only_kinds_the_ledger_creates() -> None:
    assert set(ACCOUNT_TYPE_OF_KIND) == set(LedgerAccountKind)
    assert set(PostingLine.model_json_schema()["$defs"]["LedgerAccountKind"]["enum"]) == set(ACCOUNT_TYPE_OF_KIND)
    assert set(HOLDER_KINDS) < set(LedgerAccountKind)
