"""docker-compose.yml, the Kubernetes manifests, the Dockerfile, the Procfile and `make run`
name only what exists in the code: every service (API and worker), its port, and settings
fields it really reads. Docker cannot run here, so these files are held to the code instead."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.deploy_model import (
    REPO,
    check_env,
    code_services,
    field_of_env,
    parse_upstreams,
    role_of,
    settings_class,
    worker_services,
)

COMPOSE = REPO / "docker-compose.yml"
K8S = REPO / "deploy" / "k8s"
GATEWAY = REPO / "deploy" / "gateway"


@pytest.fixture(autouse=True)
def no_trickle_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings defaults, whatever the environment of the test run sets."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("TRICKLE_"):
            monkeypatch.delenv(name)


def load_compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def interpolate(value: Any) -> str:
    """Compose's ${VAR:-default} / ${VAR:?error} / ${VAR}, as if the .env set required ones to a sample."""

    def sub(m: re.Match[str]) -> str:
        op, arg = m.group(2) or "", m.group(3) or ""
        return arg if op in (":-", "-") else "sample-secret"

    return re.sub(r"\$\{([A-Za-z0-9_]+)(:?[-?])?([^}]*)\}", sub, str(value))


def cli_port(command: list[str]) -> int:
    return int(command[command.index("--port") + 1])


def compose_roles() -> dict[tuple[str, str], list[str]]:
    roles: dict[tuple[str, str], list[str]] = {}
    for name, spec in load_compose()["services"].items():
        if (role := role_of(spec.get("command"))) is not None:
            roles.setdefault(role, []).append(name)
    return roles


# ---- docker-compose.yml ------------------------------------------------------------------


def test_compose_parses_and_has_infrastructure() -> None:
    services = load_compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:4.")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, combined
    assert "CLUSTER_ID" in kafka["environment"]
    assert services["gateway"]["ports"] == ["8080:8080"]


def test_every_service_has_an_api_and_a_worker() -> None:
    roles = compose_roles()
    for svc in code_services():
        assert len(roles.get(("api", svc), [])) == 1, f"no (or several) API containers for {svc}: {roles}"
    for svc in worker_services():
        assert roles.get(("worker", svc)), f"no worker container for {svc}"
    unknown = {svc for _, svc in roles} - set(code_services())
    assert not unknown, f"compose runs services the code does not have: {unknown}"


def test_ports_are_the_settings_ports() -> None:
    services = load_compose()["services"]
    for (role, svc), names in compose_roles().items():
        if role != "api":
            continue
        spec = services[names[0]]
        port = settings_class(svc)().port  # type: ignore[attr-defined]
        assert cli_port(spec["command"]) == port, f"{names[0]} listens on another port than {port}"
        published = [str(p).rsplit(":", 1)[-1] for p in spec.get("ports", [])]
        assert published == [str(port)], f"{names[0]} publishes {published}, its port is {port}"
        assert f":{port}/readyz" in " ".join(spec["healthcheck"]["test"]), f"{names[0]} healthcheck is not its /readyz"
    for name, spec in services.items():
        if role_of(spec.get("command")) is None and name not in ("gateway",):
            assert not spec.get("ports"), f"{name} publishes ports"


def test_environment_names_are_settings_fields() -> None:
    services = load_compose()["services"]
    for (_, svc), names in compose_roles().items():
        for name in names:
            env = {k: interpolate(v) for k, v in services[name].get("environment", {}).items()}
            assert f"{settings_class(svc).model_config['env_prefix']}DATABASE_URL" in env, f"{name}: no database URL"
            assert "TRICKLE_KAFKA_BOOTSTRAP" in env, f"{name}: no Kafka"
            check_env(svc, env, f"docker-compose {name}")


def test_a_misspelled_variable_is_caught() -> None:
    with pytest.raises(AssertionError, match="not settings of wallet"):
        check_env("wallet", {"TRICKLE_WALLET_DATABSE_URL": "postgresql+asyncpg://x/y"}, "probe")
    with pytest.raises(AssertionError, match="not settings of click_ledger"):
        check_env("click_ledger", {"TRICKLE_KAFKA_BOOTSTRAPS": "kafka:9092"}, "probe")


