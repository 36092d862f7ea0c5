# Revayat: `make run` serves the portal and admin on 127.0.0.1:$(PORT); `make test` runs every test.
# `make help` lists the targets.

PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE ?= settings.dev
export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help
.PHONY: help run serve install install-test frontend migrate demo test test-sqlite test-postgres lint bench bench-search clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -c requirements.lock ".[test]"
	@touch $@

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || bin/ensure-system-packages npm
	cd frontend && npm ci --no-audit --no-fund --silent

# Only the player build the portal loads (and its source map) is collected, not hls.js's 30 MB dist/.
HLS_BUILD := frontend/build/vendor/hls.js/hls.light.min.js
$(HLS_BUILD): frontend/node_modules/.package-lock.json
	mkdir -p $(@D)
	cp frontend/node_modules/hls.js/dist/hls.light.min.js frontend/node_modules/hls.js/dist/hls.light.min.js.map $(@D)/

# The Jalali date picker of the Persian admin (its min build and CSS) and jalaali-js (one ES module: "today"
# in Asia/Tehran, where the picker takes the browser's own time zone), without its missing source map.
JALALI_BUILD := frontend/build/vendor/jalalidatepicker/jalalidatepicker.min.js
$(JALALI_BUILD): frontend/node_modules/.package-lock.json
	mkdir -p $(@D) frontend/build/vendor/jalaali-js
	cp frontend/node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js \
	   frontend/node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css $(@D)/
	sed '/sourceMappingURL/d' frontend/node_modules/jalaali-js/dist/index.js > frontend/build/vendor/jalaali-js/jalaali.js

install: $(VENV)/.installed frontend/node_modules/.package-lock.json $(HLS_BUILD) $(JALALI_BUILD)  ## Create .venv and install the portal's dependencies
	bin/ensure-system-packages run

install-test: install $(VENV)/.installed-test  ## Install what the tests need (Python packages, Chromium, ffmpeg, zbar, epubcheck)
	bin/ensure-system-packages test

migrate: install  ## Apply migrations to the embedded SQLite database
	$(PY) manage.py migrate --noinput

demo: migrate  ## Load the demo content (idempotent) and create the demo admin
	$(PY) manage.py load_demo

run: demo  ## Install, migrate, load the demo and serve portal + admin with the worker, relay and scheduler
	@echo "Portal: http://127.0.0.1:$(PORT)/fa/   Admin: http://127.0.0.1:$(PORT)/admin/   (Ctrl-C stops all)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker & \
	$(PY) manage.py distribution_relay & \
	$(PY) manage.py run_scheduler & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test  ## Run every test: on SQLite, then on PostgreSQL
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Both passes run on 2 processes (pytest-xdist; a test module stays on one, as its fixtures expect), from
# one demo build per pass (tests/conftest.py), and list the 20 slowest tests.
TEST_PROCESSES ?= 2
PYTEST := $(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist loadfile --durations=20

test-sqlite: install-test  ## Run the suite on SQLite only
	DJANGO_SETTINGS_MODULE=settings.test DATABASE_URL=sqlite:// $(PYTEST)

# The browser tests and the demo_copy tests serve their own SQLite copy of the demo whatever DATABASE_URL
# says: the SQLite pass runs them, the PostgreSQL pass would only repeat them. So would the tests that use
# no database at all, which tests/conftest.py leaves out of the PostgreSQL pass.
test-postgres: install-test  ## Run the suite on PostgreSQL (started on loopback if missing)
	bin/ensure-postgres
	DJANGO_SETTINGS_MODULE=settings.test \
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5432/revayat} \
	$(PYTEST) -p no:cacheprovider -m "not e2e and not demo_copy"

lint: install-test  ## ruff check and ruff format --check, as CI runs them
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install  ## Benchmark the production server (wrk): home, plan page and a static file
	bin/ensure-system-packages bench
	$(PY) benchmarks/portal.py

bench-search: install  ## Benchmark search: 10,000 bilingual documents, p50/p95, queries per search, req/s
	$(PY) benchmarks/search.py

clean:  ## Remove the virtualenv, the database and collected files
	rm -rf $(VENV) db.sqlite3 static_collected media frontend/build
