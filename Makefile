# Plateforme Big Data de la Tranquillité Publique — see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
ENV := . scripts/env.sh &&

DAG ?=
CONF ?= {}
PYTEST_ARGS ?=
SCALE ?= S

.PHONY: help install setup browser run test test-fast test-unit up down dag dsn psql psql-bi lint format lock dbt sandbox feeds clean pii-scan bench bench-pii bench-gate bench-tension

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.venv/.synced: requirements.lock package-lock.json scripts/install.sh
	scripts/install.sh

install: .venv/.synced ## virtual environment from requirements.lock

setup: install ## install, start the local PostgreSQL/PostGIS, migrate, Airflow DB, dbt manifest
	scripts/bootstrap.sh

run: setup ## the whole pipeline once against the Cortège sandbox
	scripts/run_once.sh

test: setup browser lint ## set up, lint, and run the whole test suite (scripts/test.sh)
	scripts/test.sh $(PYTEST_ARGS)

test-fast: setup ## the tests that are not marked slow
	$(ENV) python -m pytest -m "not slow" $(PYTEST_ARGS)

test-unit: install ## the unit tier alone: no database, no Airflow (seconds)
	TRQ_PG_PORT=1 $(ENV) python -m pytest -m unit -p no:cacheprovider $(PYTEST_ARGS)

browser: ## headless Chromium and its driver for the browser tests (Debian packages)
	scripts/browser.sh

up: setup ## start the stack: Airflow UI, scheduler, DAG processor, triggerer, sandbox
	scripts/stack.sh up

down: ## stop the stack and the local cluster
	scripts/stack.sh down

dag: setup ## run one DAG once: make dag DAG=<dag_id> CONF='<json>'
	@test -n "$(DAG)" || { echo "usage: make dag DAG=<dag_id> CONF='<json>'" >&2; exit 2; }
	scripts/dag.sh "$(DAG)" '$(CONF)'

dsn: ## print the local warehouse's connection string
	@$(ENV) python -m tranquillite.warehouse dsn

psql: ## psql on the warehouse, as its owner
	@$(ENV) psql "$$(python -m tranquillite.warehouse dsn)"

psql-bi: ## psql as the BI tools' read-only role (the marts only)
	@$(ENV) psql "$$(python -m tranquillite.warehouse dsn --conn-id warehouse_bi_reader)"

dbt: setup ## run dbt against the warehouse: make dbt ARGS="build"
	$(ENV) cd dbt_project && python -m tranquillite.core.dbt_cli $(ARGS)

sandbox: install ## the Cortège sandbox in the foreground
	$(ENV) python -m sandbox.cortege_server --port $${TRQ_SANDBOX_PORT} --token-file .local/secrets/cortege_sandbox_token

feeds: install ## write feeds/*.yml into the registry the feed DAGs are generated from
	$(ENV) python scripts/generate_feeds.py

pii-scan: install ## personal-data findings of a JSON-lines file: make pii-scan FILE=<path>
	@test -n "$(FILE)" || { echo "usage: make pii-scan FILE=<jsonl with a text field>" >&2; exit 2; }
	@$(ENV) python -m tranquillite.pii.scan "$(FILE)"

bench: setup ## the pipeline's stages beside their baselines: make bench SCALE=S|M|L (10k, 100k, 1M events)
	@case "$(SCALE)" in XS|S|M|L) ;; *) echo "usage: make bench SCALE=S|M|L" >&2; exit 2 ;; esac
	$(ENV) python -m bench.pipeline_bench $(SCALE)

bench-pii: install ## the detectors against the labelled corpus, beside Presidio
	$(ENV) python -m bench.pii_bench

bench-gate: install ## records a second through the gate on one core
	$(ENV) python -m bench.gate_bench

bench-tension: setup ## Gi*, classes and patterns for 10,000 zones x 104 weeks in the warehouse, beside esda
	$(ENV) python -m bench.tension_bench

SQL_STYLED := dbt_project/models dbt_project/macros dbt_project/tests plugins/tranquillite/migrations/repeatable

lint: install ## ruff, sqlfluff on every SQL file that may be restyled, PostgreSQL's parser on the rest and on the SQL in the Python
	$(ENV) ruff check . && ruff format --check . && sqlfluff lint $(SQL_STYLED) && python scripts/lint_sql.py

format: install ## apply ruff's formatting
	$(ENV) ruff format . && ruff check --fix .

lock: ## re-resolve requirements.in into requirements.lock
	.venv/bin/uv pip compile requirements.in --python-version 3.11 -o requirements.lock

clean: down ## remove the local stack's data and the environment
	rm -rf .local .venv dbt_project/target
