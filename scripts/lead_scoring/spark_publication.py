"""Write, audit, publish on Spark (targets ``spark`` and ``spark_cluster``).

Spark has no database file to copy and rename, and without Delta no
transactions. The Spark way, per run (``scripts/pipeline.py run``):

1. **lock**: one run at a time (an ``flock`` on ``warehouse/<target>.lock``
   of the machine that runs the pipeline, as on DuckDB);
2. **recover**: a publication that a killed run committed but did not
   finish switching is switched now; build schemas of runs that never
   published (killed, failed) are dropped;
3. **write**: the run builds into schemas of its own,
   ``lead_scoring_b<N>_staging``, ``..._marts``, ... (dbt var
   ``schema_prefix``). The incremental models' tables (event staging, score
   history, trigger and sync logs: the state a daily run adds to) are first
   copied from the build that is served now, so the run is incremental and
   a failed run leaves that state untouched;
4. **audit**: dbt's tests and the orchestrator's audits read the build;
5. **publish**: row counts and checksums of every public mart are recorded
   in ``publication.published_tables``; one row appended to
   ``publication.publications`` is the **commit point**; then every view of
   the serving schema ``marts`` is re-pointed at the build
   (``create or replace view marts.x as select * from
   lead_scoring_b<N>_marts.x``) and ``publication.switches`` records that the
   switch is complete. The two builds before stay (readers may still read
   them); older ones are dropped.

What a reader sees. Each view replacement is one metastore call: a query
sees a view's old or new definition, never a half-built table (the table
it points at was complete and audited before the commit). The switch of the
whole schema is *not* one step on Spark: for the second or two it takes, a
query that reads two marts may read one from publication N and one from
N+1. DuckDB's rename swaps the whole serving file at once. Readers that
need every mart of one publication read ``publication.current`` (which
names the build schema, ``build_schema``) and query that schema directly:
its tables never change after they were published.

A failed build or audit publishes nothing: ``marts`` keeps pointing at the
last good build, and the failed build's schemas stay until the next run
starts, to look at. A run killed before the commit point leaves only its
build schemas (dropped by the next run); killed after it, the next run
finishes the switch first.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BUILD_PREFIX = "lead_scoring_b"
SERVING_SCHEMA = "marts"
PUBLICATION_SCHEMA = "publication"
# builds kept besides the one served (a reader may still be reading it)
KEEP_BUILDS = 2
BUILD_SCHEMA = re.compile(rf"^{BUILD_PREFIX}(\d+)_(\w+)$")


def _pipeline() -> Any:
    """The orchestrator's shared pieces (dbt, audits, summary, report)."""
    from scripts import pipeline

    return pipeline


def build_prefix(build_id: int) -> str:
    return f"{BUILD_PREFIX}{build_id}_"


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# ------------------------------------------------------------ connection


class SparkSql:
    """Statements and queries on the target's Spark: dbt-spark's own session
    (target ``spark``, in this process) or the Thrift server (PyHive)."""

    def __init__(self, target: str) -> None:
        credentials = _credentials(target)
        self.method = str(credentials.method)
        self._session: Any = None
        self._connection: Any = None
        if self.method.endswith("session"):
            from pyspark.sql import SparkSession

            # the same builder as dbt-spark's: whoever comes first, both
            # share one session (and its one-process metastore)
            builder = SparkSession.builder.enableHiveSupport()
            for key, value in credentials.server_side_parameters.items():
                builder = builder.config(key, value)
            self._session = builder.getOrCreate()
        elif self.method.endswith("thrift"):
            from pyhive import hive

            try:
                self._connection = hive.connect(
                    host=credentials.host, port=credentials.port,
                    username=credentials.user or None, auth=credentials.auth,
                    kerberos_service_name=credentials.kerberos_service_name,
                    password=credentials.password,
                    configuration=credentials.server_side_parameters,
                )
            except Exception as error:  # noqa: BLE001 (thrift, socket, sasl errors alike)
                raise _pipeline().PipelineError(
                    f"target {target}: cannot reach the Thrift server at "
                    f"{credentials.host}:{credentials.port}: {error}") from error
        else:
            raise _pipeline().PipelineError(
                f"target {target}: the orchestrator speaks to Spark through the session "
                f"or thrift method, not {self.method}")

    def query(self, sql: str) -> list[dict[str, Any]]:
        if self._session is not None:
            return [row.asDict() for row in self._session.sql(sql).collect()]
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql)
            if not cursor.description:
                return []
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def execute(self, sql: str) -> None:
        self.query(sql)

    def schemas(self) -> list[str]:
        return [next(iter(row.values())) for row in self.query("show databases")]

    def tables(self, schema: str) -> set[str]:
        if schema not in self.schemas():
            return set()
        return {row["tableName"] for row in self.query(f"show tables in {_ident(schema)}")
                if not row.get("isTemporary")}

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 (the server went away: nothing left to close)
                pass