def test_migrate_covers_every_database() -> None:
    services = load_compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"][0] == "trickle-migrate"
    init_sql = (REPO / "deploy" / "docker" / "postgres-init.sql").read_text()
    for svc in code_services():
        assert svc in migrate["command"], f"migrate does not migrate {svc}"
        env = {k: interpolate(v) for k, v in migrate["environment"].items() if k.startswith(f"TRICKLE_{svc.upper()}_")}
        check_env(svc, env, "docker-compose migrate")
        database = settings_class(svc)().database_url.rsplit("/", 1)[-1]  # type: ignore[attr-defined]
        assert f"CREATE DATABASE {database};" in init_sql, f"postgres-init.sql does not create {database}"
        url = env.get(f"TRICKLE_{svc.upper()}_DATABASE_URL", "")
        assert url.endswith(f"@postgres:5432/{database}"), url


def test_files_it_names_exist() -> None:
    for name, spec in load_compose()["services"].items():
        if "build" in spec:
            build = spec["build"]
            assert (REPO / build["context"] / build["dockerfile"]).is_file(), f"{name}: no {build['dockerfile']}"
        for volume in spec.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (REPO / source).is_file(), f"{name} mounts {source}, which does not exist"


def test_dockerfile_installs_and_migrates_every_service() -> None:
    dockerfile = (REPO / "deploy" / "docker" / "Dockerfile").read_text()
    for svc in code_services():
        assert f"./services/{svc}" in dockerfile, f"the image does not install {svc}"
        assert f"COPY services/{svc}/migrations " in dockerfile, f"the image lacks {svc}'s migrations"
        assert f"COPY services/{svc}/alembic.ini " in dockerfile
    for src in re.findall(r"^COPY\s+(?!--from)(\S+)\s", dockerfile, re.M):
        assert (REPO / src).exists(), f"Dockerfile copies {src}, which does not exist"
    ignored = (REPO / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "var" in ignored and ".git" in ignored


def test_gateway_upstreams_are_the_compose_apis() -> None:
    services = load_compose()["services"]
    gateway = services["gateway"]
    mounts = {target: source for source, target, *_ in (v.split(":") for v in gateway["volumes"])}
    conf = (REPO / mounts["/etc/nginx/nginx.conf"].removeprefix("./")).read_text()
    assert "include /etc/nginx/trickle/routes.conf;" in conf
    assert mounts["/etc/nginx/trickle/routes.conf"] == "./deploy/gateway/routes.conf"
    upstreams = parse_upstreams(conf)
    apis = {svc: names[0] for (role, svc), names in compose_roles().items() if role == "api"}
    assert set(upstreams) == {f"trickle_{svc}" for svc in code_services()}
    for svc, name in apis.items():
        port = settings_class(svc)().port  # type: ignore[attr-defined]
        assert upstreams[f"trickle_{svc}"] == [f"{name}:{port}"]
        assert name in gateway["depends_on"]


# ---- Kubernetes --------------------------------------------------------------------------


def k8s_docs() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path, doc


def test_k8s_manifests_parse_and_are_complete() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    configmap = next(doc for _, doc in k8s_docs() if doc["kind"] == "ConfigMap")
    image = next(iter({s.get("image") for s in load_compose()["services"].values() if "build" in s}))
    deployments: dict[tuple[str, str], dict[str, Any]] = {}
    ports: dict[str, int] = {}
    for path, doc in k8s_docs():
        assert {"apiVersion", "kind", "metadata"} <= set(doc), f"{path.name}: not a Kubernetes object"
        if doc["kind"] == "Service":
            ports[doc["metadata"]["name"]] = doc["spec"]["ports"][0]["port"]
        if doc["kind"] != "Deployment":
            continue
        spec = doc["spec"]
        assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
        pod = spec["template"]["spec"]
        for container in pod["containers"] + pod.get("initContainers", []):
            assert container["image"] == image, f"{path.name}: {container['image']} is not the compose image {image}"
            env = dict(configmap["data"]) | {e["name"]: e.get("value", "from-secret") for e in container.get("env", [])}
            role = role_of(container["command"])
            if role is None:  # the migrate init container
                assert container["command"][0] == "trickle-migrate"
                continue
            deployments[role] = container
            check_env(role[1], env, f"{path.name} {container['name']}")
    for svc in worker_services():
        assert ("worker", svc) in deployments, f"no worker Deployment for {svc}"
    for svc in code_services():
        api = deployments[("api", svc)]
        port = settings_class(svc)().port  # type: ignore[attr-defined]
        assert cli_port(api["command"]) == port and api["ports"][0]["containerPort"] == port
        assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert port in ports.values(), f"no Service on {svc}'s port {port}"


# ---- local: Procfile and `make run` -----------------------------------------------------


def test_procfile_runs_every_service_on_its_port_variable() -> None:
    procfile = dict(
        line.split(":", 1) for line in (REPO / "deploy" / "local" / "Procfile").read_text().splitlines() if line.strip()
    )
    for svc in code_services():
        port = settings_class(svc)().port  # type: ignore[attr-defined]
        assert role_of(procfile[svc]) == ("api", svc)
        # The port variable is the service's own `port` setting, defaulting to the settings default.
        var = f"TRICKLE_{svc.upper()}_PORT"
        assert f"--port ${{{var}:-{port}}}" in procfile[svc], procfile[svc]
        assert field_of_env(svc, var) == "port"
        if svc in worker_services():
            assert role_of(procfile[f"{svc}_worker"]) == ("worker", svc)


def test_make_run_sets_only_settings_fields() -> None:
    makefile = (REPO / "Makefile").read_text()
    names = set(re.findall(r"\b(TRICKLE_[A-Z0-9_]+)\s*[?:]?=", makefile))
    assert names, "the Makefile sets no TRICKLE_ variable for `make run`"
    scripts = "".join(p.read_text() for p in (REPO / "deploy" / "local").glob("*.sh"))
    # The benchmarks' database server, read by the test support the benchmarks share with the tests.
    testing = (REPO / "libs" / "kit" / "src" / "trickle_kit" / "testing.py").read_text()
    unread = {
        n
        for n in names
        if not any(field_of_env(svc, n) for svc in code_services())
        and "${" + n not in scripts  # infra scripts' own
        and f'os.environ.get("{n}"' not in testing
    }
    assert not unread, f"the Makefile sets variables no service, deploy/local script or test support reads: {unread}"


# ---- client addresses: X-Forwarded-For believed from the gateway only --------------------


def forwarded_allow_ips(command: list[str]) -> str | None:
    """uvicorn's --forwarded-allow-ips of an API command that turns --proxy-headers on (else None)."""
    if "--proxy-headers" not in command:
        return None
    for i, arg in enumerate(command):
        if arg.startswith("--forwarded-allow-ips="):
            return arg.split("=", 1)[1]
        if arg == "--forwarded-allow-ips":
            return command[i + 1]
    return None


def compose_gateway_address() -> str:
    compose = load_compose()
    address: str = compose["services"]["gateway"]["networks"]["default"]["ipv4_address"]
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet), f"{address} is not in {subnet}"
    return address


