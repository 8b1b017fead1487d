"""Where payment providers call back: signed, verified before anything is parsed, applied once."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError

from trickle_kit.dependencies import Sessions
from trickle_kit.problems import FieldError, ProblemError, input_from, problem_responses
from trickle_wallet.deps import Provider
from trickle_wallet.providers import service
from trickle_wallet.providers.base import CallbackRefused, ProviderResult
from trickle_wallet.providers.sandbox import CALLBACK_PATH, SIGNATURE_HEADER
from trickle_wallet.providers.schemas import CallbackAck

router = APIRouter(tags=["providers"])


@router.post(
    CALLBACK_PATH,
    response_model=CallbackAck,
    responses=problem_responses(400, 401, 404, 413, 422),
    summary="Sandbox provider callback (HMAC-signed; not for API clients)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A ProviderResult (id, object, reference, provider_ref, status, reason, amount)",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "parameters": [
            {
                "name": SIGNATURE_HEADER,
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
            }
        ],
    },
)
async def receive_sandbox_callback(request: Request, provider: Provider, sessions: Sessions) -> CallbackAck:
    body = await request.body()
    try:
        provider.verify_callback(request.headers, body)
    except CallbackRefused as exc:
        raise ProblemError(401, exc.code, "Callback refused", exc.detail) from exc
    try:
        result = ProviderResult.model_validate_json(body)
    except ValidationError as exc:
        errors = [
            FieldError(field=".".join(["body", *map(str, e["loc"])]), message=e["msg"], type=e["type"])
            for e in exc.errors(include_url=False)
        ]
        raise ProblemError(
            422, "validation_error", "Invalid callback", "The callback body is invalid", errors=errors
        ) from exc
    async with sessions() as session, session.begin():
        with input_from("body"):
            outcome = await service.apply_callback(session, provider.name, result)
    return CallbackAck(outcome=outcome)
