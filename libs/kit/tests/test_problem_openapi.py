"""The OpenAPI document says what the problem handlers send: errors are Problem as problem+json."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from trickle_kit.problems import PROBLEM_JSON, install_problem_handlers, problem_responses

PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


class Widget(BaseModel):
    model_config = ConfigDict(title="Widget", extra="forbid")

    size: int


class Broken(BaseModel):
    model_config = ConfigDict(title="Broken")

    status: str


def app_with_routes() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/documented", responses=problem_responses(404, 422))
    async def documented(widget: Widget) -> Widget:
        return widget

    @app.post("/undocumented")
    async def undocumented(widget: Widget) -> Widget:
        return widget

    @app.get("/custom", responses={503: {"model": Broken}})
    async def custom() -> dict[str, Any]:
        return {}

    return app


def test_documented_problem_responses_are_problem_json_only() -> None:
    doc = app_with_routes().openapi()
    responses = doc["paths"]["/documented"]["post"]["responses"]
    assert responses["404"]["content"] == PROBLEM
    assert responses["422"]["content"] == PROBLEM


def test_fastapi_default_422_becomes_problem_and_its_schemas_go() -> None:
    doc = app_with_routes().openapi()
    assert doc["paths"]["/undocumented"]["post"]["responses"]["422"]["content"] == PROBLEM
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert "ValidationError" not in doc["components"]["schemas"]
    assert {"Problem", "FieldError"} <= set(doc["components"]["schemas"])


def test_operations_with_a_json_body_document_the_malformed_json_400() -> None:
    doc = app_with_routes().openapi()
    assert doc["paths"]["/undocumented"]["post"]["responses"]["400"]["content"] == PROBLEM
    assert "400" not in doc["paths"]["/custom"]["get"]["responses"]
    response = TestClient(app_with_routes()).post(
        "/undocumented", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_a_documented_non_problem_error_body_is_left_alone() -> None:
    doc = app_with_routes().openapi()
    content = doc["paths"]["/custom"]["get"]["responses"]["503"]["content"]
    assert content == {"application/json": {"schema": {"$ref": "#/components/schemas/Broken"}}}


def test_the_document_matches_what_a_validation_error_sends() -> None:
    response = TestClient(app_with_routes()).post("/undocumented", json={"size": "big"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "validation_error"


async def test_nul_in_text_is_the_clients_422_not_a_500(engine: AsyncEngine) -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/echo")
    async def echo(text_value: str) -> dict[str, Any]:
        async with engine.connect() as conn:
            return {"echo": (await conn.execute(text("SELECT CAST(:v AS text)"), {"v": text_value})).scalar_one()}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kit.test") as client:
        ok = await client.get("/echo", params={"text_value": "fine"})
        nul = await client.get("/echo", params={"text_value": "bad\x00"})
    assert ok.json() == {"echo": "fine"}
    assert nul.status_code == 422
    assert nul.headers["content-type"] == PROBLEM_JSON
    assert nul.json()["code"] == "invalid_character"
