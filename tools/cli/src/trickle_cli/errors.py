"""The CLI's exit codes and the errors that end a command with one of them."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class Exit(IntEnum):
    """Exit codes (documented in docs/operations.md): scripts may rely on them."""

    OK = 0
    CHECK_FAILED = 1  # a check did not hold: books not balanced, backlog too old, dead letters present
    USAGE = 2  # a bad command line (Typer/Click's own code for usage errors)
    REFUSED = 3  # the API refused the request (4xx): bad credentials, not found, conflict...
    UNAVAILABLE = 4  # the gateway is unreachable, or a service answered 5xx


class CliError(Exception):
    """Ends the command: ``message`` on stderr, exit ``code``."""

    def __init__(self, code: Exit, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ApiProblem(CliError):
    """The API answered with a problem (RFC 9457); printed as ``error: <title>: <detail> (<code>)``."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.problem_code = str(problem.get("code") or f"http_{status}")
        title = str(problem.get("title") or f"HTTP {status}")
        detail = problem.get("detail")
        text = f"{title}: {detail}" if detail else title
        super().__init__(Exit.REFUSED if status < 500 else Exit.UNAVAILABLE, f"{text} ({self.problem_code})")
