# Trickle: `make run` starts everything here, `make test` runs the whole suite.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
SERVICES := wallet click_ledger settlement webhook web
PKGS := libs/kit libs/events $(addprefix services/,$(SERVICES)) tools/cli
# The generated Python client (clients/python), which the web front end talks to the APIs with.
CLIENT := clients/python

.PHONY: k8s-check venv infra-up infra-down infra-status migrate run run-probe gateway-up gateway-down openapi clients test test-e2e test-fast lint typecheck asyncapi bench bench-pg bench-events bench-clicks bench-settlement bench-webhooks clean

venv: .venv/.installed

.venv/.installed: constraints.txt requirements-dev.txt $(addsuffix /pyproject.toml,$(PKGS) $(CLIENT))
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip -c constraints.txt || true
	$(PIP) install -q -c constraints.txt $(addprefix -e ,$(PKGS) $(CLIENT)) -r requirements-dev.txt
	touch $@

infra-up: venv
	bash deploy/local/infra.sh up

infra-down:
	bash deploy/local/infra.sh down
	! test -d var/postgres-bench || TRICKLE_PG_HOME=$(CURDIR)/var/postgres-bench TRICKLE_PG_PORT=$(BENCH_PG_PORT) bash deploy/local/postgres.sh down

infra-status:
	bash deploy/local/infra.sh status

migrate: infra-up
	for s in $(SERVICES); do (cd services/$$s && ../../.venv/bin/alembic upgrade head) || exit 1; done

# `make run` is a demo: its calendar lets an operator seal a period before its month ends
# (TRICKLE_CLICK_LEDGER_DEMO_CALENDAR, off in every real deployment; =false here to refuse).
# Ports of `make run` (each is also that service's TRICKLE_<SERVICE>_PORT setting); override in
# the environment or on the command line: `make run TRICKLE_WALLET_PORT=9101`. The JWKS URL
# and the wallet's own base URL follow the ports unless set explicitly; click-ledger's public
# base URL (where embed.js loads buttons and opens the click popup) and the web front end's API
# are the gateway's.
TRICKLE_WALLET_PORT ?= 8101
TRICKLE_CLICK_LEDGER_PORT ?= 8102
TRICKLE_SETTLEMENT_PORT ?= 8103
TRICKLE_WEBHOOK_PORT ?= 8104
TRICKLE_WEB_PORT ?= 8105
RUN_ENV := TRICKLE_WALLET_PORT=$(TRICKLE_WALLET_PORT) TRICKLE_CLICK_LEDGER_PORT=$(TRICKLE_CLICK_LEDGER_PORT) \
	TRICKLE_SETTLEMENT_PORT=$(TRICKLE_SETTLEMENT_PORT) TRICKLE_WEBHOOK_PORT=$(TRICKLE_WEBHOOK_PORT) TRICKLE_WEB_PORT=$(TRICKLE_WEB_PORT) \
	TRICKLE_JWKS_URL="$${TRICKLE_JWKS_URL:-http://127.0.0.1:$(TRICKLE_WALLET_PORT)/v1/.well-known/jwks.json}" \
	TRICKLE_WALLET_PROVIDER_CALLBACK_BASE_URL="$${TRICKLE_WALLET_PROVIDER_CALLBACK_BASE_URL:-http://127.0.0.1:$(TRICKLE_WALLET_PORT)}" \
	TRICKLE_CLICK_LEDGER_PUBLIC_BASE_URL="$${TRICKLE_CLICK_LEDGER_PUBLIC_BASE_URL:-http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}}" \
	TRICKLE_CLICK_LEDGER_DEMO_CALENDAR="$${TRICKLE_CLICK_LEDGER_DEMO_CALENDAR:-true}" \
	TRICKLE_WEB_API_BASE_URL="$${TRICKLE_WEB_API_BASE_URL:-http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}}" \
	TRICKLE_WEB_PUBLIC_BASE_URL="$${TRICKLE_WEB_PUBLIC_BASE_URL:-http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}}"
# Each worker's /metrics port (the APIs serve theirs on their own ports); deploy/prometheus/prometheus.local.yml.
TRICKLE_WALLET_METRICS_PORT ?= 9101
TRICKLE_CLICK_LEDGER_METRICS_PORT ?= 9102
TRICKLE_SETTLEMENT_METRICS_PORT ?= 9103
TRICKLE_WEBHOOK_METRICS_PORT ?= 9104
RUN_ENV += TRICKLE_WALLET_METRICS_PORT=$(TRICKLE_WALLET_METRICS_PORT) TRICKLE_CLICK_LEDGER_METRICS_PORT=$(TRICKLE_CLICK_LEDGER_METRICS_PORT) \
	TRICKLE_SETTLEMENT_METRICS_PORT=$(TRICKLE_SETTLEMENT_METRICS_PORT) TRICKLE_WEBHOOK_METRICS_PORT=$(TRICKLE_WEBHOOK_METRICS_PORT)
