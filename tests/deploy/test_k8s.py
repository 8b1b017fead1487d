"""The Kubernetes manifests (deploy/k8s, its gateway/ component and the operators' examples in
operators/) are valid Kubernetes objects (`make k8s-check`: kubeconform against the schemas,
offline) and hold the deployment's rules: non-root read-only containers with requests and
limits, probes for every process (workers through their heartbeat file), autoscalers and
disruption budgets for the APIs, migrations as Jobs, one routing table for the gateway, and
Kafka and PostgreSQL as services outside the manifests."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.deploy_model import (
    REPO,
    check_env,
    code_services,
    parse_upstreams,
    role_of,
    settings_class,
    worker_services,
)

K8S = REPO / "deploy" / "k8s"
CHECK = REPO / "deploy" / "local" / "kubeconform.sh"
POD_KINDS = {"Deployment", "Job"}


@pytest.fixture(autouse=True)
def no_trickle_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings defaults, whatever the environment of the test run sets."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("TRICKLE_"):
            monkeypatch.delenv(name)


def docs(folder: Path = K8S, recursive: bool = True) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(folder.rglob("*.yaml") if recursive else folder.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path, doc


def of_kind(kind: str, folder: Path = K8S) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in docs(folder) if doc["kind"] == kind}


def app_deployments() -> dict[tuple[str, str], dict[str, Any]]:
    """``{("api" | "worker", svc): Deployment}`` from the container commands."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in of_kind("Deployment").values():
        for container in doc["spec"]["template"]["spec"]["containers"]:
            if (role := role_of(container.get("command"))) is not None:
                found[role] = doc
    return found


def kubeconform(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(CHECK), *map(str, paths)], capture_output=True, text=True, timeout=600, check=False
    )


# ---- the schemas (make k8s-check) ---------------------------------------------------------


def test_every_manifest_is_a_valid_kubernetes_object() -> None:
    result = kubeconform()
    assert result.returncode == 0, result.stdout + result.stderr
    # Every object was looked at: 10 custom or kustomize objects skipped by name, none missing;
    # then what kustomize renders of deploy/k8s (with the gateway component) and operators/.
    summaries = [line for line in result.stdout.splitlines() if line.startswith("Summary:")]
    assert len(summaries) == 2 * 2, result.stdout  # the files, the rendered output; two versions
    assert all("Invalid: 0, Errors: 0" in line for line in summaries), result.stdout
    assert summaries[0].endswith("Skipped: 10"), summaries[0]
    assert summaries[1].endswith("Skipped: 7") and "in 2 files" in summaries[1], summaries[1]


def test_the_check_refuses_a_wrong_field_a_wrong_type_and_an_unlisted_kind(tmp_path: Path) -> None:
    good = next(p for p in K8S.glob("*.yaml") if p.name == "webhook.yaml").read_text()
    cases = {
        "field": good.replace("terminationGracePeriodSeconds: 30", "terminationGracePeriod: 30", 1),
        "type": good.replace("replicas: 1", "replicas: one", 1),
        "kind": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n",
    }
    for case, text in cases.items():
        assert text != good or case == "kind"
        (tmp_path / f"{case}.yaml").write_text(text)
        result = kubeconform(tmp_path / f"{case}.yaml")
        assert result.returncode != 0, f"{case}: {result.stdout}"


def test_every_manifest_file_is_in_a_kustomization() -> None:
    top = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert top["components"] == ["gateway"]
    for folder in (K8S / "gateway", K8S / "operators"):
        listed = set(yaml.safe_load((folder / "kustomization.yaml").read_text())["resources"])
        assert listed == {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"}, folder.name
    assert {p.parent for p in K8S.rglob("*.yaml")} == {K8S, K8S / "gateway", K8S / "operators"}


# ---- pods --------------------------------------------------------------------------------


def pods() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, doc in docs():
        if doc["kind"] in POD_KINDS:
            yield f"{path.relative_to(K8S)} {doc['kind']} {doc['metadata']['name']}", doc["spec"]["template"]["spec"]


def test_every_container_runs_as_non_root_read_only_with_requests_and_limits() -> None:
    seen = 0
    for where, pod in pods():
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["runAsUser"] > 0, where
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert not pod.get("initContainers"), f"{where}: migrations are Jobs"
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for container in pod["containers"]:
            sec = container["securityContext"]
            assert sec["allowPrivilegeEscalation"] is False and sec["readOnlyRootFilesystem"] is True, where
            assert sec["capabilities"] == {"drop": ["ALL"]}, where
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), f"{where}: {bound}"
            tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert tmp and "emptyDir" in volumes[tmp[0]["name"]], f"{where}: a writable /tmp"
            seen += 1
    # API and migrate Job each, a worker each that has one; the gateway
    assert seen == 2 * len(code_services()) + len(worker_services()) + 1


