# fordela: two commands matter.  `make demo` (everything, then serve)  and  `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv comes from PyPI: use the one on PATH, else install it into .tools/ once.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PORT ?= 8501
DAGSTER_PORT ?= 3000
SCALE ?= 1
export FORDELA_DATA_DIR ?= $(CURDIR)/data

.PHONY: help env demo pipeline serve dagster test test-fast lint bench screenshots clean

help:
	@echo "make demo       set up, generate the demo city, run the pipeline, publish, serve the dashboards"
	@echo "make test       set up and run the whole test suite"
	@echo "make pipeline   like demo, without serving (for scripts and CI)"
	@echo "make dagster    Dagster's UI on the same instance (http://localhost:$(DAGSTER_PORT))"
	@echo "make serve      serve the dashboards on the last published snapshot"
	@echo "make bench      benchmarks (bench/), writes bench/results/"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

# Bytecode compiled once at install: Python otherwise compiles every imported module of
# dagster, dbt and GX again in each process wherever .pyc files are not written
# (PYTHONDONTWRITEBYTECODE, read-only installs): 10 s of every pipeline run's start-up.
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@touch $@

env: .venv/.synced

pipeline: env
	$(UV) run fordela pipeline --scale $(SCALE)

serve: env
	@echo ""
	@echo "  fordela dashboards: http://localhost:$(PORT)   (demo users: see README)"
	@echo ""
	$(UV) run streamlit run dashboards/app.py --server.port $(PORT) --server.headless true

demo: pipeline serve

# The same instance as `fordela pipeline`, with its one-writer pool (dagster.yaml written if
# missing): a run started from the UI waits for the warehouse like any other.
dagster: env
	$(UV) run python -c "from pipelines.cli import prepare_dagster_home; prepare_dagster_home()"
	DAGSTER_HOME=$(FORDELA_DATA_DIR)/dagster_home $(UV) run dagster dev -m pipelines.definitions -p $(DAGSTER_PORT)

test: env
	$(UV) run pytest -n 2 --dist loadgroup

test-fast: env
	$(UV) run pytest -m "not slow and not e2e"

lint: env
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy pipelines dashboards expectations bench

bench: env
	$(UV) run python -m bench.run

screenshots: env
	$(UV) run python -m tests.e2e.screenshots

clean:
	rm -rf data dbt_project/target .venv/.synced
