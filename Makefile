# The two commands a user needs: `make run` and `make test`.
# Both create the virtual environment (.venv) and install the pinned
# dependencies on first use; nothing else has to be on the machine but
# Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

ARGS ?=

.PHONY: run test lint build venv clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

## run: load demo data if raw is empty, seed, build, validate, print the summary
run: $(STAMP)
	$(BIN)/python scripts/pipeline.py run $(ARGS)

## test: lint (ruff, sqlfluff) and the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest $(ARGS)

# sqlfluff's dbt templater compiles the models, and the scorecard macro reads
# the seeds while compiling: lint seeds a throwaway DuckDB file first.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/dbt seed --quiet
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests/dbt

## build: `dbt build` alone, as an analytics engineer would run it
build: $(STAMP)
	$(BIN)/dbt build

clean:
	rm -rf $(VENV) target dbt_packages logs warehouse
