"""The sandbox provider: behaves like a real one (asynchronous, signed callbacks, retries), scriptable.

In sandbox mode an order carries an instruction:

- ``succeed`` (default): one ``succeeded`` callback;
- ``fail``: one ``failed`` callback;
- ``timeout``: no callback at all (the wallet times the order out);
- ``duplicate``: the same ``succeeded`` callback delivered twice;
- ``out_of_order``: ``succeeded``, then late ``pending`` and ``failed`` callbacks that must not regress it;
- ``lose_callback``: the payment succeeds but its callback is lost (the wallet's reconciler asks for it).

``lose_callbacks=True`` loses every callback, whatever the instruction. Asked for an order's status
(``status``), the sandbox answers what the instruction made of it: ``pending`` for ``timeout``,
``failed`` for ``fail``, else ``succeeded``. It keeps no books, so any process's sandbox answers for
any order (the API starts deposits, the worker reconciles them). Its fee report (``fee_report``)
lists the orders *this* sandbox made succeed on a day, each charged ``fee_of(order)``.

Callbacks are signed like Stripe's: header ``Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
of "<t>.<body>">``. ``deliver`` sends one callback and returns the HTTP status; it is injectable so
tests can route callbacks straight into the ASGI app.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal

import httpx
import structlog

from trickle_kit.money import Money
from trickle_kit.tracing import client_transport
from trickle_wallet.providers.base import (
    CallbackRefused,
    FeeReport,
    PaymentOrder,
    ProviderFee,
    ProviderResult,
    ProviderStatus,
)

log = structlog.get_logger("trickle.wallet.sandbox")

NAME = "sandbox"
CALLBACK_PATH = "/v1/providers/sandbox/callbacks"
SIGNATURE_HEADER = "Sandbox-Signature"
SandboxInstruction = Literal["succeed", "fail", "timeout", "duplicate", "out_of_order", "lose_callback"]
INSTRUCTIONS: tuple[str, ...] = ("succeed", "fail", "timeout", "duplicate", "out_of_order", "lose_callback")
DECLINED = "sandbox_declined"

FeeOf = Callable[[PaymentOrder], int]
"""What the sandbox charges for an order, in the order's minor units."""

