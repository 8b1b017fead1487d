"""What each account's endpoint sees of an event that concerns several accounts."""

from __future__ import annotations

from trickle_webhook.messages.views import view_for

CLICK = {"click_id": "clk_1", "patron_id": "acct_p", "owner_id": "acct_c", "public": False}


def test_a_creator_does_not_learn_who_clicked_privately() -> None:
    assert view_for("clicks.click.registered", CLICK, "acct_c")["patron_id"] is None
    assert view_for("clicks.click.registered", CLICK, "acct_p")["patron_id"] == "acct_p"
    assert view_for("clicks.click.registered", {**CLICK, "public": True}, "acct_c")["patron_id"] == "acct_p"
    assert view_for("clicks.click.registered", CLICK, None)["patron_id"] == "acct_p"  # operators


def test_a_creator_sees_only_their_share_of_a_patron_settlement() -> None:
    data = {
        "patron_id": "acct_p",
        "spent": {"amount": 500, "currency": "EUR"},
        "shares": [
            {"recipient_id": "acct_a", "gross": 300},
            {"recipient_id": "acct_b", "gross": 200},
        ],
        "recipient_ids": ["acct_a", "acct_b"],
    }
    seen = view_for("settlement.patron.settled", data, "acct_b")
    assert seen["patron_id"] is None
    assert seen["shares"] == [{"recipient_id": "acct_b", "gross": 200}]
    assert seen["spent"] == {"amount": 200, "currency": "EUR"} and seen["recipient_ids"] == ["acct_b"]
    assert view_for("settlement.patron.settled", data, "acct_p") == data


def test_entries_and_refunds_show_only_the_accounts_own_lines() -> None:
    entry = {"postings": [{"owner_id": "acct_a", "amount": -1}, {"owner_id": "acct_b", "amount": 1}]}
    assert view_for("ledger.entry.posted", entry, "acct_a")["postings"] == [{"owner_id": "acct_a", "amount": -1}]
    refund = {"refunds": {"acct_a": 3, "acct_b": 4}}
    assert view_for("settlement.escrow.refunded", refund, "acct_b")["refunds"] == {"acct_b": 4}


def test_a_creator_does_not_learn_the_patron_from_a_settlement_entrys_key_or_reference() -> None:
    entry = {
        "idempotency_key": "settle:2026-10:acct_patron",
        "reference": "2026-10:acct_patron",
        "postings": [{"owner_id": "acct_patron", "amount": 500}, {"owner_id": "acct_creator", "amount": -450}],
    }
    creator = view_for("ledger.entry.posted", entry, "acct_creator")
    assert (creator["idempotency_key"], creator["reference"]) == ("settle:2026-10:hidden", "2026-10:hidden")
    patron = view_for("ledger.entry.posted", entry, "acct_patron")
    assert (patron["idempotency_key"], patron["reference"]) == ("settle:2026-10:acct_patron", "2026-10:acct_patron")
