"""How a close runs: the one ``CloseConfig``, taken from the settings (``TRICKLE_SETTLEMENT_*``)."""

from __future__ import annotations

from dataclasses import dataclass

from trickle_settlement.settings import Settings

_DEFAULTS = Settings.model_fields


@dataclass(frozen=True)
class CloseConfig:
    """Patrons settled per transaction, how many closed periods unclaimed escrow waits before it is
    refunded, and the deployment's currency (of a close's totals). Defaults are the settings' defaults.

    ``shards``: how many patron ranges a close is cut into (at most; a shard holds at least
    ``batch_patrons`` patrons), so that many workers can take part in it at once."""

    batch_patrons: int = _DEFAULTS["close_batch_patrons"].default
    refund_after_periods: int = _DEFAULTS["escrow_refund_after_periods"].default
    currency: str = _DEFAULTS["currency"].default
    shards: int = 8

    @classmethod
    def from_settings(
        cls, settings: Settings, *, batch_patrons: int | None = None, shards: int | None = None
    ) -> CloseConfig:
        return cls(
            batch_patrons=batch_patrons or settings.close_batch_patrons,
            refund_after_periods=settings.escrow_refund_after_periods,
            currency=settings.currency,
            shards=shards or cls.shards,
        )
