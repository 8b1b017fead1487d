"""Settings under which claims fetch their proofs from a local site (``support.sites.LocalSite``)."""

from __future__ import annotations

from trickle_click_ledger.settings import Settings


def claim_settings(settings: Settings, port: int, allow: list[str], shared: list[str] | None = None) -> Settings:
    """Proofs over plain HTTP on ``port``, from the loop-back addresses in ``allow``; ``shared`` hosts (none)."""
    update = {"claim_scheme": "http", "claim_port": port, "ssrf_allow": allow, "shared_hosts": shared or []}
    return settings.model_copy(update=update)
