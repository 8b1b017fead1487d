"""A private patron's settled month on a platform of its own: the data privacy and authorization tests read.

Cast:
  Pat       a patron who gives privately (the default): deposits, clicks Cora's article,
            subscribes to her video, tips her; Pat's id must reach nobody else.
  Cora      a creator: her site (a real HTTP server) whose domain she proves to control, two
            things on it, a webhook endpoint for every event type (deliveries land on another
            real HTTP server), a payout once paid.
  Stranger  another ordinary account holding every non-operator scope, owning nothing of theirs.
  operator  seals the month and waits for settlement to close it.

``values`` maps a parameter name of openapi.json to the ids this world made: what the privacy
test and the authorization matrix put in path and query parameters. The platform runs apart
from the ``platform`` fixture's (test_month checks whole-platform totals that this data would
change). Everything waits on observed state (``eventually``), never on time.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx

from tests.e2e.platform import LocalHttpServer, Platform, eventually

EUR = "EUR"
TIMEOUT = httpx.Timeout(20.0)
NON_OPERATOR_SCOPES = {
    "accounts:read",
    "accounts:write",
    "wallet:read",
    "wallet:write",
    "clicks:read",
    "clicks:write",
    "ledger:read",
    "webhooks:read",
    "webhooks:write",
}


def eur(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": EUR}


def expect(response: httpx.Response, *statuses: int) -> Any:
    """The JSON body of ``response`` when its status is one of ``statuses`` (default 200); else fail with the body."""
    wanted = statuses or (HTTPStatus.OK,)
    if response.status_code not in wanted:
        raise AssertionError(
            f"{response.request.method} {response.request.url.path}: HTTP {response.status_code} "
            f"(expected {', '.join(str(int(s)) for s in wanted)}): {response.text[:800]}"
        )
    return response.json()


def idempotent() -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(16)}


@dataclass
class Party:
    """An account (or the operator) with an HTTP client through the gateway carrying its bearer token."""

    name: str
    account_id: str
    key_id: str
    http: httpx.Client
    scopes: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"<{self.name} {self.account_id}>"


def _token(gateway: str, client_id: str, secret: str, scope: str | None = None) -> dict[str, Any]:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        form["scope"] = scope
    with httpx.Client(base_url=gateway, timeout=TIMEOUT) as anon:
        return dict(expect(anon.post("/v1/oauth/token", data=form)))


def register(gateway: str, name: str) -> Party:
    with httpx.Client(base_url=gateway, timeout=TIMEOUT) as anon:
        out = expect(
            anon.post(
                "/v1/accounts",
                json={"display_name": name, "email": f"{name.lower()}@example.org"},
                headers=idempotent(),
            ),
            HTTPStatus.CREATED,
        )
    token = _token(gateway, out["api_key"]["id"], out["api_key"]["secret"])
    client = httpx.Client(
        base_url=gateway, timeout=TIMEOUT, headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    return Party(name, out["account"]["id"], out["api_key"]["id"], client, frozenset(token["scope"].split()))


@dataclass
class PrivateMonth:
    platform: Platform
    site: LocalHttpServer
    receiver: LocalHttpServer
    operator: Party = field(init=False)
    patron: Party = field(init=False)
    creator: Party = field(init=False)
    stranger: Party = field(init=False)
    anonymous: Party = field(init=False)
    period: str = ""
    endpoint_id: str = ""
    thing_ids: list[str] = field(default_factory=list)
    thing_urls: list[str] = field(default_factory=list)
    claim_id: str = ""
    deposit_id: str = ""
    click_ids: list[str] = field(default_factory=list)
    subscription_id: str = ""
    transfer_id: str = ""
    payout_id: str = ""
    refund_id: str = ""
    entry_ids: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)

    CREATOR_HOOK = "/cora"

    def wait(self, what: str, probe: Any, good: Any, timeout_s: float = 90.0) -> Any:
        """Poll until ``good``; the time-out is only a safety net for a platform that never gets there."""
        return eventually(what, probe, good, timeout_s=timeout_s, platform=self.platform)

    # ---- what the tests read

    def values(self) -> dict[str, list[str]]:
        """Parameter name (openapi.json) -> the ids of this world to put there."""
        return {
            "account_id": [self.creator.account_id],
            "key_id": [self.creator.key_id],
            "deposit_id": [self.deposit_id],
            "transfer_id": [self.transfer_id],
            "payout_id": [self.payout_id],
            "refund_id": [self.refund_id],
            "thing_id": list(self.thing_ids),
            "click_id": list(self.click_ids),
            "claim_id": [self.claim_id],
            "subscription_id": [self.subscription_id],
            "period": [self.period],
            "period_id": [self.period],
            "entry_id": list(self.entry_ids),
            "endpoint_id": [self.endpoint_id],
            "message_id": list(self.message_ids),
            "owner_id": [self.creator.account_id],
            "patron_id": [self.patron.account_id],
            "url": list(self.thing_urls),
        }

    def deliveries_to_creator(self) -> list[bytes]:
        return [r.body for r in self.receiver.requests_to(self.CREATOR_HOOK)]

    # ---- the month

    def build(self) -> PrivateMonth:
        gw = self.platform.gateway_url
        op_token = _token(gw, "operator", self.platform.operator_secret, scope="operator")
        self.operator = Party(
            "operator",
            "operator",
            "operator",
            httpx.Client(base_url=gw, timeout=TIMEOUT, headers={"Authorization": f"Bearer {op_token['access_token']}"}),
            frozenset({"operator"}),
        )
        self.patron, self.creator, self.stranger = (register(gw, n) for n in ("Pat", "Cora", "Stranger"))
        self.anonymous = Party("anonymous", "", "", httpx.Client(base_url=gw, timeout=TIMEOUT))
        assert self.stranger.scopes == NON_OPERATOR_SCOPES, self.stranger.scopes
        self._creator_setup()
        self._patron_gives()
        self._settle()
        self._payout()
        self._refund()
        self._deliveries()
        return self

    def _creator_setup(self) -> None:
        cora = self.creator.http
        self.endpoint_id = expect(
            cora.post(
                "/v1/webhook-endpoints",
                json={"url": f"{self.receiver.origin}{self.CREATOR_HOOK}", "event_types": [], "description": "all"},
                headers=idempotent(),
            ),
            HTTPStatus.CREATED,
        )["id"]
        claim = expect(cora.post("/v1/claims", json={"domain": self.site.host}, headers=idempotent()), 201)
        self.claim_id = claim["id"]
        proof = (200, {"Content-Type": "text/plain"}, claim["token"].encode())
        self.site.routes["/.well-known/trickle-verification"] = proof
        verified = expect(cora.post(f"/v1/claims/{self.claim_id}/verify"))
        assert verified["verified"] is True, verified
        for path, category in (("posts/quiet-rooms", "article"), ("videos/paper-boats", "video")):
            url = f"{self.site.origin}/{path}"
            thing = expect(
                cora.post(
                    "/v1/things",
                    json={"url": url, "title": f"Cora's {category}", "category": category, "weight": 1},
                    headers=idempotent(),
                ),
                HTTPStatus.CREATED,
            )
            assert thing["owner_id"] == self.creator.account_id, thing
            self.thing_ids.append(thing["id"])
            self.thing_urls.append(url)

    def _patron_gives(self) -> None:
        pat = self.patron.http
        expect(pat.put(f"/v1/accounts/{self.patron.account_id}/budget", json={"amount": eur(3000)}))
        self.deposit_id = expect(
            pat.post("/v1/deposits", json={"method": "card", "amount": eur(10000)}, headers=idempotent()),
            HTTPStatus.ACCEPTED,
        )["id"]
        deposit = self.wait(
            "Pat's deposit to succeed",
            lambda: expect(pat.get(f"/v1/deposits/{self.deposit_id}")),
            lambda d: d["status"] != "pending",
        )
        assert deposit["status"] == "succeeded", deposit
        self.wait(
            "Pat's wallet to hold the deposit",
            lambda: expect(pat.get(f"/v1/accounts/{self.patron.account_id}/balances")),
            lambda b: b["wallet"]["amount"] > 0,
        )
        click = expect(
            pat.post("/v1/clicks", json={"thing_id": self.thing_ids[0]}, headers=idempotent()), HTTPStatus.CREATED
        )
        self.period = click["period"]
        self.subscription_id = expect(
            pat.post("/v1/subscriptions", json={"thing_id": self.thing_ids[1], "periods": 3}, headers=idempotent()),
            HTTPStatus.CREATED,
        )["id"]
        clicks = self.wait(
            "Pat's click and subscription click",
            lambda: expect(pat.get("/v1/clicks", params={"period": self.period, "limit": 100}))["data"],
            lambda data: len(data) == 2,
        )
        self.click_ids = [c["id"] for c in clicks]
        self.transfer_id = expect(
            pat.post(
                "/v1/transfers",
                json={"to_account_id": self.creator.account_id, "amount": eur(1500), "note": "for the boats"},
                headers=idempotent(),
            ),
            HTTPStatus.ACCEPTED,
        )["id"]
        tip = self.wait(
            "Pat's tip to complete",
            lambda: expect(pat.get(f"/v1/transfers/{self.transfer_id}")),
            lambda t: t["status"] != "pending",
        )
        assert tip["status"] == "completed", tip
        self.entry_ids.append(tip["ledger_entry_id"])

    def _settle(self) -> None:
        op = self.operator.http
        sealed = expect(op.post("/v1/periods/current/seal"))
        assert sealed["sealed"]["id"] == self.period, sealed
        self.wait(
            f"settlement to close {self.period}",
            lambda: expect(op.get(f"/v1/periods/{self.period}")),
            lambda s: s["status"] == "closed",
            timeout_s=120,
        )

    def _payout(self) -> None:
        cora = self.creator.http
        self.wait(
            "Cora's earnings of the tip and the month",
            lambda: expect(cora.get(f"/v1/accounts/{self.creator.account_id}/balances")),
            lambda b: b["earnings"]["amount"] >= 3000,
        )
        self.payout_id = expect(
            cora.post("/v1/payouts", json={"amount": eur(1000), "sandbox": "succeed"}, headers=idempotent()),
            HTTPStatus.ACCEPTED,
        )["id"]
        paid = self.wait(
            "Cora's payout to be paid",
            lambda: expect(cora.get(f"/v1/payouts/{self.payout_id}")),
            lambda p: p["status"] in ("paid", "failed", "rejected"),
        )
        assert paid["status"] == "paid", paid

    def _refund(self) -> None:
        """Pat asks for 1.00 of the wallet back (a private patron's refund: nobody else may see it)."""
        pat = self.patron.http
        self.refund_id = expect(
            pat.post(
                "/v1/refunds",
                json={"account_id": self.patron.account_id, "amount": eur(100), "sandbox": "succeed"},
                headers=idempotent(),
            ),
            HTTPStatus.ACCEPTED,
        )["id"]
        refunded = self.wait(
            "Pat's refund to be paid",
            lambda: expect(pat.get(f"/v1/refunds/{self.refund_id}")),
            lambda r: r["status"] in ("paid", "failed", "rejected"),
        )
        assert refunded["status"] == "paid", refunded

    def _deliveries(self) -> None:
        """Every message to Cora's endpoint delivered, among them the settlement that paid her."""
        cora = self.creator.http

        def messages() -> list[dict[str, Any]]:
            return list(
                expect(cora.get(f"/v1/webhook-endpoints/{self.endpoint_id}/messages", params={"limit": 100}))["data"]
            )

        wanted = {"clicks.click.registered", "settlement.patron.settled", "wallet.payout.paid"}
        found = self.wait(
            f"Cora's endpoint to have delivered {sorted(wanted)}",
            messages,
            lambda ms: wanted <= {m["event_type"] for m in ms} and all(m["status"] == "succeeded" for m in ms),
            timeout_s=90,
        )
        self.message_ids = [m["id"] for m in found]
        # The entries Cora has heard of: her settlement's and the ledger's postings to her.
        for message in found:
            entry_id = message["body"]["data"].get("entry_id")
            if entry_id and entry_id not in self.entry_ids:
                self.entry_ids.append(entry_id)
        assert len(self.entry_ids) >= 3, self.entry_ids  # the tip, the settlement, the payout's

    def close(self) -> None:
        for party in (self.operator, self.patron, self.creator, self.stranger, self.anonymous):
            with contextlib.suppress(AttributeError):
                party.http.close()


@contextlib.contextmanager
def settled_private_month() -> Iterator[PrivateMonth]:
    """A platform of its own (rate limits off: the tests call every operation in a row) and the month on it."""
    site, receiver = LocalHttpServer().start(), LocalHttpServer().start()
    plat = Platform(claim_port=site.port, extra_env={"TRICKLE_RATE_LIMIT_ENABLED": "false"})
    world: PrivateMonth | None = None
    try:
        plat.start()
        try:
            world = PrivateMonth(plat, site, receiver).build()
        except Exception as exc:  # say where: the tails of every process's log
            raise AssertionError(f"the private month could not be built: {exc}\n{plat.log_tails()}") from exc
        yield world
    finally:
        if world is not None:
            world.close()
        plat.stop()
        site.stop()
        receiver.stop()
