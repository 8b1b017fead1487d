"""A problem from the API lands next to the field it names, and what was typed stays (never a password)."""

from __future__ import annotations

from trickle_web.forms import idempotency_key, problem_form

from .support.api import problem


def test_a_field_error_lands_on_its_field_without_the_location() -> None:
    body = {
        "status": 422,
        "code": "validation_error",
        "detail": "Invalid fields: body.email",
        "errors": [{"field": "body.email", "message": "value is not a valid email address", "type": "value_error"}],
    }
    form = problem_form(body, {"email": "ada@", "password": "secret-secret"}, ["email", "password"])
    assert form.errors == {"email": "value is not a valid email address"}
    assert form.error is None
    assert form.values == {"email": "ada@"}  # the password is not sent back into the page


def test_a_nested_field_lands_on_the_form_field_it_starts_with() -> None:
    body = {"status": 422, "code": "x", "errors": [{"field": "body.amount.amount", "message": "must be > 0"}]}
    assert problem_form(body, {}, ["amount", "method"]).errors == {"amount": "must be > 0"}


def test_aliases_map_api_names_to_form_names() -> None:
    body = {"status": 422, "code": "x", "errors": [{"field": "body.monthly_max.amount", "message": "too small"}]}
    form = problem_form(body, {}, ["monthly_max_eur"], aliases={"monthly_max": "monthly_max_eur"})
    assert form.errors == {"monthly_max_eur": "too small"}


def test_rfc9457_invalid_params_are_read_too() -> None:
    body = {"status": 400, "code": "x", "invalid_params": [{"name": "password", "reason": "too short"}]}
    assert problem_form(body, {}, ["email", "password"]).errors == {"password": "too short"}


def test_a_problem_naming_no_field_of_the_form_shows_above_it() -> None:
    body = {"status": 409, "code": "insufficient_funds", "detail": "Your wallet holds 1.00 EUR."}
    form = problem_form(body, {"amount": "5"}, ["amount"])
    assert form.errors == {} and form.error == "Your wallet holds 1.00 EUR."
    assert form.values == {"amount": "5"}


def test_a_code_can_be_put_on_a_field() -> None:
    body = {"status": 409, "code": "email_taken", "detail": "This address has an account."}
    form = problem_form(body, {}, ["email"], code_fields={"email_taken": "email"})
    assert form.errors == {"email": "This address has an account."} and form.error is None


def test_the_clients_problem_model_is_accepted() -> None:
    class Parsed:
        def to_dict(self) -> dict[str, object]:
            return {"status": 422, "code": "weak", "errors": [{"field": "body.password", "message": "too weak"}]}

    assert problem_form(Parsed(), {}, ["password"]).errors == {"password": "too weak"}


def test_a_money_form_keeps_its_key_only_when_asked() -> None:
    submitted = {"idempotency_key": "k" * 20}
    assert idempotency_key(submitted, keep=True) == "k" * 20
    assert idempotency_key(submitted) != "k" * 20
    assert idempotency_key() != idempotency_key()


async def test_the_sign_up_page_shows_the_apis_error_by_the_field_and_keeps_the_input(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on(
        "POST",
        "/v1/people",
        problem(422, "weak_password", "Too short", [{"field": "body.password", "message": "At least 10 characters"}]),
    )
    await browser.get("/sign-up")
    response = await browser.submit(
        "/sign-up", {"email": "ada@example.org", "password": "short", "display_name": "Ada <b>L</b>"}
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="password-error">At least 10 characters</p>' in page
    assert 'aria-describedby="password-hint password-error" aria-invalid="true"' in page
    assert 'value="ada@example.org"' in page and 'value="Ada &lt;b&gt;L&lt;/b&gt;"' in page  # kept, escaped
    assert "short" not in page.replace("shortly", "")  # the password is not echoed


async def test_email_taken_is_shown_on_the_email_field(browser, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.on("POST", "/v1/people", problem(409, "email_taken", "This address already has an account."))
    await browser.get("/sign-up")
    response = await browser.submit("/sign-up", {"email": "a@example.org", "password": "x" * 12, "display_name": "A"})
    assert 'id="email-error">This address already has an account.</p>' in response.text
