# Suivi: `make run` serves a seeded Suivi on 127.0.0.1:5000; `make test` runs every test;
# `make bench` measures it at scale (BENCH_ITEMS, BENCH_DB: see docs/performance.md).
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install install-dev translations lint clean bench

$(VENV)/bin/activate:
	python3 -m venv $(VENV)

install: $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(MAKE) --no-print-directory translations

install-dev: $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(MAKE) --no-print-directory translations

translations:
	@if [ -d app/translations ]; then $(PY) -m babel.messages.frontend -q compile -d app/translations; fi

instance/secret_key:
	mkdir -p instance
	$(PY) -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key
	chmod 600 instance/secret_key

# Links in exports are built from BASE_URL (never from a request's Host).
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: install instance/secret_key
	SECRET_KEY=$$(cat instance/secret_key) $(PY) -m flask db upgrade
	SECRET_KEY=$$(cat instance/secret_key) $(PY) -m flask seed
	SECRET_KEY=$$(cat instance/secret_key) $(PY) -m flask demo-users
	@echo "Suivi is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	SECRET_KEY=$$(cat instance/secret_key) $(VENV)/bin/waitress-serve --listen=$(HOST):$(PORT) \
		--threads=8 wsgi:app

test:
	bash scripts/test.sh

BENCH_ITEMS ?= 100000
BENCH_DB ?=
bench: install-dev
	$(PY) scripts/bench.py --items $(BENCH_ITEMS) $(if $(BENCH_DB),--database $(BENCH_DB)) $(BENCH_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) instance/suivi.db test-artifacts
