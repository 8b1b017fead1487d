"""Every service names itself the same way in its CloudEvents: ``source`` = ``trickle/<service_name>``."""

from __future__ import annotations

import importlib

import pytest

from trickle_kit.outbox import Outbox

SERVICES = ["wallet", "click_ledger", "settlement", "webhook"]


@pytest.mark.parametrize("package", SERVICES)
def test_a_services_events_come_from_trickle_slash_its_name(package: str) -> None:
    outbox_module = importlib.import_module(f"trickle_{package}.outbox")
    settings = importlib.import_module(f"trickle_{package}.settings").Settings()
    outboxes = [value for value in vars(outbox_module).values() if isinstance(value, Outbox)]
    assert len(outboxes) == 1, "one outbox per service"
    assert outboxes[0].source == f"trickle/{settings.service_name}"
