"""The one way the orchestrator invokes dbt and reads what a build made.

- ``Dbt`` runs dbt through ``dbtRunner``, one invocation at a time, from the
  project folder, and turns each node's result into a ``BuildOutcome``
  (read from the invocation's results, the same as ``run_results.json``).
- ``BuildReader`` reads the models of a build (DuckDB or Spark) by *model
  name*: the relation each name stands for comes from dbt's manifest, never
  written here; ``select_sql`` is the one query it writes.
- ``scoped_env`` is how the orchestrator changes the environment dbt reads
  (the profile's DuckDB path): for one block, restored after it.
- The vars that change from run to run (``RUN_VARS``: the as-of date, the
  history range, the audits' last publication) reach dbt in the environment
  variable ``LEAD_SCORING_RUN_VARS``, read by the macro ``run_var``; the
  others as ``--vars``. dbt re-parses the whole project whenever ``--vars``
  differ from the last invocation's, so a daily run would otherwise pay a
  full parse every day (docs/benchmarks.md, fixed cost).
- ``release_dbt_duckdb`` is the one reach into dbt-duckdb's private state,
  with the reason.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from scripts.lead_scoring import ROOT
from scripts.lead_scoring.errors import EXIT_CANNOT_RUN, MissingRelation, PipelineError
from scripts.lead_scoring.publication import PublicTable, failpoint

DUCKDB_PATH_ENV = "LEAD_SCORING_DUCKDB_PATH"
RUN_VARS_ENV = "LEAD_SCORING_RUN_VARS"
# the vars the models read through lead_scoring.run_var (macros/run/run_var.sql)
RUN_VARS = frozenset({
    "score_as_of", "history_start", "fire_triggers", "previous_band_shares",
    "previous_publication_id", "max_band_shift", "quarantine_warn_share",
    "report_top_leads", "score_current_lead_state", "stage_by_load_watermark",
    "enroll_existing_leads",
})
# The orchestrator's own dbt target folder (manifest, run results, the saved
# partial parse). Its builds go to a copy of the warehouse (write-audit-
# publish), and the DuckDB path is one of the profile values dbt's partial
# parse checks: sharing `target/` with plain `dbt` commands, every switch
# between a pipeline run and a `dbt build` would parse the whole project
# again (docs/benchmarks.md, "dbt's fixed cost").
TARGET_PATH = ROOT / "target" / "pipeline"
MANIFEST = TARGET_PATH / "manifest.json"


def duckdb_path() -> Path:
    """The DuckDB file of the repository profile (env LEAD_SCORING_DUCKDB_PATH)."""
    path = Path(os.environ.get(DUCKDB_PATH_ENV, "warehouse/lead_scoring.duckdb"))
    return path if path.is_absolute() else ROOT / path


@contextmanager
def scoped_env(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block (dbt reads the profile from them),
    then put back what was there before."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def release_dbt_duckdb() -> None:
    """Close the DuckDB database that dbt-duckdb keeps open in this process.

    Why the private state: dbt-duckdb keeps one process-wide DuckDB
    "environment" (``DuckDBConnectionManager._ENV``, guarded by ``_LOCK``)
    open after ``dbtRunner.invoke`` returns, and offers no public call to
    close it. DuckDB allows one writer process or many readers, so until it
    is closed nothing else (the audits' reader, the publication's copy, the
    commit's rename) may open the file. Setting it to None makes the next
    invocation open a fresh one. Nothing else in the orchestrator touches
    dbt's internals.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager
    except ImportError:  # another adapter: nothing of DuckDB's to release
        return
    with manager._LOCK:
        environment, manager._ENV = manager._ENV, None
        if environment is not None:
            environment.close()


@dataclass
class NodeResult:
    """One node of an invocation: a model, seed, or test, with its status."""

    unique_id: str
    name: str
    resource_type: str
    status: str
    message: str
    failures: int | None
    meta: dict[str, Any]
    severity: str = "error"
    relation_name: str | None = None  # where a test stored its failing rows
    compiled_code: str | None = None  # a test's query: its rows are the failures


@dataclass
class BuildOutcome:
    errors: list[str] = field(default_factory=list)
    test_failures: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    nodes: list[NodeResult] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join(f"{count} {status}" for status, count in sorted(self.counts.items()))

    def report(self) -> int | None:
        """Print the counts and what went wrong; EXIT_CANNOT_RUN on build errors."""
        print(f"  {self.summary()}", flush=True)
        if self.errors:
            print("dbt could not build:", file=sys.stderr)
            for error in self.errors:
                print(f"  {error}", file=sys.stderr)
            return EXIT_CANNOT_RUN
        if self.test_failures:
            print("dbt tests failed:", file=sys.stderr)
            for failure in self.test_failures:
                print(f"  {failure}", file=sys.stderr)
        return None


class Dbt:
    """dbt through dbtRunner, one invocation at a time, from the project folder."""

    def __init__(self, target: str | None, dbt_vars: dict[str, Any], verbose: bool) -> None:
        from dbt.cli.main import dbtRunner

        self.target = target
        self.vars = dbt_vars
        self.verbose = verbose
        self.progress = 0
        self.runner = dbtRunner(callbacks=[self._on_event])

    def _common(self) -> list[str]:
        args = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
                "--target-path", str(TARGET_PATH)]
        if self.target:
            args += ["--target", self.target]
        parse_vars = {name: value for name, value in self.vars.items() if name not in RUN_VARS}
        if parse_vars:
            args += ["--vars", json.dumps(parse_vars, sort_keys=True)]
        return args

    def run_vars(self) -> dict[str, str]:
        """The environment that carries this invocation's run vars."""
        return {RUN_VARS_ENV: json.dumps(
            {name: value for name, value in self.vars.items() if name in RUN_VARS},
            sort_keys=True)}

    def _on_event(self, event: Any) -> None:
        if event.info.name != "NodeFinished":
            return
        info = event.data.node_info
        self.progress += 1
        failpoint(f"build:{self.progress}")
        status = info.node_status
        mark = {"success": "ok", "pass": "ok"}.get(status, status)
        if self.verbose or mark != "ok" or self.progress % 25 == 0:
            print(f"  [{self.progress:>3}] {mark:<7} {info.resource_type:<9} {info.node_name}",
                  flush=True)

    def invoke(self, command: list[str]) -> Any:
        log = [] if self.verbose else ["--log-level", "none"]
        with scoped_env(self.run_vars()):
            result = self.runner.invoke([*command, *self._common(), *log])
        if result.exception is not None:
            raise PipelineError(f"dbt {command[0]} could not run: {result.exception}")
        return result

    def build(self, select: str | None, unit_tests: bool = False,
              data_tests: bool = True) -> BuildOutcome:
        """``dbt build``; with ``data_tests`` False, only the tests the selection
        names itself (the caller's audits), none of the selected models'."""
        command = ["build"]
        if not data_tests:
            select = select or "resource_type:model resource_type:seed"
            command += ["--indirect-selection", "empty"]
        if select:
            command += ["--select", select]
        if not unit_tests:
            # unit tests check the SQL against fixtures, whatever the data:
            # they belong in development and CI (`make test`), not in every run
            command += ["--exclude-resource-type", "unit_test"]
        return self.build_command(command)

    def build_command(self, command: list[str]) -> BuildOutcome:
        self.progress = 0
        result = self.invoke(command)
        outcome = BuildOutcome()
        for node_result in result.result.results if result.result else []:
            status = str(node_result.status)
            outcome.counts[status] = outcome.counts.get(status, 0) + 1
            node = node_result.node
            where = f"{node.resource_type} {node.name}"
            message = node_result.message or ""
            outcome.nodes.append(NodeResult(
                node.unique_id, node.name, str(node.resource_type), status, message,
                node_result.failures, dict(node.config.meta or {}),
                str(getattr(node.config, "severity", "error") or "error").lower(),
                getattr(node, "relation_name", None),
                getattr(node, "compiled_code", None)))
            if status == "error":
                outcome.errors.append(f"{where}: {message}")
            elif status == "fail":
                outcome.test_failures.append(f"{where}: {message}")
        return outcome

    def close(self) -> None:
        """Let go of the warehouse file (see release_dbt_duckdb)."""
        release_dbt_duckdb()