def test_compose_apis_believe_forwarded_addresses_from_the_gateway_only() -> None:
    gateway = compose_gateway_address()
    services = load_compose()["services"]
    for (role, _svc), names in compose_roles().items():
        if role == "api":
            command = services[names[0]]["command"]
            assert forwarded_allow_ips(command) == gateway, f"{names[0]} must trust X-Forwarded-For from {gateway} only"


def test_k8s_apis_believe_forwarded_addresses_from_the_configured_gateway_only() -> None:
    configmap = next(doc for _, doc in k8s_docs() if doc["kind"] == "ConfigMap")
    value = configmap["data"]["FORWARDED_ALLOW_IPS"]
    networks = [ipaddress.ip_network(part.strip()) for part in value.split(",")]  # "*" fails here
    assert networks and all(n.prefixlen > 0 for n in networks), value
    apis = 0
    for path, doc in k8s_docs():
        if doc["kind"] != "Deployment":
            continue
        for container in doc["spec"]["template"]["spec"]["containers"]:
            if (role_of(container["command"]) or ("", ""))[0] != "api":
                continue
            apis += 1
            assert forwarded_allow_ips(container["command"]) == "$(FORWARDED_ALLOW_IPS)", path.name
            env = {e["name"]: e for e in container.get("env", [])}
            ref = env["FORWARDED_ALLOW_IPS"]["valueFrom"]["configMapKeyRef"]
            assert ref == {"name": configmap["metadata"]["name"], "key": "FORWARDED_ALLOW_IPS"}, path.name
    assert apis == len(code_services())


def test_local_apis_believe_forwarded_addresses_from_the_local_gateway_only() -> None:
    procfile = dict(
        line.split(":", 1) for line in (REPO / "deploy" / "local" / "Procfile").read_text().splitlines() if line.strip()
    )
    assert "listen 127.0.0.1:8080;" in (GATEWAY / "nginx.local.conf").read_text()
    for svc in code_services():
        assert forwarded_allow_ips(procfile[svc].split()) == "127.0.0.1", procfile[svc]
    from trickle_kit.serve import parse

    served = parse(["some.app:app"])
    assert served.proxy_headers is True and served.forwarded_allow_ips == "127.0.0.1"


# ---- one write per response: the coalescing HTTP protocol everywhere an API runs ---------

COALESCING = "trickle_kit.coalesced_writes:HttpToolsProtocol"


