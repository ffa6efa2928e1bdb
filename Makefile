# The two commands a user needs: `make run` and `make test`.
# Both create the virtual environment (.venv) and install the pinned
# dependencies on first use; nothing else has to be on the machine but
# Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-duckdb1.txt | cksum | cut -d' ' -f1)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

ARGS ?=

.PHONY: run test lint build olist bench venv clean

$(STAMP): requirements.txt requirements-duckdb1.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# DuckDB 1.x apart (PYTHONPATH=.venv/duckdb1), as BI drivers bundle it:
	# the tests open the serving file with it
	$(BIN)/python -m pip install --quiet --upgrade --target $(VENV)/duckdb1 -r requirements-duckdb1.txt
	touch $(STAMP)

venv: $(STAMP)

## run: load demo data if raw is empty, seed, build, validate, print the summary
run: $(STAMP)
	$(BIN)/python scripts/pipeline.py run $(ARGS)

## test: lint (ruff, sqlfluff) and the whole test suite, on two workers (each
## test module stays on one worker: its fixtures build one warehouse). The
## lint runs beside pytest, whose workers leave a core idle much of the time
## (waiting on dbt subprocesses); its output follows pytest's.
test: $(STAMP)
	@rm -f .lint.log; ($(MAKE) --no-print-directory lint > .lint.log 2>&1; echo $$? > .lint.status) & \
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=12 $(ARGS); tests=$$?; \
	wait; echo "== lint"; cat .lint.log; linted=$$(cat .lint.status); rm -f .lint.status; \
	test $$tests -eq 0 && test $$linted -eq 0

# sqlfluff's dbt templater compiles the models, and the scorecard macro reads
# the seeds while compiling: lint seeds a throwaway DuckDB file first. Then
# dbt-score checks the conventions (layers, prefixes, sources, access, joins,
# keys, docs) on the manifest.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/dbt seed --quiet
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests/dbt
	# the project's conventions (pyproject.toml [tool.dbt-score], scripts/conventions/):
	# any violation fails
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/dbt-score lint --run-dbt-parse

## olist: the whole pipeline on the real Olist marketing funnel (docs/olist.md),
## in its own warehouse file so the demo warehouse is left alone
OLIST_SOURCE ?= ../shared/data/olist_marketing_funnel
olist: $(STAMP)
	$(BIN)/python scripts/load_olist.py --from $(OLIST_SOURCE) --out warehouse/olist_raw
	LEAD_SCORING_DUCKDB_PATH=warehouse/olist.duckdb $(BIN)/python scripts/pipeline.py run \
		--raw-from warehouse/olist_raw --as-of 2018-12-31 --history-days 600 --no-demo $(ARGS)

## bench: the benchmark (docs/benchmarks.md): 200,000 leads, ~10 M events by
## default; `make bench ARGS="--leads 1000000"` for ~50 M events
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(ARGS)

## build: `dbt build` alone, as an analytics engineer would run it
build: $(STAMP)
	$(BIN)/dbt build

clean:
	rm -rf $(VENV) target dbt_packages logs warehouse
