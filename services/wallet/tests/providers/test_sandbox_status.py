"""The sandbox answers status queries, can lose callbacks, and reports the fees it charged per day."""

from __future__ import annotations

from datetime import date

import pytest

from trickle_kit.money import Money
from trickle_wallet.providers.base import PaymentOrder
from trickle_wallet.providers.sandbox import SandboxProvider, provider_ref_of


class Recorder:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def deliver(self, path: str, headers: dict[str, str], body: bytes) -> int:
        self.bodies.append(body)
        return 200


def _order(reference: str, instruction: str | None, kind: str = "deposit") -> PaymentOrder:
    return PaymentOrder(kind, reference, Money(amount=2_000, currency="EUR"), instruction, "card")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instruction", "status", "reason"),
    [
        (None, "succeeded", None),
        ("succeed", "succeeded", None),
        ("lose_callback", "succeeded", None),
        ("duplicate", "succeeded", None),
        ("out_of_order", "succeeded", None),
        ("fail", "failed", "sandbox_declined"),
        ("timeout", "pending", None),
    ],
)
async def test_a_status_query_answers_what_the_instruction_made_of_the_order_in_any_process(
    instruction: str | None, status: str, reason: str | None
) -> None:
    started, other_process = Recorder(), Recorder()
    sandbox = SandboxProvider(secret="s", deliver=started.deliver, delay_s=0.0)
    order = _order("dep_status", instruction)
    ref = await sandbox.start(order)
    for provider in (sandbox, SandboxProvider(secret="s", deliver=other_process.deliver, delay_s=0.0)):
        answer = await provider.status(order)
        assert answer is not None
        assert (answer.object, answer.reference, answer.provider_ref) == ("deposit", "dep_status", ref)
        assert (answer.status, answer.reason, answer.amount) == (status, reason, order.amount)
    first, second = await sandbox.status(order), await sandbox.status(order)
    assert first is not None and second is not None and first.id != second.id  # each answer is its own notification
    assert ref == provider_ref_of("dep_status")
    await sandbox.aclose()


async def test_a_lost_callback_is_never_delivered_though_the_payment_was_made() -> None:
    recorder = Recorder()
    sandbox = SandboxProvider(secret="s", deliver=recorder.deliver, delay_s=0.0)
    await sandbox.start(_order("dep_lost", "lose_callback"))
    await sandbox.start(_order("dep_kept", "succeed"))
    await sandbox.drain()
    assert [b for b in recorder.bodies if b"dep_lost" in b] == []
    assert len([b for b in recorder.bodies if b"dep_kept" in b]) == 1
    assert [order.reference for _, order, _ in sandbox.processed] == ["dep_lost", "dep_kept"]


async def test_a_sandbox_that_loses_callbacks_loses_every_one() -> None:
    recorder = Recorder()
    sandbox = SandboxProvider(secret="s", deliver=recorder.deliver, delay_s=0.0, lose_callbacks=True)
    for i, instruction in enumerate(["succeed", "fail", "duplicate", "out_of_order"]):
        await sandbox.start(_order(f"dep_{i}", instruction))
    await sandbox.drain()
    assert recorder.bodies == []


async def test_the_fee_report_lists_what_this_sandbox_made_succeed_on_that_day() -> None:
    now = [1_796_256_000.0]  # 2026-12-03T00:00:00Z
    sandbox = SandboxProvider(
        secret="s",
        deliver=Recorder().deliver,
        delay_s=0.0,
        clock=lambda: now[0],
        fee_of=lambda order: 55 if order.kind == "deposit" else 0,
    )
    await sandbox.start(_order("dep_a", "succeed"))
    await sandbox.start(_order("dep_failed", "fail"))
    await sandbox.start(_order("dep_pending", "timeout"))
    await sandbox.start(_order("po_a", "succeed", kind="payout"))
    now[0] += 86_400
    await sandbox.start(_order("dep_next_day", "lose_callback"))
    await sandbox.drain()
    report = await sandbox.fee_report(date(2026, 12, 3))
    assert report.provider == "sandbox" and report.day == date(2026, 12, 3)
    assert [(f.kind, f.reference, f.fee) for f in report.fees] == [
        ("deposit", "dep_a", Money(amount=55, currency="EUR")),
        ("payout", "po_a", Money(amount=0, currency="EUR")),
    ]
    assert [f.reference for f in (await sandbox.fee_report(date(2026, 12, 4))).fees] == ["dep_next_day"]
