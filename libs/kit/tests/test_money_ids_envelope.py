"""Small pure pieces of the kit: money rounding, ids, the CloudEvent envelope."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trickle_kit.envelope import Envelope, EnvelopeError, decode, utcnow
from trickle_kit.ids import has_prefix, new_id
from trickle_kit.money import CurrencyMismatch, Money, round_half_even, round_half_up


def test_money_adds_in_one_currency_and_refuses_to_mix() -> None:
    assert Money(amount=150, currency="EUR") + Money(amount=50, currency="EUR") == Money(amount=200, currency="EUR")
    with pytest.raises(CurrencyMismatch):
        _ = Money(amount=1, currency="EUR") + Money(amount=1, currency="USD")


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": 1.5, "currency": "EUR"},
        {"amount": "12", "currency": "EUR"},
        {"amount": 1, "currency": "eur"},
        {"amount": 10**16, "currency": "EUR"},
    ],
)
def test_money_refuses_floats_strings_bad_currencies_and_absurd_amounts(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Money.model_validate(bad)


def test_money_prints_as_units_and_cents() -> None:
    assert str(Money(amount=-1234, currency="EUR")) == "-12.34 EUR"


@pytest.mark.parametrize(("num", "den", "up", "even"), [(25, 10, 3, 2), (35, 10, 4, 4), (24, 10, 2, 2), (1, 3, 0, 0)])
def test_rounding_half_up_and_half_to_even(num: int, den: int, up: int, even: int) -> None:
    assert round_half_up(num, den) == up
    assert round_half_even(num, den) == even


def test_ids_carry_their_type_and_sort_by_creation() -> None:
    first, second = new_id("clk"), new_id("clk")
    assert has_prefix(first, "clk") and not has_prefix(first, "acct")
    assert first < second
    with pytest.raises(ValueError):
        new_id("nope")


def test_an_envelope_round_trips_through_kafka_headers() -> None:
    env = Envelope(
        id="evt_1",
        type="wallet.account.created",
        source="wallet",
        time=utcnow(),
        data={"a": 1},
        subject="acct_1",
        schema_version=2,
    )
    back = decode(env.headers(), env.value())
    assert (back.id, back.type, back.subject, back.schema_version, back.data) == (
        "evt_1",
        env.type,
        "acct_1",
        2,
        {"a": 1},
    )
    assert dict(env.headers())["content-type"] == b"application/json"


@pytest.mark.parametrize(
    ("headers", "value", "reason"),
    [
        ([], b"{}", "ce_specversion"),
        ([("ce_specversion", b"1.0")], b"{}", "missing header ce_id"),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"e"),
                ("ce_type", b"t"),
                ("ce_source", b"s"),
                ("ce_time", b"yesterday"),
            ],
            b"{}",
            "ISO 8601",
        ),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"e"),
                ("ce_type", b"t"),
                ("ce_source", b"s"),
                ("ce_time", b"2026-11-25T00:00:00+00:00"),
            ],
            b"[1]",
            "JSON object",
        ),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"e"),
                ("ce_type", b"t"),
                ("ce_source", b"s"),
                ("ce_time", b"2026-11-25T00:00:00+00:00"),
            ],
            b"\xff",
            "not JSON",
        ),
    ],
)
def test_malformed_records_are_refused_with_a_reason(
    headers: list[tuple[str, bytes]], value: bytes, reason: str
) -> None:
    with pytest.raises(EnvelopeError, match=reason):
        decode(headers, value)
