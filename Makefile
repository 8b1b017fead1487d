# Trickle: `make run` starts everything here, `make test` runs the whole suite.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
SERVICES := wallet click_ledger settlement webhook
PKGS := libs/kit libs/events $(addprefix services/,$(SERVICES))

.PHONY: venv infra-up infra-down infra-status migrate run test test-fast lint typecheck asyncapi bench bench-events clean

venv: .venv/.installed

.venv/.installed: constraints.txt $(addsuffix /pyproject.toml,$(PKGS))
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip -c constraints.txt || true
	$(PIP) install -q -c constraints.txt $(addprefix -e ,$(PKGS)) -r requirements-dev.txt
	touch $@

infra-up: venv
	bash deploy/local/infra.sh up

infra-down:
	bash deploy/local/infra.sh down

infra-status:
	bash deploy/local/infra.sh status

migrate: infra-up
	for s in $(SERVICES); do (cd services/$$s && ../../.venv/bin/alembic upgrade head) || exit 1; done

run: migrate
	@echo "wallet       http://127.0.0.1:8101/docs"
	@echo "click-ledger http://127.0.0.1:8102/docs"
	@echo "settlement   http://127.0.0.1:8103/docs"
	@echo "webhook      http://127.0.0.1:8104/docs"
	.venv/bin/honcho -f deploy/local/Procfile -d . start

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: venv
	.venv/bin/mypy libs/kit/src libs/events/src services/*/src

asyncapi: venv
	$(PY) -m trickle_events.asyncapi docs/asyncapi.yaml

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
test: infra-up lint typecheck
	$(PY) -m pytest -n 2 --dist loadfile -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no tests" >&2; exit 1; fi; exit $$rc

bench: bench-events

bench-events: infra-up
	$(PY) bench/bench_events.py

clean:
	rm -rf var