def test_trickle_pods_run_as_the_images_user() -> None:
    dockerfile = (REPO / "deploy" / "docker" / "Dockerfile").read_text()
    assert "useradd --system --uid 10001" in dockerfile and "\nUSER trickle" in dockerfile
    for where, pod in pods():
        if pod["containers"][0]["image"].startswith("trickle:"):
            assert pod["securityContext"]["runAsUser"] == 10001, where


def test_workers_are_probed_through_their_heartbeat_file() -> None:
    workers = app_deployments()
    for svc in worker_services():
        container = workers[("worker", svc)]["spec"]["template"]["spec"]["containers"][0]
        name = settings_class(svc)().service_name  # type: ignore[attr-defined]
        for probe, extra in (("startupProbe", []), ("livenessProbe", ["--max-age"]), ("readinessProbe", ["--ready"])):
            command = container[probe]["exec"]["command"]
            assert command[:4] == ["python", "-m", "trickle_kit.worker_health", name], (svc, probe, command)
            assert set(extra) <= set(command), (svc, probe, command)


def test_apis_have_probes_an_autoscaler_and_a_disruption_budget() -> None:
    apis = app_deployments()
    hpas, pdbs = of_kind("HorizontalPodAutoscaler"), of_kind("PodDisruptionBudget")
    gateway = of_kind("Deployment")["gateway"]
    for name, deployment in [
        (apis[("api", svc)]["metadata"]["name"], apis[("api", svc)]) for svc in code_services()
    ] + [("gateway", gateway)]:
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"] and container["livenessProbe"]["httpGet"], name
        assert "replicas" not in deployment["spec"], f"{name}: its autoscaler sets the replicas"
        hpa = hpas[name]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 2 <= hpa["minReplicas"] <= hpa["maxReplicas"]
        assert container["resources"]["requests"]["cpu"], f"{name}: CPU utilisation needs a CPU request"
        pdb = pdbs[name]["spec"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert pdb["selector"]["matchLabels"].items() <= labels.items(), name
        assert pdb["minAvailable"] < hpa["minReplicas"], f"{name}: a drain must be able to evict one pod"
    assert set(hpas) == set(pdbs)


def test_each_database_is_migrated_by_a_job() -> None:
    configmap = of_kind("ConfigMap")["trickle-shared"]
    jobs = [doc for doc in of_kind("Job").values()]
    migrated = {}
    for job in jobs:
        container = job["spec"]["template"]["spec"]["containers"][0]
        assert container["command"][0] == "trickle-migrate"
        assert job["spec"]["template"]["spec"]["restartPolicy"] in {"OnFailure", "Never"}
        for svc in container["command"][1:]:
            migrated[svc] = container
    assert sorted(migrated) == code_services()
    for svc, container in migrated.items():
        env = dict(configmap["data"]) | {e["name"]: e.get("value", "from-secret") for e in container["env"]}
        check_env(svc, env, f"{svc} migrate Job")
        assert any(e["name"] == f"TRICKLE_{svc.upper()}_DATABASE_URL" for e in container["env"]), svc


# ---- the gateway ---------------------------------------------------------------------------


def test_the_gateway_routes_with_the_one_routing_table_to_the_api_services() -> None:
    config = of_kind("ConfigMap", K8S / "gateway")["trickle-gateway"]["data"]
    assert config["routes.conf"] == (REPO / "deploy" / "gateway" / "routes.conf").read_text(), (
        "deploy/k8s/gateway/routes.yaml holds an old copy of deploy/gateway/routes.conf: paste it again"
    )
    upstreams = parse_upstreams(config["nginx.conf"])
    services = {name: doc["spec"]["ports"][0]["port"] for name, doc in of_kind("Service").items()}
    apis = app_deployments()
    for svc in code_services():
        api = apis[("api", svc)]
        assert upstreams[f"trickle_{svc}"] == [f"{api['metadata']['name']}:{services[api['metadata']['name']]}"]
    mounts = {
        m["mountPath"]: m.get("subPath")
        for m in of_kind("Deployment")["gateway"]["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    }
    assert mounts["/etc/nginx/nginx.conf"] == "nginx.conf"
    assert mounts["/etc/nginx/trickle/routes.conf"] == "routes.conf"
    assert "include /etc/nginx/trickle/routes.conf;" in config["nginx.conf"]
    assert "listen 8080;" in config["nginx.conf"] and services["gateway"] == 8080


def test_the_ingress_sends_everything_to_the_gateway_which_believes_only_the_controller() -> None:
    (ingress,) = of_kind("Ingress").values()
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["pathType"] == "Prefix"
    assert path["backend"]["service"]["name"] == "gateway"
    nginx = of_kind("ConfigMap", K8S / "gateway")["trickle-gateway"]["data"]["nginx.conf"]
    assert "real_ip_header X-Forwarded-For;" in nginx
    trusted = [
        line.split()[1].rstrip(";") for line in nginx.splitlines() if line.strip().startswith("set_real_ip_from")
    ]
    assert trusted and "0.0.0.0/0" not in trusted
    public = [e for e in app_deployments()[("api", "click_ledger")]["spec"]["template"]["spec"]["containers"][0]["env"]]
    base = next(e["value"] for e in public if e["name"] == "TRICKLE_CLICK_LEDGER_PUBLIC_BASE_URL")
    assert base == f"https://{rule['host']}", "embed.js must point browsers at the Ingress's address"


# ---- Kafka and PostgreSQL outside --------------------------------------------------------


def test_kafka_and_postgresql_are_external_services_the_operator_examples_provide() -> None:
    external = {name: doc for name, doc in of_kind("Service").items() if doc["spec"].get("type") == "ExternalName"}
    host, port = of_kind("ConfigMap")["trickle-shared"]["data"]["TRICKLE_KAFKA_BOOTSTRAP"].split(":")
    assert int(port) in [p["port"] for p in external[host]["spec"]["ports"]]
    operators = K8S / "operators"
    namespace = yaml.safe_load((operators / "kustomization.yaml").read_text())["namespace"]
    (kafka,) = of_kind("Kafka", operators).values()
    assert (
        external[host]["spec"]["externalName"]
        == f"{kafka['metadata']['name']}-kafka-bootstrap.{namespace}.svc.cluster.local"
    )
    assert int(port) in [listener["port"] for listener in kafka["spec"]["kafka"]["listeners"]]
    pools = of_kind("KafkaNodePool", operators).values()
    assert all(pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"] for pool in pools)
    clusters = of_kind("Cluster", operators)
    databases = {c["spec"]["bootstrap"]["initdb"]["database"]: name for name, c in clusters.items()}
    databases |= {d["spec"]["name"]: d["spec"]["cluster"]["name"] for d in of_kind("Database", operators).values()}
    assert sorted(databases) == sorted(f"trickle_{svc}" for svc in code_services())
    postgres = {doc["spec"]["externalName"] for name, doc in external.items() if name.startswith("postgres")}
    assert postgres == {f"{name}-rw.{namespace}.svc.cluster.local" for name in clusters}
    # The kustomization's Secret recipe names each database on its cluster's external service.
    recipe = (K8S / "kustomization.yaml").read_text()
    for database, cluster in databases.items():
        (service,) = [n for n, d in external.items() if d["spec"]["externalName"].startswith(f"{cluster}-rw.")]
        assert f"@{service}:5432/{database} " in recipe, database


def test_nginx_accepts_the_gateways_configuration(tmp_path: Path) -> None:
    """The ConfigMap's nginx.conf with routes.conf, through `nginx -t` (realip module and all);
    only the Services' names become 127.0.0.1 and the mounted paths files here."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (`make test` installs it: deploy/local/gateway.sh config)")
    data = of_kind("ConfigMap", K8S / "gateway")["trickle-gateway"]["data"]
    (tmp_path / "routes.conf").write_text(data["routes.conf"])
    conf = re.sub(r"(\bserver\s+)[a-z-]+:(\d+);", r"\g<1>127.0.0.1:\2;", data["nginx.conf"])
    conf = conf.replace("/tmp/", f"{tmp_path}/")  # first: tmp_path is itself under /tmp
    conf = conf.replace("/etc/nginx/trickle/routes.conf", str(tmp_path / "routes.conf"))
    assert "127.0.0.1:8101;" in conf and str(tmp_path / "routes.conf") in conf
    (tmp_path / "nginx.conf").write_text(conf)
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
