"""Sign-up, sign-in, sign-out, the email verification link and the password reset (the wallet's
#13 endpoints: /v1/people, /v1/sessions, /v1/oauth/revoke, /v1/email-verifications, /v1/password-resets)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from trickle_client.api.wallet import (
    complete_password_reset,
    create_session,
    register_person,
    request_password_reset,
    resend_email_verification,
    verify_email,
)
from trickle_client.models import (
    EmailAddressed,
    EmailVerificationCreate,
    PasswordResetComplete,
    PersonCreate,
    SessionCreate,
)

from trickle_web.forms import problem_form
from trickle_web.next_path import safe_next
from trickle_web.routing import page_router
from trickle_web.sessions.browser import browser, sign_in, sign_out
from trickle_web.templating import render
from trickle_web.upstream import anonymous_api, call, problem_body, revoke, tokens_from

router = page_router()
Text = Annotated[str, Form()]

SIGN_UP_FIELDS = ("email", "password", "display_name")


@router.get("/sign-up")
async def sign_up_page(request: Request, next: str | None = None) -> Response:
    return await render(request, "accounts/sign_up.html", {"next": safe_next(next)})


@router.post("/sign-up")
async def sign_up(
    request: Request, email: Text = "", password: Text = "", display_name: Text = "", next: Text = ""
) -> Response:
    values = {"email": email, "display_name": display_name}
    body = PersonCreate(email=email, password=password, display_name=display_name)
    answer = await call(register_person.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 201:
        form = problem_form(problem_body(answer), values, SIGN_UP_FIELDS, code_fields={"email_taken": "email"})
        return await render(request, "accounts/sign_up.html", {"form": form, "next": safe_next(next)}, 422)
    context = {"email": email, "purpose": "verify", "next": safe_next(next)}
    return await render(request, "accounts/check_mail.html", context, 201)


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    if browser(request).account_id is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return await render(request, "accounts/sign_in.html", {"next": safe_next(next)})


@router.post("/sign-in")
async def sign_in_submit(request: Request, email: Text = "", password: Text = "", next: Text = "") -> Response:
    target = safe_next(next)
    body = SessionCreate(email=email, password=password)
    answer = await call(create_session.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 201:
        problem = problem_body(answer)
        form = problem_form(problem, {"email": email}, ("email", "password"))
        context = {"form": form, "next": target, "unverified": problem.get("code") == "email_not_verified"}
        status = answer.status_code if 400 <= answer.status_code < 500 else 422
        response = await render(request, "accounts/sign_in.html", context, status)
        if "retry-after" in answer.headers:
            response.headers["Retry-After"] = answer.headers["retry-after"]
        return response
    # The raw body: every field of SessionTokens, whatever the client's model keeps.
    await sign_in(request, tokens_from(json.loads(answer.content)))
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
async def sign_out_submit(request: Request) -> Response:
    refresh_token = await sign_out(request)
    if refresh_token is not None:
        await revoke(request, refresh_token)
    return RedirectResponse("/", status_code=303)


@router.get("/verify-email")
async def verify_email_page(request: Request, token: str = "") -> Response:
    # A button, not a GET that confirms: mail scanners open links, and the token works once.
    return await render(request, "accounts/verify_email.html", {"token": token})


@router.post("/verify-email")
async def verify_email_submit(request: Request, token: Text = "") -> Response:
    body = EmailVerificationCreate(token=token)
    answer = await call(verify_email.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 200:
        form = problem_form(problem_body(answer), {}, ())
        return await render(request, "accounts/verify_email.html", {"form": form, "token": ""}, 400)
    email = json.loads(answer.content).get("email", "")
    return await render(request, "accounts/verified.html", {"email": email})


@router.post("/verify-email/resend")
async def resend_verification(request: Request, email: Text = "") -> Response:
    body = EmailAddressed(email=email)
    answer = await call(resend_email_verification.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 202:
        form = problem_form(problem_body(answer), {"email": email}, ("email",))
        return await render(request, "accounts/sign_in.html", {"form": form, "next": safe_next(None)}, 422)
    return await render(request, "accounts/check_mail.html", {"email": email, "purpose": "verify"})


@router.get("/forgot-password")
async def forgot_password_page(request: Request) -> Response:
    return await render(request, "accounts/forgot_password.html")


@router.post("/forgot-password")
async def forgot_password(request: Request, email: Text = "") -> Response:
    body = EmailAddressed(email=email)
    answer = await call(request_password_reset.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 202:
        form = problem_form(problem_body(answer), {"email": email}, ("email",))
        return await render(request, "accounts/forgot_password.html", {"form": form}, 422)
    return await render(request, "accounts/check_mail.html", {"email": email, "purpose": "reset"})


@router.get("/reset-password")
async def reset_password_page(request: Request, token: str = "") -> Response:
    return await render(request, "accounts/reset_password.html", {"token": token})


@router.post("/reset-password")
async def reset_password(request: Request, token: Text = "", password: Text = "") -> Response:
    body = PasswordResetComplete(token=token, password=password)
    answer = await call(complete_password_reset.asyncio_detailed, client=anonymous_api(request), body=body)
    if answer.status_code != 200:
        form = problem_form(problem_body(answer), {}, ("password",))
        return await render(request, "accounts/reset_password.html", {"form": form, "token": token}, 422)
    # Every session of the account ended with the reset, this browser's too.
    await sign_out(request)
    return await render(request, "accounts/password_changed.html")
