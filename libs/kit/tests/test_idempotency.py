"""Idempotency-Key: replay, reuse with another body, concurrency, release on failure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.idempotency import IdempotencyKey, begin_idempotent, json_response
from trickle_kit.problems import install_problem_handlers
from trickle_kit.testing import EVENTUAL_S


class Tip(BaseModel):
    amount: int
    slow: bool = False
    fail: bool = False
    fail_after_store: bool = False


@pytest.fixture
async def app(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[FastAPI]:
    async with sessions() as s, s.begin():
        await s.execute(text("CREATE TABLE IF NOT EXISTS tips (id text primary key, amount int)"))
    app = FastAPI()
    install_problem_handlers(app)
    app.state.gate = asyncio.Event()  # a slow request holds its key until the test opens this

    @app.post("/tips", status_code=201)
    async def create_tip(payload: Tip, request: Request, idempotency_key: IdempotencyKey = None) -> Response:
        async with begin_idempotent(
            sessions, key=idempotency_key, scope="acct_1", request=request, body=payload.model_dump(mode="json")
        ) as idem:
            if idem.replay is not None:
                return idem.replay
            if payload.slow:
                await asyncio.wait_for(app.state.gate.wait(), EVENTUAL_S)
            if payload.fail:
                raise RuntimeError("boom")
            tip_id = uuid.uuid4().hex
            async with sessions() as session, session.begin():
                await session.execute(text("INSERT INTO tips VALUES (:i, :a)"), {"i": tip_id, "a": payload.amount})
                response = json_response({"id": tip_id, "amount": payload.amount}, 201)
                await idem.store(session, response)
                if payload.fail_after_store:  # the effect's transaction, with the stored response, rolls back
                    raise RuntimeError("commit failed")
            return response

    yield app


async def count_tips(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as s:
        return int((await s.execute(select(func.count()).select_from(text("tips")))).scalar_one())


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t")


async def test_the_same_key_and_body_replays_the_first_response(app: FastAPI, sessions) -> None:  # type: ignore[no-untyped-def]
    before = await count_tips(sessions)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client(app) as c:
        first = await c.post("/tips", json={"amount": 5}, headers=key)
        second = await c.post("/tips", json={"amount": 5}, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await count_tips(sessions) == before + 1


async def test_the_same_key_with_another_body_is_422(app: FastAPI, sessions) -> None:  # type: ignore[no-untyped-def]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client(app) as c:
        assert (await c.post("/tips", json={"amount": 5}, headers=key)).status_code == 201
        r = await c.post("/tips", json={"amount": 6}, headers=key)
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"


async def test_a_request_whose_effect_rolls_back_after_store_releases_its_key(app: FastAPI, sessions) -> None:  # type: ignore[no-untyped-def]
    before = await count_tips(sessions)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client(app) as c:
        failed = await c.post("/tips", json={"amount": 5, "fail_after_store": True}, headers=key)
        assert failed.status_code == 500
        retried = await c.post("/tips", json={"amount": 5, "fail_after_store": True}, headers=key)
    assert retried.status_code == 500  # not 409 idempotency_request_in_progress for a minute
    assert await count_tips(sessions) == before


async def test_two_concurrent_requests_with_one_key_make_one_effect_and_a_409(app: FastAPI, sessions) -> None:  # type: ignore[no-untyped-def]
    before = await count_tips(sessions)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client(app) as c:
        both = [asyncio.create_task(c.post("/tips", json={"amount": 5, "slow": True}, headers=key)) for _ in "ab"]
        # One request holds the key at the gate; the other is answered while it does.
        first, _ = await asyncio.wait(both, timeout=EVENTUAL_S, return_when=asyncio.FIRST_COMPLETED)
        assert len(first) == 1 and first.pop().result().status_code == 409
        app.state.gate.set()
        a, b = [await t for t in both]
    assert sorted([a.status_code, b.status_code]) == [201, 409]
    loser = a if a.status_code == 409 else b
    assert loser.json()["code"] == "idempotency_request_in_progress"
    assert await count_tips(sessions) == before + 1


async def test_a_failed_request_releases_its_key(app: FastAPI, sessions) -> None:  # type: ignore[no-untyped-def]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client(app) as c:
        failed = await c.post("/tips", json={"amount": 5, "fail": True}, headers=key)
        assert failed.status_code == 500
        retried = await c.post("/tips", json={"amount": 5, "fail": True}, headers=key)
        assert retried.status_code == 500  # not 409: the key was released
    async with client(app) as c:
        ok = await c.post("/tips", json={"amount": 7}, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert ok.status_code == 201
