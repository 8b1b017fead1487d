"""An operator's seal before the period's month ends moves the calendar ahead for good: only a
demo installation (the demo_calendar setting, TRICKLE_DEMO_CALENDAR) may do it; elsewhere it is
a 409 problem naming the setting. A period whose month is over may be sealed either way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from trickle_click_ledger.periods.calendar import ends_at
from trickle_click_ledger.seal.service import seal_open_period
from trickle_click_ledger.settings import Settings
from trickle_kit.problems import ProblemError
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of


async def test_without_the_demo_setting_an_early_seal_is_refused_and_the_calendar_stays(
    settings: Any, make_client: Callable[[Any], Any], tokens: TokenFactory
) -> None:
    production = settings.model_copy(update={"demo_calendar": False})
    async with make_client(production) as client:
        before = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
        refused = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["code"] == "period_not_ended"
        assert "TRICKLE_DEMO_CALENDAR" in problem["detail"] and before["id"] in problem["detail"]
        after = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
        assert after == before


async def test_with_the_demo_setting_an_early_seal_moves_the_calendar(
    settings: Any, make_client: Callable[[Any], Any], tokens: TokenFactory
) -> None:
    demo = settings.model_copy(update={"demo_calendar": True})
    async with make_client(demo) as client:
        before = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
        sealed = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
        assert sealed.status_code == 200, sealed.text
        assert sealed.json()["sealed"]["id"] == before["id"]
        after = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
        assert after["id"] == sealed.json()["opened"] != before["id"]


async def test_a_period_whose_month_is_over_may_be_sealed_without_the_demo_setting(
    settings: Any, make_client: Callable[[Any], Any], tokens: TokenFactory
) -> None:
    production = settings.model_copy(update={"demo_calendar": False})
    async with make_client(production) as client:
        current = (await client.get("/v1/periods/current", headers=tokens.operator_headers())).json()
        sessions = sessions_of(client)
        end = ends_at(current["id"])
        async with sessions() as session, session.begin():
            with pytest.raises(ProblemError) as refused:
                await seal_open_period(session, partitions=settings.click_partitions, now=end - timedelta(seconds=1))
        assert refused.value.status == 409 and refused.value.code == "period_not_ended"
        async with sessions() as session, session.begin():
            outcome = await seal_open_period(session, partitions=settings.click_partitions, now=end)
        assert outcome is not None and outcome.period == current["id"]


def test_the_setting_is_off_by_default_and_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TRICKLE_DEMO_CALENDAR", "TRICKLE_CLICK_LEDGER_DEMO_CALENDAR"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().demo_calendar is False
    monkeypatch.setenv("TRICKLE_DEMO_CALENDAR", "true")
    assert Settings().demo_calendar is True
    monkeypatch.delenv("TRICKLE_DEMO_CALENDAR")
    monkeypatch.setenv("TRICKLE_CLICK_LEDGER_DEMO_CALENDAR", "true")
    assert Settings().demo_calendar is True
