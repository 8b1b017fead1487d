"""The operator CLI ``trickle`` (issue 14, part 3), run as a subprocess against a real platform.

A small month on a platform of its own (test_month checks whole-platform totals this data
would change), closed one patron per batch so the close's progress has steps: three patrons
fund their wallets and click; one tips the creator Dora, who is paid out and has a webhook
endpoint that nobody answers. Then the operator runs every command through the gateway:
period status / seal / close --follow to 100 %, the trial balance, accounts found, suspended
and unsuspended, payouts listed and reconciled, webhooks recovered, the outboxes, and a dead
letter made on purpose (a payout paid before it was requested, as an out-of-order producer
would publish it), listed, shown and replayed once the request has arrived: the inbox
applies it once, and a second replay is refused. Errors: a bad credential exits 3 with the
problem printed, an unreachable gateway exits 4, a bad command line 2.

Everything waits on observed state (``eventually``), never on time.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from tests.e2e.platform import LocalHttpServer, Platform, eventually, free_ports
from tests.e2e.private_month import TIMEOUT, Party, eur, expect, idempotent, register
from trickle_events.wallet import PayoutPaid, PayoutRequested
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id

TRICKLE = Path(sys.executable).parent / "trickle"
PATRONS = ("Ada", "Ben", "Cy")


@dataclass
class Run:
    """What ``trickle`` did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class CliMonth:
    platform: Platform
    operator: httpx.Client
    patrons: list[Party] = field(default_factory=list)
    creator: Party | None = None
    period: str = ""
    payout_id: str = ""
    endpoint_id: str = ""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def trickle(self, *args: str, secret: str | None = None, url: str | None = None) -> Run:
        """Run the CLI with the operator's credential (``secret``/``url`` override them) and return what it did."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRICKLE_")}
        env["TRICKLE_URL"] = url or self.platform.gateway_url
        env["TRICKLE_CLIENT_SECRET"] = secret if secret is not None else self.platform.operator_secret
        env["COLUMNS"] = "200"
        done = subprocess.run([str(TRICKLE), *args], env=env, capture_output=True, text=True, timeout=300, check=False)
        return Run(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> Run:
        run = self.trickle(*args)
        assert run.code == 0, f"trickle {' '.join(args)} exited {run.code}\nstdout: {run.out}\nstderr: {run.err}"
        return run

    def wait(self, what: str, probe: Any, good: Any, timeout_s: float = 90.0) -> Any:
        return eventually(what, probe, good, timeout_s=timeout_s, platform=self.platform)

    @property
    def dora(self) -> Party:
        assert self.creator is not None
        return self.creator


def _build(month: CliMonth) -> None:
    gw = month.platform.gateway_url
    month.creator = register(gw, "Dora")
    dora = month.dora.http
    # Dora's endpoint answers nothing (a closed port): its messages fail, for `webhooks recover`.
    (dead_port,) = free_ports(1)
    month.endpoint_id = expect(
        dora.post(
            "/v1/webhook-endpoints",
            json={"url": f"http://127.0.0.1:{dead_port}/hook", "event_types": [], "description": "down"},
            headers=idempotent(),
        ),
        HTTPStatus.CREATED,
    )["id"]
    for name in PATRONS:
        patron = register(gw, name)
        month.patrons.append(patron)
        expect(patron.http.put(f"/v1/accounts/{patron.account_id}/budget", json={"amount": eur(500)}))
        expect(
            patron.http.post("/v1/deposits", json={"method": "card", "amount": eur(5000)}, headers=idempotent()),
            HTTPStatus.ACCEPTED,
        )
        month.wait(
            f"{name}'s wallet to hold the deposit",
            lambda p=patron: expect(p.http.get(f"/v1/accounts/{p.account_id}/balances")),
            lambda b: b["wallet"]["amount"] > 0,
        )
        click = expect(
            patron.http.post(
                "/v1/clicks", json={"url": f"https://cli.example.org/{name.lower()}"}, headers=idempotent()
            ),
            HTTPStatus.CREATED,
        )
        month.period = click["period"]
    ada = month.patrons[0]
    tip = expect(
        ada.http.post(
            "/v1/transfers", json={"to_account_id": month.dora.account_id, "amount": eur(2000)}, headers=idempotent()
        ),
        HTTPStatus.ACCEPTED,
    )
    month.wait(
        "Ada's tip to complete",
        lambda: expect(ada.http.get(f"/v1/transfers/{tip['id']}")),
        lambda t: t["status"] == "completed",
    )
    month.payout_id = expect(
        dora.post("/v1/payouts", json={"amount": eur(1000), "sandbox": "succeed"}, headers=idempotent()),
        HTTPStatus.ACCEPTED,
    )["id"]
    month.wait(
        "Dora's payout to be paid",
        lambda: expect(dora.get(f"/v1/payouts/{month.payout_id}")),
        lambda p: p["status"] == "paid",
    )


@pytest.fixture(scope="module")
def month() -> Iterator[CliMonth]:
    site = LocalHttpServer().start()
    plat = Platform(
        claim_port=site.port,
        extra_env={"TRICKLE_RATE_LIMIT_ENABLED": "false", "TRICKLE_SETTLEMENT_CLOSE_BATCH_PATRONS": "1"},
    )
    try:
        plat.start()
        form = {"grant_type": "client_credentials", "client_id": "operator", "client_secret": plat.operator_secret}
        token = expect(httpx.post(f"{plat.gateway_url}/v1/oauth/token", data=form, timeout=TIMEOUT))["access_token"]
        operator = httpx.Client(
            base_url=plat.gateway_url, timeout=TIMEOUT, headers={"Authorization": f"Bearer {token}"}
        )
        world = CliMonth(plat, operator)
        try:
            _build(world)
        except Exception as exc:
            raise AssertionError(f"the CLI's month could not be built: {exc}\n{plat.log_tails()}") from exc
        yield world
        operator.close()
    finally:
        plat.stop(keep_data=os.environ.get("TRICKLE_E2E_KEEP") == "1")
        site.stop()


# ---------------------------------------------------------------- periods and the books


def test_an_operator_seals_the_month_and_follows_its_close_to_100_percent(month: CliMonth) -> None:
    opened = month.ok("period", "status", "--json").json()  # the open period, by default
    assert (opened["period"], opened["status"]) == (month.period, "open"), opened
    assert opened["progress"] == {"patrons_done": 0, "patrons_total": 3}

    sealed = month.ok("period", "seal", "--json").json()
    assert sealed["sealed"]["id"] == month.period, sealed

    # The seal markers start the close; `close` then finds it closing (202) or closed (a note).
    month.wait(
        f"settlement to start closing {month.period}",
        lambda: month.trickle("period", "status", month.period, "--json"),
        lambda run: run.code == 0 and run.json()["status"] != "open",
    )
    followed = month.ok("period", "close", month.period, "--follow", "--interval", "0.1")
    assert f"{month.period} closed: 3/3 patrons (100 %)" in followed.out, followed

    status = month.ok("period", "status", month.period, "--json").json()
    assert status["status"] == "closed"
    assert status["progress"] == {"patrons_done": 3, "patrons_total": 3}
    assert status["totals"]["patrons_settled"] == 3
    assert status["totals"]["spent"] == eur(1500)

    table = month.ok("period", "status", month.period)
    assert "closed" in table.out and "3/3 (100 %)" in table.out, table.out


def test_the_trial_balance_verifies_and_prints_json(month: CliMonth) -> None:
    verified = month.ok("ledger", "trial-balance", "--verify", "--json").json()
    assert verified["balanced"] is True and verified["balances_match_postings"] is True
    assert all(t["difference"] == 0 for t in verified["totals"]), verified["totals"]
    assert month.ok("ledger", "trial-balance", "--verify").code == 0


# ---------------------------------------------------------------- accounts, payouts, webhooks, outboxes


def test_an_operator_finds_suspends_and_unsuspends_an_account(month: CliMonth) -> None:
    ben = month.patrons[1]
    found = month.ok("accounts", "find", "--email", "BEN@example.org", "--json").json()
    assert [a["id"] for a in found["data"]] == [ben.account_id]
    by_name = month.ok("accounts", "find", "Dor", "--json").json()
    assert month.dora.account_id in [a["id"] for a in by_name["data"]]

    suspended = month.ok("accounts", "suspend", ben.account_id, "--reason", "chargebacks", "--json").json()
    assert (suspended["suspended"], suspended["suspended_reason"]) == (True, "chargebacks")
    refused = ben.http.post("/v1/deposits", json={"method": "card", "amount": eur(1000)}, headers=idempotent())
    assert refused.status_code >= 400 and refused.json()["code"] == "account_suspended", refused.text

    lifted = month.ok("accounts", "unsuspend", ben.account_id, "--json").json()
    assert lifted["suspended"] is False


def test_payouts_are_listed_and_reconciled(month: CliMonth) -> None:
    listed = month.ok("payouts", "list", "--limit", "100", "--json").json()
    mine = [p for p in listed["data"] if p["id"] == month.payout_id]
    assert mine and mine[0]["status"] == "paid" and mine[0]["account_id"] == month.dora.account_id, listed
    assert month.payout_id in month.ok("payouts", "list", "--limit", "100").out
    processing = month.ok("payouts", "list", "--status", "processing", "--json").json()
    assert month.payout_id not in [p["id"] for p in processing["data"]]

    reconciled = month.ok("payouts", "reconcile", "--json").json()
    assert reconciled["checked"] >= 0 and isinstance(reconciled["orders"], list)


def test_failed_webhook_messages_are_recovered(month: CliMonth) -> None:
    dora = month.dora.http

    def failed() -> list[dict[str, Any]]:
        page = expect(dora.get(f"/v1/webhook-endpoints/{month.endpoint_id}/messages", params={"limit": 100}))
        return [m for m in page["data"] if m["status"] == "failed"]

    month.wait("a message to Dora's dead endpoint to fail", failed, lambda ms: len(ms) >= 1)
    since = month.started_at.strftime("%Y-%m-%dT%H:%M:%S")
    recovered = month.ok("webhooks", "recover", month.endpoint_id, "--since", since, "--json").json()
    assert recovered["endpoint_id"] == month.endpoint_id and recovered["requeued"] >= 1, recovered


def test_outbox_status_covers_every_service(month: CliMonth) -> None:
    backlog = month.ok("outbox", "status", "--json").json()
    assert [b["service"] for b in backlog["data"]] == ["wallet", "click-ledger", "settlement", "webhook"]
    assert all(isinstance(b["pending"], int) and b["pending"] >= 0 for b in backlog["data"])
    assert "settlement" in month.ok("outbox", "status").out


# ---------------------------------------------------------------- dead letters


async def _publish(platform: Platform, event: PayoutPaid | PayoutRequested) -> str:
    """Publish ``event`` on the wallet topic as the wallet's relay would (a CloudEvent, keyed by account)."""
    envelope = Envelope(
        id=new_id("evt"),
        type=event.event_type,
        source="trickle/wallet",
        time=utcnow(),
        data=event.model_dump(mode="json"),
        subject=event.subject(),
    )
    producer = AIOKafkaProducer(bootstrap_servers=platform.kafka, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            platform.topic(event.topic),
            value=envelope.value(),
            key=(event.partition_key() or "").encode(),
            headers=envelope.headers(),
        )
    finally:
        await producer.stop()
    return envelope.id


