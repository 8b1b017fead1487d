async def test_liveness_answers_ok(browser) -> None:  # type: ignore[no-untyped-def]
    response = await browser.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readiness_checks_the_database(browser) -> None:  # type: ignore[no-untyped-def]
    response = await browser.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["database"] is True


async def test_static_files_are_served_without_a_session(browser) -> None:  # type: ignore[no-untyped-def]
    response = await browser.get("/static/trickle.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
    assert "set-cookie" not in response.headers


async def test_the_public_site_has_no_api_docs_of_the_web(browser) -> None:  # type: ignore[no-untyped-def]
    for path in ("/docs", "/redoc", "/openapi.json"):
        page = await browser.get(path)
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html"), path


def test_the_openapi_document_still_builds_for_the_merge_tool(app) -> None:  # type: ignore[no-untyped-def]
    assert "/healthz" in app.openapi()["paths"]