def _credentials(target: str) -> Any:
    """The target's rendered credentials from profiles.yml (what dbt connects with)."""
    from argparse import Namespace

    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    root = _pipeline().ROOT
    set_from_args(Namespace(), None)
    set_invocation_context(dict(os.environ))
    profile = Profile.from_raw_profiles(read_profile(str(root)), "lead_scoring",
                                        ProfileRenderer({}), target_override=target)
    if profile.credentials.type != "spark":
        raise _pipeline().PipelineError(f"target {target} is not a Spark target")
    return profile.credentials


class SparkReader:
    """Queries with ``{{ ref('model') }}`` resolved from dbt's manifest, on Spark
    (the summary and the report read the build through it)."""

    REF = re.compile(r"\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}")

    def __init__(self, sql: SparkSql, manifest: Path) -> None:
        import json

        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
        self.sql = sql
        self.relations = {
            node["name"]: f"{node['schema']}.{node.get('alias') or node['name']}"
            for node in nodes if node["resource_type"] in ("model", "seed")
        }

    def query(self, sql: str) -> list[dict[str, Any]]:
        return self.sql.query(self.REF.sub(lambda match: self.relations[match[1]], sql))


# ----------------------------------------------------------- publications


@dataclass
class SparkPublication:
    """One row of ``publication.publications``."""

    publication_id: int
    published_at: str
    score_as_of: str | None
    build_schema: str
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Mart:
    """A public mart of a build: its name and the build schema holding it."""

    name: str
    schema: str
    run_time_columns: tuple[str, ...] = ()


