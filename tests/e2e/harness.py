"""A throwaway copy of the dbt project, built with dbt, read back with DuckDB.

Tests copy the project into a temporary folder (so they can swap in their
own scorecard files without touching the repository), load raw tables into
their own DuckDB file, run dbt outside the test process (dbt-duckdb keeps
its connection open in-process, which would lock the file: on DuckDB in the
test process's one dbt server, tests/e2e/dbt_server.py, which closes it
after each command; on Spark in a subprocess per command) and read the marts.
"""

from __future__ import annotations

import atexit
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from scripts.lead_scoring.dbt_client import RUN_VARS
from scripts.load_raw import load_raw_spark, load_raw_tables
from tests.e2e.dbt_server import DbtServer

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT_ITEMS = (
    "dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "docs",
    "scripts", "tests/dbt",
)
SEED_FILES = (
    "scorecard_rules", "scorecard_groups", "scorecard_bands", "scorecard_grades",
)
SEED_COLUMNS = {
    "scorecard_rules": [
        "scorecard_id", "rule_id", "dimension", "score_group", "source",
        "activity_type", "field", "operator", "value", "points", "frequency",
        "min_count", "max_count", "max_points", "window_days", "half_life_days",
        "market", "description",
    ],
    "scorecard_groups": ["scorecard_id", "score_group", "max_points", "min_points"],
    "scorecard_bands": ["scorecard_id", "band", "min_score", "market"],
    "scorecard_grades": ["scorecard_id", "grade", "min_fit_score"],
    "score_adjustments": [
        "adjustment_id", "lead_id", "scorecard_id", "action", "points", "effective_date",
        "reason", "author",
    ],
}


# A build's models and seeds, without its tests: for a build whose check is
# the values it reads.
MODELS_AND_SEEDS = ("--resource-type", "model", "--resource-type", "seed")
# The scoring marts and everything upstream of them: the build of a test that
# reads only scores, the ledger and the quarantine.
SCORING = ("+fct_lead_scores", "+fct_lead_score_contributions", "+fct_quarantined_rows")