def _manifest_nodes(manifest: Path) -> list[dict[str, Any]]:
    if not manifest.exists():
        raise PipelineError(f"{manifest} is missing: run `dbt parse` (or a build) first")
    return list(json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values())


def relations(manifest: Path = MANIFEST) -> dict[str, str]:
    """Model and seed names to the relations (schema.table) dbt built them as."""
    return {
        node["name"]: f"{node['schema']}.{node.get('alias') or node['name']}"
        for node in _manifest_nodes(manifest) if node["resource_type"] in ("model", "seed")
    }


def public_marts(manifest: Path = MANIFEST) -> list[PublicTable]:
    """The tables BI reads: models under models/marts/ built as tables."""
    tables = []
    for node in _manifest_nodes(manifest):
        if (node["resource_type"] == "model"
                and node["original_file_path"].startswith("models/marts/")
                and node["config"].get("materialized") in ("table", "incremental")):
            meta = node["config"].get("meta") or {}
            tables.append(PublicTable(node.get("alias") or node["name"],
                                      tuple(meta.get("run_time_columns") or ())))
    if not tables:
        raise PipelineError(f"{manifest}: no models under models/marts/ to publish")
    return sorted(tables, key=lambda table: table.name)


def incremental_models(manifest: Path = MANIFEST) -> list[tuple[str, str]]:
    """(schema, table) of every incremental model: the state a run adds to."""
    return sorted((node["schema"], node.get("alias") or node["name"])
                  for node in _manifest_nodes(manifest)
                  if node["resource_type"] == "model"
                  and node["config"].get("materialized") == "incremental")