class SparkWarehouse:
    """The publications on one Spark target: what is served, the builds, the switch."""

    def __init__(self, sql: SparkSql) -> None:
        self.sql = sql

    # -- reading what is published

    def _log_exists(self) -> bool:
        return "publications" in self.sql.tables(PUBLICATION_SCHEMA)

    def latest(self) -> SparkPublication | None:
        """The last committed publication (switched or not)."""
        if not self._log_exists():
            return None
        rows = self.sql.query(
            f"select publication_id, cast(published_at as string) as published_at, "
            f"cast(score_as_of as string) as score_as_of, build_schema "
            f"from {PUBLICATION_SCHEMA}.publications "
            "order by publication_id desc limit 1")
        if not rows:
            return None
        row = rows[0]
        publication = SparkPublication(int(row["publication_id"]), str(row["published_at"])[:19],
                                       row["score_as_of"], row["build_schema"])
        for table in self.sql.query(
                f"select table_name, row_count, checksum, data_checksum, source_schema "
                f"from {PUBLICATION_SCHEMA}.published_tables "
                f"where publication_id = {publication.publication_id}"):
            publication.tables[table["table_name"]] = {
                "row_count": int(table["row_count"]), "checksum": table["checksum"],
                "data_checksum": table["data_checksum"], "schema": table["source_schema"]}
        return publication

    def switched(self) -> int:
        if "switches" not in self.sql.tables(PUBLICATION_SCHEMA):
            return 0
        rows = self.sql.query(f"select max(publication_id) as n from {PUBLICATION_SCHEMA}.switches")
        return int(rows[0]["n"] or 0)

    def band_shares(self, publication: SparkPublication) -> list[dict[str, Any]]:
        return self.sql.query(
            f"select scorecard_id, band, lead_share from "
            f"{publication.build_schema}.agg_lead_score_bands")

    def last_history_date(self, publication: SparkPublication | None) -> date | None:
        if publication is None or "fct_lead_score_history" not in self.sql.tables(
                publication.build_schema):
            return None
        value = self.sql.query(
            f"select cast(max(score_date) as string) as d "
            f"from {publication.build_schema}.fct_lead_score_history")[0]["d"]
        return date.fromisoformat(str(value)[:10]) if value else None

    def builds(self) -> dict[int, list[str]]:
        """Build id -> its schemas."""
        found: dict[int, list[str]] = {}
        for schema in self.sql.schemas():
            match = BUILD_SCHEMA.match(schema)
            if match:
                found.setdefault(int(match[1]), []).append(schema)
        return found

    def drop_build(self, build_id: int) -> list[str]:
        schemas = self.builds().get(build_id, [])
        for schema in schemas:
            self.sql.execute(f"drop database if exists {_ident(schema)} cascade")
        return schemas

    # -- recover, prepare

    def recover(self) -> tuple[list[str], SparkPublication | None]:
        """Finish a committed switch, drop builds that never published; say what."""
        messages = []
        latest = self.latest()
        if latest is not None and self.switched() < latest.publication_id:
            self.switch(latest)
            messages.append(f"completed the switch to publication {latest.publication_id}, "
                            "which an interrupted run had committed")
        served = latest.publication_id if latest else 0
        for build_id in sorted(self.builds()):
            if build_id > served:
                schemas = self.drop_build(build_id)
                messages.append(f"discarded build {build_id} of an earlier run that did not "
                                f"publish ({', '.join(schemas)})")
        return messages, latest

    def prepare(self, build_id: int, latest: SparkPublication | None,
                incremental: list[tuple[str, str]]) -> list[str]:
        """Copy the served build's incremental tables into the new build's schemas.

        ``incremental``: (schema without prefix, table) of every incremental
        model. Returns the tables copied.
        """
        copied = []
        if latest is None:
            return copied
        old_prefix = latest.build_schema[: -len(SERVING_SCHEMA)]
        new_prefix = build_prefix(build_id)
        for schema, table in incremental:
            source = old_prefix + schema
            if table not in self.sql.tables(source):
                continue
            target = new_prefix + schema
            self.sql.execute(f"create database if not exists {_ident(target)}")
            self.sql.execute(f"create table {_ident(target)}.{_ident(table)} "
                             f"like {_ident(source)}.{_ident(table)}")
            self.sql.execute(f"insert into {_ident(target)}.{_ident(table)} "
                             f"select * from {_ident(source)}.{_ident(table)}")
            copied.append(f"{schema}.{table}")
        return copied

    # -- publish

    def checksums(self, mart: Mart) -> dict[str, Any]:
        """Rows and two order-independent checksums (64-bit xxhash64 per row, summed):
        over every column, and without the run-time columns."""
        relation = f"{_ident(mart.schema)}.{_ident(mart.name)}"
        columns = [row["col_name"] for row in self.sql.query(f"describe {relation}")]
        columns = [name for name in dict.fromkeys(columns) if name and not name.startswith("#")]
        data = [name for name in columns if name not in mart.run_time_columns]

        def total(names: list[str]) -> str:
            hashed = f"xxhash64('row', {', '.join(_ident(n) for n in names)})" if names else "0"
            return f"coalesce(sum(cast({hashed} as decimal(38, 0))), 0)"

        row = self.sql.query(f"select count(*) as n, cast({total(columns)} as string) as full_sum, "
                             f"cast({total(data)} as string) as data_sum from {relation}")[0]
        mask = (1 << 64) - 1
        return {"row_count": int(row["n"]), "checksum": f"{int(row['full_sum']) & mask:016x}",
                "data_checksum": f"{int(row['data_sum']) & mask:016x}",
                "run_time_columns": ",".join(mart.run_time_columns), "schema": mart.schema}

    def _ensure_log(self) -> None:
        for schema in (SERVING_SCHEMA, PUBLICATION_SCHEMA):
            self.sql.execute(f"create database if not exists {schema}")
        self.sql.execute(
            f"create table if not exists {PUBLICATION_SCHEMA}.publications ("
            "publication_id int, published_at timestamp, score_as_of date, command string, "
            "table_count int, row_count bigint, build_schema string) using parquet")
        self.sql.execute(
            f"create table if not exists {PUBLICATION_SCHEMA}.published_tables ("
            "publication_id int, table_name string, row_count bigint, checksum string, "
            "data_checksum string, run_time_columns string, source_schema string) "
            "using parquet")
        self.sql.execute(
            f"create table if not exists {PUBLICATION_SCHEMA}.switches ("
            "publication_id int, switched_at timestamp) using parquet")

    def publish(self, build_id: int, marts: list[Mart], previous: SparkPublication | None,
                score_as_of: str | None, command: str) -> SparkPublication:
        """Record, commit and switch to the build's marts (see the module docstring)."""
        failpoint = _pipeline().failpoint
        publication_id = build_id
        if score_as_of is None and previous is not None:
            score_as_of = previous.score_as_of  # a backfill keeps the current marts' date
        checksums = {}
        for number, mart in enumerate(marts, start=1):
            checksums[mart.name] = self.checksums(mart)
            failpoint(f"publish:{number}")
        self._ensure_log()
        values = ", ".join(
            f"({publication_id}, {_literal(name)}, {value['row_count']}, "
            f"{_literal(value['checksum'])}, {_literal(value['data_checksum'])}, "
            f"{_literal(value['run_time_columns'])}, {_literal(value['schema'])})"
            for name, value in checksums.items())
        self.sql.execute(f"insert into {PUBLICATION_SCHEMA}.published_tables values {values}")
        published_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        build_schema = build_prefix(build_id) + SERVING_SCHEMA
        rows = sum(value["row_count"] for value in checksums.values())
        # the commit point: from this row on, the publication counts as made
        self.sql.execute(
            f"insert into {PUBLICATION_SCHEMA}.publications values ({publication_id}, "
            f"timestamp {_literal(published_at)}, "
            f"{'null' if score_as_of is None else 'date ' + _literal(score_as_of)}, "
            f"{_literal(command)}, {len(marts)}, {rows}, {_literal(build_schema)})")
        failpoint("commit:journal")
        publication = SparkPublication(publication_id, published_at, score_as_of, build_schema,
                                       checksums)
        self.switch(publication)
        return publication

    def switch(self, publication: SparkPublication) -> None:
        """Point every view of ``marts`` at the publication's build, then record it."""
        failpoint = _pipeline().failpoint
        for number, (name, table) in enumerate(sorted(publication.tables.items()), start=1):
            self.sql.execute(f"create or replace view {SERVING_SCHEMA}.{_ident(name)} as "
                             f"select * from {_ident(table['schema'])}.{_ident(name)}")
            failpoint(f"commit:{number}")
        for stale in sorted(self.sql.tables(SERVING_SCHEMA) - set(publication.tables)):
            self.sql.execute(f"drop view if exists {SERVING_SCHEMA}.{_ident(stale)}")
        self.sql.execute(
            f"create or replace view {PUBLICATION_SCHEMA}.current as "
            f"select * from {PUBLICATION_SCHEMA}.publications "
            f"where publication_id = {publication.publication_id}")
        self.sql.execute(
            f"create or replace view {PUBLICATION_SCHEMA}.tables as "
            "select table_name, row_count, checksum, data_checksum, run_time_columns "
            f"from {PUBLICATION_SCHEMA}.published_tables "
            f"where publication_id = {publication.publication_id}")
        self.sql.execute(f"insert into {PUBLICATION_SCHEMA}.switches values "
                         f"({publication.publication_id}, current_timestamp())")
        for build_id in sorted(self.builds()):
            if build_id <= publication.publication_id - KEEP_BUILDS:
                self.drop_build(build_id)