@dataclass
class Project:
    """A copy of the dbt project with its own DuckDB file (or, with target
    ``spark``, its own local Spark warehouse and metastore)."""

    path: Path
    target: str = "duckdb"

    @classmethod
    def copy(cls, destination: Path, engine: str = "duckdb") -> Project:
        copy_items(destination)
        # dbt's parse of an unchanged copy, so that its first call parses
        # only what a test changes (the seeds it writes), not the project
        parsed = parsed_template(engine)
        if parsed is not None:
            (destination / "target").mkdir(exist_ok=True)
            shutil.copy2(parsed, destination / "target" / PARTIAL_PARSE)
        return cls(destination, engine)

    def without_adjustments(self) -> Project:
        """Empty the manual adjustments (not part of the scoring contract)."""
        self.write_seed("score_adjustments", [])
        return self

    @property
    def database(self) -> Path:
        return self.path / "warehouse" / "test.duckdb"

    @property
    def spark_dir(self) -> Path:
        return self.path / "warehouse" / "spark"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(profile_env(self.target))
        env.update(QUIET_DBT)
        env.update({
            "DBT_PROFILES_DIR": str(self.path),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        })
        return env

    def seed_path(self, name: str) -> Path:
        matches = list((self.path / "seeds").rglob(f"{name}.csv"))
        assert len(matches) == 1, f"expected one {name}.csv under seeds/"
        return matches[0]

    def write_seed(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Replace a scorecard seed file with these rows (missing columns empty)."""
        columns = SEED_COLUMNS[name]
        with self.seed_path(name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({column: _text(row.get(column)) for column in columns})

    def read_seed(self, name: str) -> list[dict[str, str | None]]:
        return read_csv_rows(self.seed_path(name))

    def load_raw(self, folder: Path, typed: bool = False, crm: bool = False) -> dict[str, int]:
        """Load the folder's raw tables; the CRM tables only with ``crm``.

        Without them a warehouse is exactly what SCORING_SPEC describes (the
        three lead tables), which is what the reference implementation scores.
        """
        if self.target == "spark":
            assert not typed, "the Spark loader reads the Parquet files as they are"
            return load_raw_spark(folder, lambda *args: self.dbt(*args),
                                  tables=None if crm else ())
        return load_raw_tables(folder, self.database, "raw", typed=typed,
                               tables=None if crm else ())

    def dbt(self, *args: str, check: bool = True,
            as_user: bool = False) -> subprocess.CompletedProcess[str]:
        """dbt in a subprocess. The run vars among ``--vars`` (the as-of date,
        the history range, ...) go in LEAD_SCORING_RUN_VARS, as the
        orchestrator passes them, so that dbt's partial parse stays valid from
        one call to the next; ``as_user`` passes ``--vars`` as written, as a
        user's `dbt build --vars ...` does."""
        env = self.env
        if not as_user:
            args, run_vars = split_run_vars(args)
            env[RUN_VARS_ENV] = json.dumps(run_vars)
        if self.target == "duckdb":
            # in this test process's dbt server (tests/e2e/dbt_server.py)
            result = DBT_SERVER.run(list(args), self.path, env, timeout=900)
        else:
            result = subprocess.run(
                [str(BIN / "dbt"), *args],
                cwd=self.path, env=env, capture_output=True, text=True, timeout=900,
            )
        if check and result.returncode != 0:
            raise AssertionError(
                f"dbt {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def build(self, as_of: str, *extra: str, select: tuple[str, ...] = (),
              data_tests: bool = True) -> subprocess.CompletedProcess[str]:
        """dbt build with data tests; the unit tests (the same whatever the data)
        run in the orchestrator's tests (tests/scripts/test_pipeline.py).

        ``select`` narrows the build to what a test reads (e.g. ``SCORING``):
        those models, everything upstream and the data tests whose every
        parent is built (cautious indirect selection: a test that also reads
        a model left out would fail on a missing table).

        ``data_tests=False`` builds the models and seeds only, for a test whose
        check is the values it reads (the reference parity, the report, the
        fit): the data tests run on the data sets of their own (demo data in
        the orchestrator's first run, messy raw rows, the CRM cases, every
        step of the incremental chain, the golden cases, Olist)."""
        selection = ("--select", *select, "--indirect-selection", "cautious") if select else ()
        kinds = () if data_tests else MODELS_AND_SEEDS
        return self.dbt("build", "--vars", f"{{score_as_of: '{as_of}'}}",
                        "--exclude-resource-type", "unit_test", *selection, *kinds, *extra)

    def relation(self, schema: str, table: str) -> str:
        """A table of the warehouse as DuckDB reads it: the table itself, or
        on Spark its parquet files (partition folders as columns)."""
        if self.target == "spark":
            folder = self.spark_dir / "tables" / f"{schema}.db" / table
            return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        return f"{schema}.{table}"

    def query(self, sql: str) -> list[dict[str, Any]]:
        if self.target == "spark":
            with duckdb.connect() as con:
                con.execute("set TimeZone = 'UTC'")
                cursor = con.execute(sql)
                names = [column[0] for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        with duckdb.connect(str(self.database), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


PARTIAL_PARSE = "partial_parse.msgpack"
# No logs/dbt.log from the tests' dbt calls (their output is captured, and a
# failing test prints it): writing dbt's debug log is about a sixth of the
# CPU of a build of the whole project on test data (py-spy over `dbt build`;
# /usr/bin/time: 22 s user with the log, 18 s without). The orchestrator's
# own runs keep the log; this only reaches the tests' subprocesses.
QUIET_DBT = {"DBT_LOG_LEVEL_FILE": "none"}
RUN_VARS_ENV = "LEAD_SCORING_RUN_VARS"
_PARSED: dict[str, Path | None] = {}
DBT_SERVER = DbtServer()
atexit.register(DBT_SERVER.stop)


def profile_env(target: str) -> dict[str, str]:
    """The environment the profile reads, the same for every copy (paths
    relative to the copy, where dbt runs): dbt re-parses a project whose
    profile changed."""
    return {
        "LEAD_SCORING_DUCKDB_PATH": "warehouse/test.duckdb",
        "LEAD_SCORING_TARGET": target,
        "LEAD_SCORING_SPARK_DIR": "warehouse/spark",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def copy_items(destination: Path) -> None:
    for item in PROJECT_ITEMS:
        source = ROOT / item
        target = destination / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    (destination / "warehouse").mkdir(exist_ok=True)


def parsed_template(target: str) -> Path | None:
    """dbt's partial-parse file of an unchanged copy of the project, made once
    per test process and target (None when dbt could not parse it: the copy's
    own first call then parses in full and reports the error)."""
    if target not in _PARSED:
        folder = tempfile.mkdtemp(prefix="dbt-parsed-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = Path(folder) / "project"
        copy_items(template)
        env = {**os.environ, **profile_env(target), **QUIET_DBT,
               "DBT_PROFILES_DIR": str(template)}
        env.pop(RUN_VARS_ENV, None)
        parsed = subprocess.run([str(BIN / "dbt"), "parse", "--quiet"], cwd=template, env=env,
                                capture_output=True, text=True, timeout=900)
        saved = template / "target" / PARTIAL_PARSE
        _PARSED[target] = saved if parsed.returncode == 0 and saved.exists() else None
    return _PARSED[target]


def split_run_vars(args: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """``args`` without the run vars of their ``--vars`` (those the models read
    through lead_scoring.run_var), and those run vars."""
    kept: list[str] = []
    run_vars: dict[str, Any] = {}
    values = iter(args)
    for arg in values:
        if arg != "--vars":
            kept.append(arg)
            continue
        given = yaml.safe_load(next(values)) or {}
        run_vars.update({name: value for name, value in given.items() if name in RUN_VARS})
        rest = {name: value for name, value in given.items() if name not in RUN_VARS}
        if rest:
            kept += ["--vars", json.dumps(rest, sort_keys=True)]
    return tuple(kept), run_vars


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """A raw table as a CSV export: these columns, missing values empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


def read_csv_rows(path: Path) -> list[dict[str, str | None]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {key: (value if value != "" else None) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def read_raw_rows(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The raw tables' rows in file (load) order, as the reference reads them."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with duckdb.connect() as con:
        for table in ("leads", "lead_attributes", "events"):
            parquet = folder / f"{table}.parquet"
            if parquet.exists():
                cursor = con.execute(f"select * from read_parquet('{parquet}')")
                names = [column[0] for column in cursor.description]
                rows[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            else:
                rows[table] = read_csv_rows(folder / f"{table}.csv")
    return rows