ORDER_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*( (asc|desc))?")


def select_sql(relation: str, where: dict[str, Any] | None = None,
               order_by: tuple[str, ...] = (), limit: int | None = None,
               placeholder: str = "?") -> str:
    """The one query the orchestrator writes, on every engine: the rows of a
    relation, where columns equal parameters (``placeholder`` marks them: ``?``
    for DuckDB and a Spark session, ``%s`` for PyHive), in an order."""
    for item in (*(where or {}), *order_by):
        if not ORDER_ITEM.fullmatch(item):
            raise PipelineError(f"not a column (or column asc/desc): {item!r}")
    sql = f"select * from {relation}"
    if where:
        sql += " where " + " and ".join(f"{column} = {placeholder}" for column in where)
    if order_by:
        sql += " order by " + ", ".join(order_by)
    if limit is not None:
        sql += f" limit {int(limit)}"
    return sql


class Connection(Protocol):
    """What a reader needs of an engine: rows of a query (``placeholder`` marks its
    parameters), MissingRelation for a relation that is not there."""

    placeholder: str

    def fetch(self, sql: str, parameters: list[Any] | None = None
              ) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class DuckDBConnection:
    """A read-only DuckDB connection to a built file."""

    placeholder = "?"

    def __init__(self, database: Path) -> None:
        import duckdb

        if not database.exists():
            raise FileNotFoundError(f"{database}: no build yet")
        self.con = duckdb.connect(str(database), read_only=True)

    def fetch(self, sql: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
        import duckdb

        try:
            cursor = self.con.execute(sql, parameters or [])
        except duckdb.CatalogException as error:
            raise MissingRelation(str(error).splitlines()[0]) from error
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()


class BuildReader:
    """Read-only queries on a build, models named as in dbt (the relation of each
    name from dbt's manifest): a few milliseconds per query where `dbt show` takes
    a second or two. The connection is DuckDB's (``reading``) or Spark's
    (``spark_sql``)."""

    def __init__(self, connection: Connection, manifest: Path = MANIFEST) -> None:
        self.relations = relations(manifest)
        self.connection = connection

    def relation(self, model: str) -> str:
        try:
            return self.relations[model]
        except KeyError:
            raise PipelineError(f"model {model} is not in dbt's manifest") from None

    def rows(self, model: str, where: dict[str, Any] | None = None,
             order_by: tuple[str, ...] = (), limit: int | None = None
             ) -> list[dict[str, Any]]:
        """The rows of a model, optionally where columns equal values, in an order."""
        return self.connection.fetch(
            select_sql(self.relation(model), where, order_by, limit,
                       self.connection.placeholder), list((where or {}).values()))

    def stored_failures(self, relation_name: str, limit: int = 20) -> list[dict[str, Any]]:
        """The failing rows a test stored (``store_failures``; the relation as dbt names
        it in the test's result)."""
        return self.connection.fetch(select_sql(relation_name, limit=limit))

    def failing_rows(self, test_sql: str, limit: int = 5) -> list[dict[str, Any]]:
        """The first rows of a test's compiled query: what failed (for a test that
        did not store its failures)."""
        # on lines of their own: the test's SQL may end in a comment
        return self.connection.fetch(f"select * from (\n{test_sql}\n) as failing limit {limit}")

    def close(self) -> None:
        self.connection.close()


@contextmanager
def reading(database: Path) -> Iterator[BuildReader]:
    """A DuckDB build, read directly (dbt's own connection to it closed first)."""
    release_dbt_duckdb()
    reader = BuildReader(DuckDBConnection(database))
    try:
        yield reader
    finally:
        reader.close()


def target_type(target: str) -> str:
    """The adapter type (duckdb, spark, ...) of a target of the repository profile."""
    import yaml

    profiles = yaml.safe_load((ROOT / "profiles.yml").read_text(encoding="utf-8"))
    outputs = profiles["lead_scoring"]["outputs"]
    if target not in outputs:
        raise PipelineError(f"profiles.yml has no target {target!r} (targets: "
                            f"{', '.join(outputs)})")
    return str(outputs[target]["type"])