def http_option(command: list[str]) -> str | None:
    for i, arg in enumerate(command):
        if arg.startswith("--http="):
            return arg.split("=", 1)[1]
        if arg == "--http" and i + 1 < len(command):
            return command[i + 1]
    return None


def test_every_api_sends_a_response_in_one_write() -> None:
    """The APIs run as the click benchmark measured them (trickle_kit.coalesced_writes), in every deployment."""
    services = load_compose()["services"]
    commands = {
        f"compose {names[0]}": services[names[0]]["command"]
        for (role, _), names in compose_roles().items()
        if role == "api"
    }
    for path, doc in k8s_docs():
        if doc["kind"] == "Deployment":
            for container in doc["spec"]["template"]["spec"]["containers"]:
                if (role_of(container["command"]) or ("", ""))[0] == "api":
                    commands[f"{path.name} {container['name']}"] = container["command"]
    procfile = dict(
        line.split(":", 1) for line in (REPO / "deploy" / "local" / "Procfile").read_text().splitlines() if line.strip()
    )
    commands |= {f"Procfile {svc}": procfile[svc].split() for svc in code_services()}
    assert len(commands) == 3 * len(code_services())
    wrong = {where: http_option(command) for where, command in commands.items() if http_option(command) != COALESCING}
    assert not wrong, f"APIs without --http {COALESCING}: {wrong}"
    from uvicorn.importer import import_from_string
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    assert issubclass(import_from_string(COALESCING), HttpToolsProtocol)  # what uvicorn will load by that name


async def test_behind_the_compose_gateway_each_client_has_its_own_rate_limit() -> None:
    """The compose API's own uvicorn setting in front of a rate-limited kit app: clients through
    the gateway are counted apart; a caller reaching the API directly cannot pick its address."""
    import httpx
    from fastapi import APIRouter
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from trickle_kit.app import create_app
    from trickle_kit.settings import KitSettings

    router = APIRouter()

    @router.get("/v1/things")
    async def things() -> dict[str, bool]:
        return {"ok": True}

    app = create_app(KitSettings(log_json=False, rate_limit="2/minute"), title="t", routers=[router])
    gateway = compose_gateway_address()
    trusted = forwarded_allow_ips(load_compose()["services"]["wallet"]["command"])
    assert trusted is not None
    asgi = ProxyHeadersMiddleware(app, trusted_hosts=trusted)  # type: ignore[arg-type]

    def client(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi, client=(address, 40000)), base_url="http://t")

    async with client(gateway) as via_gateway, client("172.30.80.1") as direct:
        alice, bob = {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
        assert [(await via_gateway.get("/v1/things", headers=alice)).status_code for _ in range(3)] == [200, 200, 429]
        assert (await via_gateway.get("/v1/things", headers=bob)).status_code == 200
        forged = [
            (await direct.get("/v1/things", headers={"X-Forwarded-For": f"198.51.100.{i}"})).status_code
            for i in range(3)
        ]
        assert forged == [200, 200, 429]


# ---- the demo calendar: on for `make run`, loudly; never in a deployment ---------------------


def test_make_run_turns_the_demo_calendar_on_and_says_so_and_deployments_do_not() -> None:
    makefile = (REPO / "Makefile").read_text()
    run_env = makefile[makefile.index("RUN_ENV :=") : makefile.index("\nrun:")]
    assert 'TRICKLE_CLICK_LEDGER_DEMO_CALENDAR="$${TRICKLE_CLICK_LEDGER_DEMO_CALENDAR:-true}"' in run_env
    run = makefile[makefile.index("\nrun:") : makefile.index("\nrun-probe:")]
    assert "DEMO CALENDAR ON" in run and "$(RUN_ENV)" in run
    assert field_of_env("click_ledger", "TRICKLE_CLICK_LEDGER_DEMO_CALENDAR") == "demo_calendar"
    deployed = COMPOSE.read_text() + "".join(p.read_text() for p in K8S.glob("*.yaml"))
    assert "DEMO_CALENDAR" not in deployed


def test_the_compose_gateway_believes_the_forwarded_address_of_the_web_only() -> None:
    """The web calls the APIs through the gateway for people: its X-Forwarded-For (the person's
    address) is believed, so per-address limits count people; nobody else's is."""
    services = load_compose()["services"]
    web = services["web"]["networks"]["default"]["ipv4_address"]
    assert web != compose_gateway_address()
    conf = (GATEWAY / "nginx.compose.conf").read_text()
    trusted = re.findall(r"^\s*set_real_ip_from\s+(\S+);", conf, re.M)
    assert trusted == [web], trusted
    assert re.search(r"^\s*real_ip_header X-Forwarded-For;", conf, re.M)