Deliver = Callable[[str, dict[str, str], bytes], Awaitable[int]]
"""Sends one callback: (path, headers, body) → HTTP status."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Sandbox-Signature`` header value for ``body`` at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str | None, body: bytes, *, now: float, tolerance_s: int) -> None:
    """Raise CallbackRefused unless ``header`` signs ``body`` with ``secret`` within ``tolerance_s`` of ``now``."""
    if not header:
        raise CallbackRefused("missing_signature", f"The {SIGNATURE_HEADER} header is required")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(value)
    stamps, macs = parts.get("t", []), parts.get("v1", [])
    if len(stamps) != 1 or not stamps[0].isdigit() or not macs:
        raise CallbackRefused("invalid_signature", f"The {SIGNATURE_HEADER} header is malformed")
    timestamp = int(stamps[0])
    expected = sign(secret, body, timestamp).rpartition("v1=")[2]
    if not any(hmac.compare_digest(expected, mac) for mac in macs):
        raise CallbackRefused("invalid_signature", "The callback signature does not match its body")
    # Checked after the MAC so that an attacker learns nothing from the timing of a stale forgery.
    if abs(now - timestamp) > tolerance_s:
        raise CallbackRefused("stale_signature", f"The callback timestamp is more than {tolerance_s} s away")


def http_deliver(base_url: str, timeout_s: float = 10.0) -> Deliver:
    """Deliver callbacks over HTTP to ``base_url`` (the wallet's public address).

    The sandbox is part of Trickle: its callbacks carry the deposit's trace (a real provider's start a new one).
    """

    async def deliver(path: str, headers: dict[str, str], body: bytes) -> int:
        async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=client_transport()) as client:
            response = await client.post(path, content=body, headers=headers)
            return response.status_code

    return deliver


def asgi_deliver(app: Any) -> Deliver:
    """Deliver callbacks straight into an ASGI app (the wallet itself, in tests): no socket needed."""

    async def deliver(path: str, headers: dict[str, str], body: bytes) -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox-provider") as client:
            response = await client.post(path, content=body, headers=headers)
            return response.status_code

    return deliver


class SandboxProvider:
    """A payment provider that answers from memory, asynchronously, as told by the order's instruction."""

    name = NAME

    def __init__(
        self,
        *,
        secret: str,
        deliver: Deliver,
        delay_s: float = 0.2,
        tolerance_s: int = 300,
        max_attempts: int = 4,
        retry_base_s: float = 0.2,
        clock: Callable[[], float] = time.time,
        fee_of: FeeOf | None = None,
        lose_callbacks: bool = False,
    ) -> None:
        self.secret = secret
        self.deliver = deliver
        self.delay_s = delay_s
        self.tolerance_s = tolerance_s
        self.max_attempts = max_attempts
        self.retry_base_s = retry_base_s
        self.clock = clock
        self.fee_of: FeeOf = fee_of or (lambda order: 0)
        self.lose_callbacks = lose_callbacks
        self._refs: dict[str, str] = {}
        # The orders this sandbox made succeed: (UTC day, order, fee charged).
        self.processed: list[tuple[date, PaymentOrder, int]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.delivered: list[tuple[int, ProviderResult]] = []

    async def start(self, order: PaymentOrder) -> str:
        if order.reference in self._refs:  # the same order twice (a retry): one payment
            return self._refs[order.reference]
        ref = provider_ref_of(order.reference)
        self._refs[order.reference] = ref
        plan = self._plan(order, ref)
        if _outcome(order) == "succeeded":
            day = datetime.fromtimestamp(self.clock(), UTC).date()
            self.processed.append((day, order, self.fee_of(order)))
        if self.lose_callbacks or order.instruction == "lose_callback":
            log.info("sandbox_callbacks_lost", kind=order.kind, reference=order.reference)
            plan = []
        if plan:
            task = asyncio.create_task(self._send(plan))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        log.info("sandbox_order", kind=order.kind, reference=order.reference, instruction=order.instruction)
        return ref

    async def refund(self, order: PaymentOrder) -> str:
        """A refund is an order like the others here: paid back (or not) as its instruction says."""
        if order.kind != "refund":
            raise ValueError(f"refund() takes refund orders, not {order.kind}")
        return await self.start(order)

    def _result(self, order: PaymentOrder, ref: str, status: ProviderStatus, reason: str | None) -> ProviderResult:
        return ProviderResult(
            id=f"sbxevt_{uuid.uuid4().hex}",
            object=order.kind,
            reference=order.reference,
            provider_ref=ref,
            status=status,
            reason=reason,
            amount=order.amount,
        )

    def _plan(self, order: PaymentOrder, ref: str) -> list[ProviderResult]:
        instruction = order.instruction or "succeed"
        if instruction == "timeout":
            return []
        if instruction == "fail":
            return [self._result(order, ref, "failed", DECLINED)]
        succeeded = self._result(order, ref, "succeeded", None)
        if instruction == "duplicate":
            return [succeeded, succeeded]
        if instruction == "out_of_order":
            late_pending = self._result(order, ref, "pending", None)
            late_failed = self._result(order, ref, "failed", "sandbox_late_failure")
            return [succeeded, late_pending, late_failed]
        return [succeeded]

    def signed(self, result: ProviderResult, timestamp: int | None = None) -> tuple[dict[str, str], bytes]:
        """Headers and body of the callback carrying ``result``."""
        body = result.model_dump_json().encode()
        stamp = int(self.clock()) if timestamp is None else timestamp
        headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(self.secret, body, stamp)}
        return headers, body

    async def _send(self, plan: list[ProviderResult]) -> None:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        for result in plan:
            await self._send_one(result)

    async def _send_one(self, result: ProviderResult) -> None:
        if self.lose_callbacks:
            log.info("sandbox_callback_lost", reference=result.reference, status=result.status)
            return
        # Like a real provider: retry on errors and 5xx with backoff; 2xx and 4xx are final.
        for attempt in range(self.max_attempts):
            headers, body = self.signed(result)
            try:
                status = await self.deliver(CALLBACK_PATH, headers, body)
            except Exception as exc:
                log.warning("sandbox_callback_error", reference=result.reference, error=repr(exc), attempt=attempt)
                status = 0
            if 200 <= status < 500:
                self.delivered.append((status, result))
                return
            await asyncio.sleep(self.retry_base_s * 2**attempt)
        log.error("sandbox_callback_undelivered", reference=result.reference, status=result.status)

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> None:
        verify_signature(
            self.secret, headers.get(SIGNATURE_HEADER), body, now=self.clock(), tolerance_s=self.tolerance_s
        )

    async def status(self, order: PaymentOrder) -> ProviderResult | None:
        """Where ``order`` stands, as its instruction has it; a fresh answer id each time, like a status API."""
        status = _outcome(order)
        ref = self._refs.get(order.reference) or provider_ref_of(order.reference)
        result = ProviderResult(
            id=f"sbxqry_{uuid.uuid4().hex}",
            object=order.kind,
            reference=order.reference,
            provider_ref=ref,
            status=status,
            reason=DECLINED if status == "failed" else None,
            amount=order.amount,
        )
        log.info("sandbox_status", kind=order.kind, reference=order.reference, status=status)
        return result

    async def fee_report(self, day: date) -> FeeReport:
        fees = [
            ProviderFee(order.kind, order.reference, Money(amount=fee, currency=order.amount.currency))
            for processed_on, order, fee in self.processed
            if processed_on == day
        ]
        return FeeReport(provider=self.name, day=day, fees=fees)

    async def drain(self) -> None:
        """Wait until every scheduled callback was delivered (tests, graceful shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task


def provider_ref_of(reference: str) -> str:
    """The sandbox's reference for our ``reference``: the same in every process."""
    return "sbx_" + hashlib.sha256(reference.encode()).hexdigest()[:32]


def _outcome(order: PaymentOrder) -> ProviderStatus:
    """Where an order ends up at the sandbox, by its instruction."""
    instruction = order.instruction or "succeed"
    if instruction == "timeout":
        return "pending"
    if instruction == "fail":
        return "failed"
    return "succeeded"
