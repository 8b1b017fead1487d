"""Every page router comes from ``page_router()``: out of the OpenAPI document (pages are not the
API), and every POST checked for its CSRF token (tests/test_csrf.py walks the app's routes)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from trickle_web.csrf import check_csrf


def page_router() -> APIRouter:
    return APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
