async def test_liveness_answers_ok(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readiness_checks_database_and_kafka(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": True, "kafka": True}


async def test_readiness_does_not_depend_on_kafka(settings, make_client) -> None:  # type: ignore[no-untyped-def]
    """The API only writes to the outbox: with Kafka unreachable it stays ready, and says so."""
    async with make_client(settings.model_copy(update={"kafka_bootstrap": "127.0.0.1:9"})) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": True, "kafka": False}