def public_marts(manifest: Path) -> list[Mart]:
    """The public marts of the build dbt just made (models under models/marts/)."""
    import json

    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    marts = []
    for node in nodes:
        if (node["resource_type"] == "model"
                and node["original_file_path"].startswith("models/marts/")
                and node["config"].get("materialized") in ("table", "incremental")):
            meta = node["config"].get("meta") or {}
            marts.append(Mart(node.get("alias") or node["name"], node["schema"],
                              tuple(meta.get("run_time_columns") or ())))
    return sorted(marts, key=lambda mart: mart.name)


def incremental_models(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every incremental model, from a manifest parsed without a prefix."""
    import json

    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return sorted(
        (node["schema"], node.get("alias") or node["name"]) for node in nodes
        if node["resource_type"] == "model"
        and node["config"].get("materialized") == "incremental")


# ------------------------------------------------------------------ runs


@dataclass
class SparkBuild:
    """A run's build on Spark, under the run lock: recovered, prepared, published
    (or left for the next run to drop)."""

    target: str
    verbose: bool
    sql: SparkSql = field(init=False)
    warehouse: SparkWarehouse = field(init=False)
    latest: SparkPublication | None = field(init=False, default=None)
    build_id: int = field(init=False, default=0)
    keep: bool = field(init=False, default=False)
    published: bool = field(init=False, default=False)

    def open(self, raw_schema: str) -> SparkBuild:
        pipeline = _pipeline()
        self.sql = SparkSql(self.target)
        self.warehouse = SparkWarehouse(self.sql)
        messages, self.latest = self.warehouse.recover()
        for message in messages:
            print(f"  {message}", flush=True)
        self.build_id = (self.latest.publication_id if self.latest else 0) + 1
        # the incremental models, from a manifest of the plain schema names
        parse = pipeline.Dbt(self.target, {"raw_schema": raw_schema}, self.verbose)
        parse.invoke(["parse"])
        copied = self.warehouse.prepare(self.build_id, self.latest,
                                        incremental_models(pipeline.ROOT / "target"
                                                           / "manifest.json"))
        where = f"schemas {build_prefix(self.build_id)}*"
        if copied:
            print(f"  build {self.build_id} in {where}, from publication "
                  f"{self.latest.publication_id} ({', '.join(copied)} copied)", flush=True)
        else:
            print(f"  build {self.build_id} in {where} (nothing published before)", flush=True)
        pipeline.failpoint("copied")
        return self

    def dbt_vars(self, raw_schema: str) -> dict[str, Any]:
        return {"raw_schema": raw_schema, "schema_prefix": build_prefix(self.build_id)}

    def reader(self) -> SparkReader:
        return SparkReader(self.sql, _pipeline().ROOT / "target" / "manifest.json")

    def publish(self, score_as_of: str | None, command: str) -> SparkPublication:
        publication = self.warehouse.publish(
            self.build_id, public_marts(_pipeline().ROOT / "target" / "manifest.json"),
            self.latest, score_as_of, command)
        self.published = True
        return publication

    def close(self) -> None:
        if not self.published and self.build_id and self.keep:
            print(f"The failed build is kept to look at: schemas {build_prefix(self.build_id)}* "
                  "(the next run drops them)", file=sys.stderr)
        self.sql.close()


def lock_path(target: str) -> Path:
    return _pipeline().ROOT / "warehouse" / f"{target}.lock"


@contextmanager
def spark_build(target: str, command: str, lock_timeout: float, raw_schema: str,
                verbose: bool) -> Iterator[SparkBuild]:
    from scripts.publication import run_lock

    with run_lock(lock_path(target), lock_timeout, command):
        build = SparkBuild(target, verbose)
        try:
            yield build.open(raw_schema)
        finally:
            if hasattr(build, "sql"):
                build.close()


def _guarded(body: Any, target: str, command: str, args: argparse.Namespace) -> int:
    pipeline = _pipeline()
    from scripts.publication import LockTimeout, PublicationError

    try:
        with spark_build(target, command, args.lock_timeout, args.raw_schema,
                         args.verbose) as build:
            return body(build)
    except LockTimeout as error:
        print(f"error: {error}", file=sys.stderr)
        return pipeline.EXIT_BUSY
    except (pipeline.PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return pipeline.EXIT_CANNOT_RUN


def _refuse(outcome: Any, checks: list[Any], build: SparkBuild) -> int:
    print("FAILED:", file=sys.stderr)
    for failure in outcome.test_failures:
        print(f"  test {failure}", file=sys.stderr)
    for check in checks:
        if check.failures and check.severity == "error":
            print(f"  audit {check.name}: {check.detail}", file=sys.stderr)
    build.keep = True
    if build.latest is None:
        print("Nothing was published (there is no publication yet).", file=sys.stderr)
    else:
        print(f"Nothing was published: schema {SERVING_SCHEMA} still serves publication "
              f"{build.latest.publication_id} ({build.latest.published_at} UTC, as of "
              f"{build.latest.score_as_of}).", file=sys.stderr)
    return _pipeline().EXIT_FAILED


def band_shift_check(build: SparkBuild, reader: SparkReader, tolerance: float) -> Any:
    pipeline = _pipeline()
    from scripts.publication import band_shift_problems

    name = "band shares near the last publication"
    previous = build.latest
    if previous is None:
        return pipeline.Check(name, "error", 0, "nothing published yet, nothing to compare with")
    problems = band_shift_problems(build.warehouse.band_shares(previous),
                                   reader.query(pipeline.BANDS_SQL), tolerance,
                                   previous.publication_id)
    if problems:
        return pipeline.Check(name, "error", len(problems), "; ".join(problems)
                              + " (intended? rerun with a larger --max-band-shift)")
    return pipeline.Check(name, "error", 0,
                          f"every band within {tolerance * 100:g} points of publication "
                          f"{previous.publication_id} ({previous.published_at} UTC)")


def ensure_raw_data(build: SparkBuild, dbt: Any, args: argparse.Namespace,
                    as_of: date) -> bool:
    """Raw tables on Spark: loaded from --raw-from, or demo data when missing; True
    when demo data was loaded."""
    pipeline = _pipeline()
    from scripts.load_raw import CRM_TABLES, RAW_TABLES, RawDataError, load_raw_spark

    def run_dbt(*command: str) -> None:
        result = dbt.invoke(list(command))
        if not result.success:
            raise pipeline.PipelineError(f"dbt {command[0]} failed: {result.result}")

    def load(folder: Path) -> str:
        try:
            counts = load_raw_spark(folder, run_dbt)
        except RawDataError as error:
            raise pipeline.PipelineError(str(error)) from error
        return ", ".join(f"{table} {count:,}" for table, count in counts.items())

    schema = args.raw_schema
    if args.raw_from is not None:
        print(f"1/5 raw data from {args.raw_from}", flush=True)
        print(f"  loaded into schema {schema}: {load(args.raw_from.resolve())}", flush=True)
        return False
    print("1/5 raw data", flush=True)
    present = build.sql.tables(schema)
    counts = {table: int(build.sql.query(f"select count(*) as n from {schema}.{table}")[0]["n"])
              for table in (*RAW_TABLES, *CRM_TABLES) if table in present}
    if all(table in counts for table in RAW_TABLES) and counts["leads"]:
        rows = ", ".join(f"{table} {count:,}" for table, count in counts.items())
        print(f"  raw data found in schema {schema}: {rows}", flush=True)
        return False
    if args.no_demo or any(table in counts for table in RAW_TABLES):
        raise pipeline.PipelineError(
            f"target {build.target}: raw tables missing or empty in schema {schema}: "
            f"{ {table: counts.get(table) for table in RAW_TABLES} } (load all three with "
            "scripts/load_raw.py --target, or none: demo data is then loaded)")
    from scripts.generate_demo_data import FILES, generate

    demo = (pipeline.ROOT / "warehouse" / "demo"
            / f"leads{args.demo_leads}_seed{args.demo_seed}_{as_of}")
    if not all((demo / name).exists() for name in FILES):
        print(f"  generating demo data: {args.demo_leads:,} leads, seed {args.demo_seed}, "
              f"events up to {as_of} ...", flush=True)
        generate(demo, n_leads=args.demo_leads, seed=args.demo_seed, end_date=as_of)
    print(f"  demo data loaded into schema {schema}: {load(demo)}", flush=True)
    return True


def run(args: argparse.Namespace, target: str, as_of: date, started: float) -> int:
    """``pipeline.py run`` on a Spark target: the steps of the DuckDB run, the Spark way."""
    pipeline = _pipeline()
    for option in ("serving", "parquet"):
        if getattr(args, option, None) is not None:
            print(f"error: --{option} is for the DuckDB target; on {target} BI reads the "
                  f"views of schema {SERVING_SCHEMA} (docs/spark.md)", file=sys.stderr)
            return pipeline.EXIT_CANNOT_RUN

    def body(build: SparkBuild) -> int:
        dbt_vars = {**build.dbt_vars(args.raw_schema), "score_as_of": as_of.isoformat()}
        if args.point_in_time:
            dbt_vars["point_in_time"] = True
        dbt = pipeline.Dbt(target, dbt_vars, args.verbose)
        demo_loaded = ensure_raw_data(build, dbt, args, as_of)
        history_days = args.history_days
        if history_days is not None and history_days < 0:
            raise pipeline.PipelineError(f"--history-days must be 0 or more, got {history_days}")
        if history_days is None:
            history_days = pipeline.DEMO_HISTORY_DAYS if demo_loaded else 0
        last_day = build.warehouse.last_history_date(build.latest)
        if last_day is None and history_days > 0:
            first = as_of - timedelta(days=history_days)
            print(f"  no score history yet: back-filling {first} to "
                  f"{as_of - timedelta(days=1)} ({history_days} days, point in time)",
                  flush=True)
            filled = pipeline.backfill_range(dbt, first, as_of - timedelta(days=1),
                                             downstream=False)
            failed = filled.report()
            if failed is not None:
                build.keep = True
                return failed
            last_day = as_of - timedelta(days=1)
        gap = (as_of - last_day).days if last_day is not None else 0
        if gap > pipeline.MAX_GAP_DAYS:
            print(f"  warning: the history ends on {last_day}, {gap} days ago; only {as_of} "
                  "is scored (fill the gap with `pipeline.py backfill`)", file=sys.stderr)
        elif gap > 1:
            dbt.vars["history_start"] = (last_day + timedelta(days=1)).isoformat()
            dbt.vars["point_in_time"] = True
            print(f"  the history ends on {last_day}: scoring the {gap} days since", flush=True)
        print(f"2/5 dbt build (seeds, models, {'unit and ' if args.unit_tests else ''}"
              "data tests)", flush=True)
        outcome = dbt.build(args.select, args.unit_tests)
        failed = outcome.report()
        if failed is not None:
            build.keep = True
            return failed
        print("3/5 audits", flush=True)
        reader = build.reader()
        try:
            checks = pipeline.validate(dbt, args.quarantine_warn_share)
        except pipeline.PipelineError as error:
            if not outcome.test_failures:
                raise
            checks = [pipeline.Check("audits", "error", 1, f"not run: {error}")]
        else:
            checks.append(band_shift_check(build, reader, args.max_band_shift))
        pipeline.print_checks(checks)
        if outcome.test_failures or any(c.failures and c.severity == "error" for c in checks):
            return _refuse(outcome, checks, build)
        summary = report = None
        if not args.no_summary:
            summary = pipeline.summarise(reader, args.top)
            report = pipeline.report_data(reader)
        pipeline.failpoint("audited")
        print("4/5 publication", flush=True)
        publication = build.publish(as_of.isoformat(), "pipeline.py run")
        print_publication(publication)
        if summary is not None and report is not None:
            print("5/5 summary", flush=True)
            print(summary, flush=True)
            path = pipeline.write_report(
                report, args.report or pipeline.ROOT / "warehouse" / f"report_{target}.html",
                as_of)
            print(f"\nReport: {path}", flush=True)
        print(f"\nDone in {time.monotonic() - started:.1f} s. BI tools read the views of "
              f"schema {SERVING_SCHEMA} on target {target} (fct_lead_scores, "
              "fct_lead_score_contributions, dim_leads, agg_lead_score_bands, ...; "
              f"{PUBLICATION_SCHEMA}.publications: what was published when; "
              f"{PUBLICATION_SCHEMA}.current.build_schema: the tables of this publication).")
        return pipeline.EXIT_OK

    return _guarded(body, target, "pipeline.py run", args)


def print_publication(publication: SparkPublication) -> None:
    rows = sum(table["row_count"] for table in publication.tables.values())
    print(f"  publication {publication.publication_id}: {len(publication.tables)} marts, "
          f"{rows:,} rows; views {SERVING_SCHEMA}.* -> {publication.build_schema}.*",
          flush=True)


def backfill(args: argparse.Namespace, target: str, start: date, end: date | None) -> int:
    """``pipeline.py backfill`` on a Spark target."""
    pipeline = _pipeline()

    def body(build: SparkBuild) -> int:
        last = end or build.warehouse.last_history_date(build.latest)
        if last is None:
            raise pipeline.PipelineError("no score history yet: give --to, or `run` first")
        if start > last:
            raise pipeline.PipelineError(f"--from {start} is after --to {last}")
        if build.latest is None:
            raise pipeline.PipelineError(
                f"nothing published on {target} yet: `pipeline.py run` first (a backfill "
                "leaves the current marts as they are, so they must exist)")
        print(f"Backfill of the score history, {start} to {last} "
              f"({(last - start).days + 1} days, each lead as it was on each day)", flush=True)
        # the current marts are not rebuilt by a backfill: copy them too
        copied = build.warehouse.prepare(build.build_id, build.latest, [
            (SERVING_SCHEMA, name) for name in build.latest.tables
            if name not in {table for _, table in incremental_models(
                pipeline.ROOT / "target" / "manifest.json")}])
        print(f"  {len(copied)} current marts copied into the build", flush=True)
        dbt = pipeline.Dbt(target, build.dbt_vars(args.raw_schema), args.verbose)
        outcome = pipeline.backfill_range(dbt, start, last, args.full_refresh)
        failed = outcome.report()
        if failed is not None:
            build.keep = True
            return failed
        if outcome.test_failures:
            return _refuse(outcome, [], build)
        checks = [band_shift_check(build, build.reader(), args.max_band_shift)]
        pipeline.print_checks(checks)
        if checks[0].failures:
            return _refuse(outcome, checks, build)
        print_publication(build.publish(None, "pipeline.py backfill"))
        return pipeline.EXIT_OK

    return _guarded(body, target, "pipeline.py backfill", args)


def history_rows(target: str, lead: str, scorecard: str | None
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A lead's history and band changes from the served views (``pipeline.py history``)."""
    pipeline = _pipeline()
    sql = SparkSql(target)
    try:
        if "fct_lead_score_history" not in sql.tables(SERVING_SCHEMA):
            raise pipeline.PipelineError(
                f"nothing published on {target} yet: `pipeline.py run` first")
        filters = f"where lead_id = {_literal(lead)}"
        if scorecard:
            filters += f" and scorecard_id = {_literal(scorecard)}"
        return (sql.query(pipeline.HISTORY_SQL.replace("{filters}", filters)),
                sql.query(pipeline.BAND_CHANGES_SQL.replace("{filters}", filters)))
    finally:
        sql.close()
