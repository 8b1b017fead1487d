"""Which provider adapter the wallet uses (the sandbox, until real adapters exist), one per process."""

from __future__ import annotations

from fastapi import FastAPI, Request

from trickle_wallet.deposits.fees import quote_deposit
from trickle_wallet.providers.base import PaymentOrder, PaymentProvider
from trickle_wallet.providers.sandbox import Deliver, FeeOf, SandboxProvider, http_deliver
from trickle_wallet.settings import Settings


def sandbox_fees(settings: Settings) -> FeeOf:
    """The sandbox charges a deposit what the wallet's fee schedule says (payouts are free): no difference to
    reconcile unless someone changes one side."""

    def fee_of(order: PaymentOrder) -> int:
        if order.kind != "deposit":
            return 0
        rule = next((r for method, r in settings.deposit_fees.items() if method == order.method), None)
        return 0 if rule is None else quote_deposit(order.amount, rule).fee.amount

    return fee_of


def sandbox_from_settings(settings: Settings, deliver: Deliver | None = None) -> SandboxProvider:
    """The sandbox provider configured by ``settings``; callbacks go to the wallet's public base URL."""
    return SandboxProvider(
        secret=settings.sandbox_callback_secret,
        deliver=deliver or http_deliver(settings.provider_callback_base_url),
        delay_s=settings.sandbox_callback_delay_s,
        tolerance_s=settings.provider_callback_tolerance_s,
        fee_of=sandbox_fees(settings),
        lose_callbacks=settings.sandbox_lose_callbacks,
    )


def provider_from_settings(settings: Settings) -> PaymentProvider:
    """The provider a process uses: the sandbox, the only adapter so far."""
    return sandbox_from_settings(settings)


def provider_of(app: FastAPI) -> PaymentProvider:
    """The app's provider (``app.state.payment_provider``), created from settings on first use."""
    provider: PaymentProvider | None = getattr(app.state, "payment_provider", None)
    if provider is None:
        provider = provider_from_settings(app.state.settings)
        app.state.payment_provider = provider
    return provider


# async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a thread hop per request.
async def payment_provider(request: Request) -> PaymentProvider:
    """FastAPI dependency: the payment provider."""
    return provider_of(request.app)
