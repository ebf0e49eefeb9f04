# ICP Portal. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
MANAGE := $(PY) manage.py
# The embedded default: SQLite, eager Celery, debug pages.
RUN_ENV := DEBUG=1
# Tests run with DEBUG off, as in production; the key is for the test process only.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production} SECURE_SSL_REDIRECT=0
PYTEST_ARGS ?=

.PHONY: help deps lock run test lint format worker beat system-deps browser-deps bench-pdf bench-pages backup restore clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The virtualenv is installed from the hashed lock files (`make lock` writes them from requirements*.txt),
# so every machine gets the same versions of everything, transitive dependencies included; it is
# brought up to date whenever a lock changes.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# pip-tools lives in its own virtualenv under var/, not in the project's.
LOCK_TOOLS := var/pip-tools
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
LOCK_ARGS ?=
lock: ## Write requirements.lock and requirements-dev.lock (pinned, hashed) from requirements*.txt; LOCK_ARGS=--upgrade to refresh all
	@test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet pip-tools==7.6.2; }
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) --output-file requirements.lock requirements.txt
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-deps: ## Check (and, as root with apt, install) the libraries WeasyPrint needs
	@./bin/system-deps weasyprint

browser-deps: ## Check (and, as root with apt, install) Debian's Chromium for browser tests
	@./bin/system-deps browser

deps: $(VENV)/.installed node_modules/.installed system-deps

run: deps ## Serve the portal on http://127.0.0.1:8000 with demo data (embedded mode)
	$(RUN_ENV) $(MANAGE) migrate --no-input -v 0
	$(RUN_ENV) $(MANAGE) load_reference_data
	$(RUN_ENV) $(MANAGE) load_demo
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

# One test process per core (pytest-xdist): each has its own test database (a _gwN suffix) and its own
# keys in the Redis cache (tests/xdist_cache.py). The real-worker tests (-m worker) share the Celery
# broker's queue, so they run afterwards in one process. Exit 5 is "no test selected", as when
# PYTEST_ARGS picks only tests of the other kind. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto
test: deps browser-deps ## Run the whole test suite (PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set)
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not worker" $(PYTEST_ARGS) || test $$? -eq 5
	$(TEST_ENV) $(VENV)/bin/pytest -m worker $(PYTEST_ARGS) || test $$? -eq 5

lint: $(VENV)/.installed ## Lint and check formatting with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: deps ## A real Celery worker (full mode: needs REDIS_URL and DATABASE_URL)
	@test -n "$$REDIS_URL" || { echo "make worker needs REDIS_URL (full mode); in the embedded default tasks run in-process."; exit 2; }
	$(VENV)/bin/celery -A icp_portal worker --loglevel=INFO --concurrency=2

beat: deps ## Celery beat, the scheduler of periodic tasks (full mode)
	@test -n "$$REDIS_URL" || { echo "make beat needs REDIS_URL (full mode)."; exit 2; }
	$(VENV)/bin/celery -A icp_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

bench-pdf: deps ## Benchmark PDF publishing: minutes vs bare WeasyPrint, and a 300-page agenda pack
	$(PY) bench/pdf.py

BENCH_SCALE ?= 0.2
bench-pages: deps ## Benchmark pages under gunicorn on PostgreSQL at national scale (BENCH_SCALE=1 for full size)
	$(PY) bench/pages.py --scale $(BENCH_SCALE)

backup: $(VENV)/.installed ## Dump DATABASE_URL and copy MEDIA_ROOT, with a SHA-256 manifest, to BACKUP_DIR (var/backups)/<time>
	bin/backup

BACKUP ?=
restore: $(VENV)/.installed ## Restore BACKUP=var/backups/<time> into a fresh DATABASE_URL and an empty MEDIA_ROOT, then verify
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time> (with DATABASE_URL naming a fresh database)"; exit 2; }
	bin/restore "$(BACKUP)"

clean: ## Remove the virtualenv, node packages and local data (var/)
	rm -rf $(VENV) node_modules var
