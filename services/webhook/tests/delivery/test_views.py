"""What each account's endpoint sees of an event that concerns several accounts."""

from __future__ import annotations

from trickle_webhook.messages.views import view_for

CLICK = {"click_id": "clk_1", "patron_id": "acct_p", "owner_id": "acct_c", "public": False}


def test_a_creator_does_not_learn_who_clicked_privately() -> None:
    assert view_for("clicks.click.registered", CLICK, "acct_c")["patron_id"] is None
    assert view_for("clicks.click.registered", CLICK, "acct_p")["patron_id"] == "acct_p"
    assert view_for("clicks.click.registered", {**CLICK, "public": True}, "acct_c")["patron_id"] == "acct_p"
    assert view_for("clicks.click.registered", CLICK, None)["patron_id"] == "acct_p"  # operators


def test_a_private_patrons_subscription_is_no_pseudonym_for_the_creator() -> None:
    click = {**CLICK, "subscription_id": "sub_1"}
    assert view_for("clicks.click.registered", click, "acct_c")["subscription_id"] is None
    assert view_for("clicks.click.registered", click, "acct_p")["subscription_id"] == "sub_1"
    assert view_for("clicks.click.registered", {**click, "public": True}, "acct_c")["subscription_id"] == "sub_1"


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


TIP = {"transfer_id": "tr_1", "from_account_id": "acct_patron", "to_account_id": "acct_creator", "note": "hi"}


def test_a_tips_recipient_does_not_learn_who_sent_it() -> None:
    for event_type in ("wallet.transfer.requested", "ledger.transfer.completed", "ledger.transfer.rejected"):
        creator = view_for(event_type, TIP, "acct_creator")
        assert creator == {**TIP, "from_account_id": None}, event_type
        assert view_for(event_type, TIP, "acct_patron") == TIP  # the sender knows whom it tipped
        assert view_for(event_type, TIP, None) == TIP


def test_a_patron_still_sees_the_owner_of_the_thing_clicked() -> None:
    assert view_for("clicks.click.registered", CLICK, "acct_p")["owner_id"] == "acct_c"


def test_any_other_accounts_id_an_event_carries_reaches_only_its_holder() -> None:
    """A type no view knows of, with ids as values, in text and as keys: only the reader's own survive."""
    data = {
        "account_id": "acct_other",
        "mine": "acct_me",
        "reference": "x:acct_other:acct_me",
        "nested": [{"by": "acct_other"}, {"by": "acct_me"}],
        "amounts": {"acct_other": 1, "acct_me": 2},
    }
    assert view_for("some.future.event", data, "acct_me") == {
        "account_id": None,
        "mine": "acct_me",
        "reference": "x:hidden:acct_me",
        "nested": [{"by": None}, {"by": "acct_me"}],
        "amounts": {"acct_me": 2},
    }
    assert view_for("some.future.event", data, None) == data