def _in_transit(month: CliMonth) -> int:
    balances = expect(month.operator.get(f"/v1/ledger/accounts/{month.dora.account_id}/balances"))["balances"]
    return sum(int(b["balance"]["amount"]) for b in balances if b["kind"] == "payouts_in_transit")


def test_a_dead_letter_is_listed_shown_and_replayed_once(month: CliMonth) -> None:
    dora = month.dora.account_id
    payout_id = new_id("po")
    amount = {"amount": 100, "currency": "EUR"}
    # Paid before it was requested: settlement cannot settle a payout it never reserved.
    paid = PayoutPaid.model_validate(
        {"payout_id": payout_id, "account_id": dora, "amount": amount, "provider": "sandbox"}
    )
    event_id = asyncio.run(_publish(month.platform, paid))

    def settlement_letters() -> list[dict[str, Any]]:
        run = month.trickle("dlq", "list", "--service", "settlement", "--json")
        assert run.code == 0, run.err
        return [d for d in run.json()["data"] if d["event_id"] == event_id]

    letters = month.wait("settlement to dead-letter the early payout.paid", settlement_letters, lambda ds: len(ds) == 1)
    assert letters[0]["consumer"] == "settlement.wallet" and "never reserved" in letters[0]["error"], letters
    assert event_id in month.ok("dlq", "list").out
    assert month.trickle("dlq", "list", "--service", "settlement", "--check").code == 1

    # The inbox notes the dead letter, then sends its record to the DLQ topic: wait for the record too.
    shown = month.wait(
        "the dead letter's record on the DLQ topic",
        lambda: month.ok("dlq", "show", event_id, "--json").json(),
        lambda d: d["event_type"] is not None,
    )
    assert shown["event_type"] == "wallet.payout.paid" and shown["service"] == "settlement", shown
    assert shown["payload"]["payout_id"] == payout_id and shown["topic"] == month.platform.topic("wallet")
    assert "never reserved" in shown["reason"]

    # The request arrives late: the ledger reserves the payout; now the dead letter can apply.
    before = _in_transit(month)
    requested = PayoutRequested.model_validate(
        {"payout_id": payout_id, "account_id": dora, "amount": amount, "provider": "sandbox"}
    )
    asyncio.run(_publish(month.platform, requested))
    month.wait(
        "the late request to reserve 1.00", lambda: _in_transit(month), lambda v: v == before - 100 or v == before + 100
    )
    reserved = _in_transit(month)

    replayed = month.ok("dlq", "replay", event_id, "--json").json()
    assert [r["consumers"] for r in replayed["data"]] == [["settlement.wallet"]], replayed
    month.wait("the replayed payout.paid to settle the payout", lambda: _in_transit(month), lambda v: v == before)
    month.wait("the dead letter to be gone", settlement_letters, lambda ds: ds == [])
    assert reserved != before

    again = month.trickle("dlq", "replay", event_id, "--service", "settlement")
    assert again.code == 3, again
    assert again.err.startswith("error: ") and "(dead_letter_not_dead)" in again.err, again.err
    assert _in_transit(month) == before
    statement = expect(month.operator.get(f"/v1/ledger/accounts/{dora}/statement", params={"limit": 100}))
    settles = {
        line["entry_id"]
        for line in statement["data"]
        if line["entry_kind"] == "payout_settle" and line["reference"] == payout_id
    }
    assert len(settles) == 1, statement
    assert month.ok("ledger", "trial-balance", "--verify").code == 0


# ---------------------------------------------------------------- errors and exit codes


def test_a_bad_credential_exits_3_with_the_problem_printed(month: CliMonth) -> None:
    run = month.trickle("period", "status", month.period, "--json", secret="not-the-secret")
    assert run.code == 3, run
    assert run.out == ""
    assert run.err.startswith("error: ") and "(invalid_client)" in run.err, run.err


def test_a_missing_period_is_refused_with_exit_3(month: CliMonth) -> None:
    run = month.trickle("period", "status", "1999-01")
    assert run.code == 3 and "(not_found)" in run.err, run


def test_an_unreachable_gateway_exits_4(month: CliMonth) -> None:
    (port,) = free_ports(1)
    run = month.trickle("outbox", "status", url=f"http://127.0.0.1:{port}")
    assert run.code == 4, run
    assert run.err.startswith("error: gateway unreachable"), run.err


def test_a_bad_command_line_exits_2(month: CliMonth) -> None:
    assert month.trickle("period", "close").code == 2
    assert month.trickle("outbox", "status", "--service", "nowhere").code == 2
