"""What a form page shows after the API refused it: the problem's detail next to the field it
names, and what the person typed (never a password), so nothing has to be typed twice."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

IDEMPOTENCY_FIELD = "idempotency_key"
# Never sent back into a page.
SECRET_FIELDS = frozenset({"password", "new_password", "csrf_token"})
LOCATIONS = ("body.", "query.", "path.", "header.")


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@dataclass
class Form:
    """A form's typed values and its errors: ``errors[field]`` next to a field, ``error`` above all."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.error)


def typed(values: Mapping[str, Any]) -> dict[str, str]:
    """What to show again: every submitted text field except secrets."""
    return {k: v for k, v in values.items() if isinstance(v, str) and k not in SECRET_FIELDS}


def problem_form(
    problem: Mapping[str, Any] | HasToDict,
    values: Mapping[str, Any],
    fields: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    code_fields: Mapping[str, str] | None = None,
) -> Form:
    """The form to render again after ``problem`` (a problem+json body or the client's ``Problem``).

    Each entry of the problem's ``errors`` (``{field: "body.amount.amount", message}``; RFC 9457
    ``invalid_params`` ``{name, reason}`` too) lands on the form field it names: the location
    prefix dropped, then ``aliases`` (API field → form field), then the longest form field the
    name starts with (``amount.amount`` → ``amount``). A problem naming no field of this form
    shows its detail above the form, unless ``code_fields`` puts its code on a field
    (``{"email_taken": "email"}``).
    """
    body = problem if isinstance(problem, Mapping) else problem.to_dict()
    names = list(fields)
    form = Form(values=typed(values))
    for entry in field_errors(body):
        name = form_field(entry[0], names, aliases or {})
        if name is None:
            form.error = form.error or entry[1]
        else:
            form.errors.setdefault(name, entry[1])
    code = body.get("code")
    detail = str(body.get("detail") or body.get("title") or "Something went wrong.")
    if not form.errors and isinstance(code, str) and code_fields and code in code_fields:
        form.errors[code_fields[code]] = detail
    elif not form.errors:
        form.error = form.error or detail
    return form


def field_errors(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, message) of a problem's field errors, in either spelling."""
    out: list[tuple[str, str]] = []
    for entry in body.get("errors") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("field"), str):
            out.append((entry["field"], str(entry.get("message") or "Invalid value.")))
    for entry in body.get("invalid_params") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            out.append((entry["name"], str(entry.get("reason") or "Invalid value.")))
    return out


def form_field(path: str, names: list[str], aliases: Mapping[str, str]) -> str | None:
    for location in LOCATIONS:
        if path.startswith(location):
            path = path[len(location) :]
            break
    if path in aliases:
        return aliases[path]
    for alias, name in sorted(aliases.items(), key=lambda kv: -len(kv[0])):
        if path.startswith(alias + "."):
            return name
    matches = [n for n in names if path == n or path.startswith(n + ".")]
    return max(matches, key=len) if matches else None


def idempotency_key(values: Mapping[str, Any] | None = None, *, keep: bool = False) -> str:
    """The Idempotency-Key a money form carries (one per render): the submitted one when ``keep``
    (the API did not answer: sending again must not move money twice), else a new one (the API
    refused, so nothing was made, and the corrected form is another request)."""
    if keep and values is not None:
        given = values.get(IDEMPOTENCY_FIELD)
        if isinstance(given, str) and 8 <= len(given) <= 200:
            return given
    return secrets.token_urlsafe(24)