# The wallet's mail goes to the local catcher (the Procfile's `mail`: each message an .eml file in var/mail/);
# for a real relay set TRICKLE_WALLET_SMTP_HOST/PORT/USERNAME/PASSWORD/STARTTLS and TRICKLE_WALLET_MAIL_FROM.
RUN_ENV += TRICKLE_WALLET_SMTP_HOST="$${TRICKLE_WALLET_SMTP_HOST:-127.0.0.1}" TRICKLE_WALLET_SMTP_PORT="$${TRICKLE_WALLET_SMTP_PORT:-8025}" \
	TRICKLE_WALLET_WEB_BASE_URL="$${TRICKLE_WALLET_WEB_BASE_URL:-http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}}"

run: migrate
	@echo "web          http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}/ (sign up, your wallet, the button's pages)"
	@echo "gateway      http://127.0.0.1:$${TRICKLE_GATEWAY_PORT:-8080}/v1/... (every API; openapi.json)"
	@echo "wallet       http://127.0.0.1:$(TRICKLE_WALLET_PORT)/docs"
	@echo "click-ledger http://127.0.0.1:$(TRICKLE_CLICK_LEDGER_PORT)/docs"
	@echo "settlement   http://127.0.0.1:$(TRICKLE_SETTLEMENT_PORT)/docs"
	@echo "webhook      http://127.0.0.1:$(TRICKLE_WEBHOOK_PORT)/docs"
	@echo "mail (catching) var/mail/"
	@[ "$${TRICKLE_CLICK_LEDGER_DEMO_CALENDAR:-true}" = false ] || echo "*** DEMO CALENDAR ON (TRICKLE_CLICK_LEDGER_DEMO_CALENDAR=true): operators may seal a period before its month ends; never in production ***"
	$(RUN_ENV) .venv/bin/honcho -f deploy/local/Procfile -d . start

# Proves `make run` works: starts it, waits for the four /readyz, stops it (exit 0/1).
# `make run-probe PROBE_ARGS=--free-ports` when something already listens on 8101-8104.
run-probe:
	python3 deploy/local/run_probe.py $(PROBE_ARGS)

# The gateway alone (nginx, deploy/local/gateway.sh), in front of APIs started some other way.
gateway-up:
	$(RUN_ENV) bash deploy/local/gateway.sh up

gateway-down:
	bash deploy/local/gateway.sh down

# openapi.json: the services' documents merged as seen through the gateway (tools/openapi).
openapi: venv
	$(PY) tools/openapi/openapi_merge.py

# clients/: Python (openapi-python-client) and TypeScript (openapi-typescript) from openapi.json.
clients: openapi
	bash tools/openapi/clients.sh clients

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: venv
	.venv/bin/mypy libs/kit/src libs/events/src services/*/src tools/cli/src

asyncapi: venv
	$(PY) -m trickle_events.asyncapi docs/asyncapi.yaml

# Every manifest of deploy/k8s against the Kubernetes schemas, offline (kubeconform, built and
# cached under var/kubeconform by the script). Part of `make test`.
k8s-check: venv
	bash deploy/local/kubeconform.sh

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
test: infra-up lint typecheck k8s-check
	bash deploy/local/gateway.sh config >/dev/null  # installs nginx if missing: the gateway tests need it
	bash deploy/local/chromium.sh  # installs Debian's chromium if missing: the browser tests (tests/browser) drive it
	$(PY) -m pytest -n 2 --dist loadfile -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no tests" >&2; exit 1; fi; exit $$rc

# The whole platform as real processes behind the gateway, and a month through the generated
# client (tests/e2e; logs of each run in var/e2e/<run>/). Also part of `make test`.
test-e2e: infra-up
	$(PY) -m pytest tests/e2e -q

bench: bench-events bench-clicks bench-settlement bench-webhooks

# The benchmarks run on a PostgreSQL cluster of their own (var/postgres-bench, port
# BENCH_PG_PORT), always durable: fsync, synchronous commit and full-page writes on, as in
# production. The tests' cluster (55432) runs with them off and is left as it is.
BENCH_PG_PORT ?= 55433
bench bench-events bench-clicks bench-settlement bench-webhooks: export TRICKLE_TEST_PG = postgresql://postgres@127.0.0.1:$(BENCH_PG_PORT)

bench-pg: venv
	TRICKLE_PG_HOME=$(CURDIR)/var/postgres-bench TRICKLE_PG_PORT=$(BENCH_PG_PORT) TRICKLE_PG_DURABLE=1 bash deploy/local/postgres.sh up

bench-events: infra-up bench-pg
	$(PY) bench/bench_events.py

# Closes a synthetic period of 100,000 patrons / 1,000,000 clicks in database bench_settlement.
bench-settlement: infra-up bench-pg
	$(PY) bench/bench_settlement.py

# POST /v1/clicks under wrk for 60 s (BENCH_DURATION=5 for a smoke run) against a bare endpoint.
bench-clicks: infra-up bench-pg
	command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)
	$(PY) bench/bench_clicks.py

# 50,000 events routed to 100 webhook endpoints (5 dead) on a local receiver (BENCH_WEBHOOK_EVENTS=5000 for a smoke run).
bench-webhooks: infra-up bench-pg
	$(PY) bench/bench_webhooks.py

clean:
	rm -rf var
