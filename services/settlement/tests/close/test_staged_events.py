"""The close's directly built event payloads equal what the event models themselves produce."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from trickle_events.ledger import EntryPosted
from trickle_settlement.close.entries import patron_settled_event, staged_patron_settled
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.entry_events import entry_posted_event, stage_entry_posted
from trickle_settlement.ledger.journal import Leg, NewEntry, PostedEntry, PostedLine
from trickle_settlement.ledger.posting import post_entries
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.split import Budget, SplitClick, split_budget

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _posted(n: int, posted_at: datetime, reference: str | None = "2026-11:acct_p") -> PostedEntry:
    lines = [
        PostedLine("patron_wallet:acct_p", "patron_wallet", "acct_p", 100 * n, "EUR", 5),
        PostedLine("creator_earnings:acct_b", "creator_earnings", "acct_b", -60 * n, "EUR", 60),
        PostedLine("creator_earnings:acct_a", "creator_earnings", "acct_a", -30 * n, "EUR", 1_000_000),
        PostedLine("platform_commission", "platform_commission", None, -5 * n, "EUR", 77),
        PostedLine("escrow:thing_x", "escrow", "thing_x", -5 * n, "EUR", 5),
    ]
    return PostedEntry(
        id=f"je_{n}",
        seq=n,
        idempotency_key=f"settle:2026-11:acct_{n}",
        kind="settlement",
        currency="EUR",
        reference=reference,
        period="2026-11",
        posted_at=posted_at,
        lines=lines,
    )


@pytest.mark.parametrize(
    "posted_at",
    [
        datetime(2026, 11, 30, 23, 59, 59, 123456, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),  # no fraction of a second
        datetime(2026, 12, 1, 1, 2, 3, 500, tzinfo=UTC),
    ],
)
async def test_entry_posted_payload_is_the_models(sessions, posted_at: datetime) -> None:  # type: ignore[no-untyped-def]
    entries = [_posted(1, posted_at), _posted(2, posted_at, reference=None)]
    captured: list[object] = []

    class Capture:
        async def add_many(self, session: object, events: list[object]) -> None:
            captured.extend(events)

        copy_many = add_many

    import trickle_settlement.ledger.entry_events as posting

    original = posting.OUTBOX
    posting.OUTBOX = Capture()  # type: ignore[assignment]
    try:
        await stage_entry_posted(None, entries)  # type: ignore[arg-type]
    finally:
        posting.OUTBOX = original
    for entry, event in zip(entries, captured, strict=True):
        model = entry_posted_event(entry)
        assert event.model_dump(mode="json") == model.model_dump(mode="json")  # type: ignore[attr-defined]
        assert event.partition_key() == model.partition_key()  # type: ignore[attr-defined]
        assert event.subject() == model.subject()  # type: ignore[attr-defined]
        assert (event.topic, event.event_type, event.schema_version) == (  # type: ignore[attr-defined]
            model.topic,
            model.event_type,
            model.schema_version,
        )
        # And the payload is a valid event of its type.
        assert EntryPosted.model_validate(event.model_dump(mode="json")) == model  # type: ignore[attr-defined]


def test_patron_settled_payload_is_the_models() -> None:
    clicks = [
        SplitClick(f"clk_{i}", f"thing_{i}", 1 + i % 3, T0 + timedelta(minutes=i), None if i == 2 else f"acct_{i % 2}")
        for i in range(7)
    ]
    split = split_budget(clicks, Budget(amount=1000, available=700), {"acct_1": 0})
    model = patron_settled_event("2026-11", "acct_p", "je_1", split, "EUR")
    event = staged_patron_settled("2026-11", "acct_p", "je_1", split, "EUR")
    assert event.model_dump(mode="json") == model.model_dump(mode="json")
    assert event.partition_key() == model.partition_key()
    assert event.subject() == model.subject()
    assert (event.topic, event.event_type, event.schema_version) == (
        model.topic,
        model.event_type,
        model.schema_version,
    )


async def _outbox_rows_after(sessions, before: int):  # type: ignore[no-untyped-def]
    async with sessions() as s:
        return (
            await s.execute(
                text("SELECT topic, key, subject, event_type, payload FROM outbox WHERE id > :b ORDER BY id"),
                {"b": before},
            )
        ).all()


async def _outbox_top(sessions) -> int:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        return int((await s.execute(text("SELECT coalesce(max(id), 0) FROM outbox"))).scalar_one())


def _payload(row) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return row.payload if isinstance(row.payload, dict) else json.loads(row.payload)


async def test_a_large_batch_stages_its_entry_events_equal_to_the_models(sessions) -> None:  # type: ignore[no-untyped-def]
    """A batch of 200+ entries stages ``ledger.entry.posted`` by COPY: the same payloads, keys, order as the models."""
    patrons = [f"acct_{uuid.uuid4().hex}" for _ in range(240)]
    creators = [f"acct_{uuid.uuid4().hex}" for _ in range(3)]
    clearing = chart.provider_clearing("sandbox", "EUR")
    entries = [
        NewEntry(
            f"test-fund:{uuid.uuid4().hex}",
            "deposit",
            "EUR",
            [Leg(clearing, 500), Leg(chart.patron_wallet(p, "EUR"), -500)],
        )
        for p in patrons
    ]
    entries += [
        NewEntry(
            idempotency_key=f"settle:2026-11:{p}",
            kind="settlement",
            currency="EUR",
            reference=f"2026-11:{p}",
            period="2026-11",
            legs=[
                Leg(chart.patron_wallet(p, "EUR"), 100 + i),
                Leg(chart.creator_earnings(creators[(i + 1) % 3], "EUR"), -50),
                Leg(chart.creator_earnings(creators[i % 3], "EUR"), -40),
                Leg(chart.platform_commission("EUR"), -5),
                Leg(chart.escrow(f"thing_{i % 4}", "EUR"), -(5 + i)),
            ],
        )
        for i, p in enumerate(patrons[:220])
    ]
    before = await _outbox_top(sessions)
    async with sessions() as s, s.begin():
        posted = await post_entries(s, entries)
    rows = await _outbox_rows_after(sessions, before)
    assert [r.subject for r in rows] == [p.id for p in posted]
    for row, entry in zip(rows, posted, strict=True):
        model = entry_posted_event(entry)
        assert (row.topic, row.key, row.event_type) == (model.topic, model.partition_key(), model.event_type)
        assert _payload(row) == model.model_dump(mode="json")
        assert EntryPosted.model_validate(_payload(row)) == model


async def test_copied_events_land_in_the_outbox_in_order(sessions) -> None:  # type: ignore[no-untyped-def]
    clicks = [SplitClick(f"clk_{i}", f"thing_{i}", 1, T0 + timedelta(minutes=i), f"acct_{i % 3}") for i in range(5)]
    split = split_budget(clicks, Budget(amount=500, available=500))
    patrons = [f"acct_{n:04d}" for n in range(300)]
    before = await _outbox_top(sessions)
    async with sessions() as s, s.begin():
        await OUTBOX.copy_many(s, [staged_patron_settled("2026-11", p, f"je_{p}", split, "EUR") for p in patrons])
    rows = await _outbox_rows_after(sessions, before)
    assert [r.key for r in rows] == patrons
    for row, patron in zip(rows, patrons, strict=True):
        model = patron_settled_event("2026-11", patron, f"je_{patron}", split, "EUR")
        assert (row.topic, row.subject, row.event_type) == (model.topic, model.subject(), model.event_type)
        assert _payload(row) == model.model_dump(mode="json")
    # Clean up: these settlements are not in the ledger, nothing must publish them.
    async with sessions() as s, s.begin():
        await s.execute(text("DELETE FROM outbox WHERE id > :b"), {"b": before})


def test_patron_settled_json_is_the_outboxs_bytes_for_awkward_ids() -> None:
    """The text is what the outbox writes for the model's dump, byte for byte, whatever the ids hold."""
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    odd = ['q"uote', "back\\slash", "new\nline", "sep\u2028", "nul\x00", "é", "😀"]
    clicks = [
        SplitClick(
            f"clk_{name}", f"thing_{name}", 1 + i % 3, T0 + timedelta(minutes=i), None if i == 2 else f"acct_{name}"
        )
        for i, name in enumerate(odd)
    ]
    split = split_budget(clicks, Budget(amount=1000, available=700), {})
    model = patron_settled_event("2026-11", 'acct_p"é', "je_1", split, "EUR")
    event = staged_patron_settled("2026-11", 'acct_p"é', "je_1", split, "EUR")
    assert event.payload_json == dumps(model.model_dump(mode="json"))
