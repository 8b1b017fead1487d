"""Every process of a running platform is scraped during a small month, and the figures move
(#14 part 1): requests counted by route template, the outbox drained by relays whose counters
rose, consumers caught up (lag 0 on every partition), the close's progress at its total, webhook
deliveries counted, the trial balance at 0.

A platform of its own (its workers given metrics ports and a short sampling interval), with the
private month of ``tests/e2e/private_month.py`` run on it. Everything waits on what a scrape
shows (``eventually``), never on time.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.platform import LOOPBACK, SERVICES, LocalHttpServer, Platform, eventually, free_ports
from tests.e2e.private_month import PrivateMonth

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Scrape:
    """One scrape of one process: ``{sample name: {sorted labels: value}}`` and the text as served."""

    samples: dict[str, dict[Labels, float]]
    text: str

    def value(self, name: str, **labels: str) -> float | None:
        return self.samples.get(name, {}).get(tuple(sorted(labels.items())))

    def series(self, name: str) -> dict[Labels, float]:
        return self.samples.get(name, {})

    def total(self, name: str) -> float:
        return sum(self.series(name).values())


def scrape(url: str) -> Scrape:
    """Fails (an observation for ``eventually``) while nothing answers there."""
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    samples: dict[str, dict[Labels, float]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return Scrape(samples, text)


def api_requests(got: Scrape) -> float:
    """Requests an API answered, other than probes and scrapes."""
    plumbing = {"/metrics", "/healthz", "/readyz"}
    series = got.series("trickle_http_requests_total")
    return sum(v for labels, v in series.items() if dict(labels)["route"] not in plumbing)


def worker_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}/metrics"


@dataclass
class Watched:
    platform: Platform
    world: PrivateMonth
    metrics_ports: dict[str, int]
    before: dict[str, Scrape]

    def api(self, svc: str) -> Scrape:
        return scrape(f"{self.platform.services[svc].url}/metrics")

    def worker(self, svc: str) -> Scrape:
        return scrape(worker_url(self.metrics_ports[svc]))

    def wait(self, what: str, probe: Callable[[], Scrape], good: Callable[[Scrape], bool]) -> Scrape:
        return eventually(what, probe, good, timeout_s=120, platform=self.platform)


@pytest.fixture(scope="module")
def watched() -> Iterator[Watched]:
    site, receiver = LocalHttpServer().start(), LocalHttpServer().start()
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    env = {f"TRICKLE_{svc.upper()}_METRICS_PORT": str(port) for svc, port in ports.items()}
    env |= {"TRICKLE_METRICS_SAMPLE_INTERVAL_S": "0.5", "TRICKLE_RATE_LIMIT_ENABLED": "false"}
    plat = Platform(claim_port=site.port, extra_env=env)
    world: PrivateMonth | None = None
    try:
        plat.start()
        # Every process answers a scrape before the month begins: the figures' starting point.
        before = {
            f"{svc}-worker": eventually(
                f"{svc} worker's /metrics", lambda s=svc: scrape(worker_url(ports[s])), lambda _: True, platform=plat
            )
            for svc in SERVICES
        }
        before |= {f"{svc}-api": scrape(f"{plat.services[svc].url}/metrics") for svc in plat.services}
        try:
            world = PrivateMonth(plat, site, receiver).build()
        except Exception as exc:
            raise AssertionError(f"the month could not be built: {exc}\n{plat.log_tails()}") from exc
        yield Watched(plat, world, ports, before)
    finally:
        if world is not None:
            world.close()
        plat.stop()
        site.stop()
        receiver.stop()


def test_every_api_counts_requests_by_route_template_never_by_raw_path(watched: Watched) -> None:
    wallet = watched.api("wallet")
    template = wallet.value(
        "trickle_http_requests_total", method="GET", route="/v1/deposits/{deposit_id}", status="200"
    )
    assert template is not None and template >= 1  # the month polled the deposit until it succeeded
    assert watched.world.deposit_id not in wallet.text  # an id never becomes a label
    assert wallet.value("trickle_http_request_duration_seconds_count", method="GET", route="/v1/deposits/{deposit_id}")
    for svc in SERVICES:  # every API served the month's requests (not only probes and scrapes)
        assert api_requests(watched.api(svc)) > api_requests(watched.before[f"{svc}-api"]), svc


def test_relays_published_and_every_outbox_is_drained(watched: Watched) -> None:
    for svc in ("wallet", "click_ledger", "settlement"):  # each published events of the month
        published = watched.worker(svc).total("trickle_outbox_published_total")
        assert published > watched.before[f"{svc}-worker"].total("trickle_outbox_published_total"), svc
    for svc in SERVICES:
        watched.wait(
            f"{svc}'s outbox drained",
            lambda s=svc: watched.worker(s),
            lambda got: (
                got.value("trickle_outbox_backlog") == 0 and got.value("trickle_outbox_oldest_age_seconds") == 0
            ),
        )


def test_every_consumer_catches_up_to_lag_zero_on_every_partition(watched: Watched) -> None:
    for svc in SERVICES:
        got = watched.wait(
            f"{svc}'s consumers at lag 0",
            lambda s=svc: watched.worker(s),
            lambda got: (
                bool(got.series("trickle_consumer_lag"))
                and all(v == 0 for v in got.series("trickle_consumer_lag").values())
            ),
        )
        assert got.total("trickle_inbox_applied_total") > 0, svc  # they applied the month's events
        assert got.total("trickle_inbox_dead_letters_total") == 0, svc


def test_the_close_reached_its_total_and_the_trial_balance_is_zero(watched: Watched) -> None:
    period = watched.world.period
    got = watched.wait(
        f"the close of {period} at its total",
        lambda: watched.worker("settlement"),
        lambda got: (
            got.value("trickle_close_in_progress", period=period) == 0
            and (got.value("trickle_close_patrons_total", period=period) or 0) >= 1
        ),
    )
    assert got.value("trickle_close_patrons_done", period=period) == got.value(
        "trickle_close_patrons_total", period=period
    )
    assert (got.value("trickle_close_duration_seconds", period=period) or 0) > 0
    assert got.value("trickle_ledger_trial_balance_difference", currency="EUR") == 0


def test_webhook_deliveries_are_counted(watched: Watched) -> None:
    delivered = len(watched.world.deliveries_to_creator())
    got = watched.wait(
        "the webhook worker's deliveries counted",
        lambda: watched.worker("webhook"),
        lambda got: (got.value("trickle_webhook_deliveries_total", outcome="succeeded") or 0) >= delivered,
    )
    assert delivered >= 3
    assert got.value("trickle_webhook_endpoints_failing") == 0
