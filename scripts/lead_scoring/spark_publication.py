"""Write-audit-publish on Spark (the ``spark`` publisher: targets ``spark`` and
``spark_cluster``; the steps are in ``publication``, the catalog's side in
``spark_catalog``).

Spark has no database file to copy and rename, and without Delta no
transactions. The Spark way, per run:

1. **lock**: an ``flock`` on ``warehouse/<target>.lock`` of the machine that
   runs the pipeline, as on DuckDB;
2. **recover**: a publication that a killed run committed but did not
   finish switching is switched now; the schemas of builds that never
   published (killed, failed) are dropped;
3. **write**: the run builds into schemas of its own,
   ``lead_scoring_b<N>_staging``, ``..._marts``, ... The incremental models'
   tables (event staging, score history, trigger and sync logs: the state a
   daily run adds to) are first copied from the served build, so the run
   is incremental and a failed run leaves that state untouched. The raw
   schema is shared, not copied;
4. **audit**: dbt's tests (the audits among them) read the build;
5. **publish**: rows and checksums of every public mart are recorded, one
   row appended to ``publication.publications`` is the **commit point**,
   then every view of the serving schema ``marts`` is re-pointed at the
   build (``create or replace view``). A mart the build did not make (a
   backfill, a narrower ``--select``) keeps the table it was published
   from. The builds of the two publications before stay (readers may still
   read them); older ones are dropped.

What a reader sees: each view replacement is one metastore call, so a query
sees a view's old or its new definition, never a half-built table. The
switch of the whole schema is *not* one step: while it runs (a second or
two), a query joining two marts may read one from publication N and one
from N+1. Readers that need every mart of one publication read
``publication.current.build_schema`` and query that schema, whose tables
never change once published.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scripts.lead_scoring import ROOT
from scripts.lead_scoring.dbt_client import (
    MANIFEST,
    BuildReader,
    Dbt,
    incremental_models,
    scoped_env,
    select_sql,
)
from scripts.lead_scoring.errors import MissingRelation, PipelineError
from scripts.lead_scoring.publication import (
    Publication,
    PublicationError,
    PublicTable,
    Publisher,
    PublishSession,
    failpoint,
    next_publication,
    publication_line,
    register_publisher,
)
from scripts.lead_scoring.spark_catalog import (
    PUBLICATION_SCHEMA,
    SERVING_SCHEMA,
    SparkCatalog,
    build_prefix,
    plain_name,
)
from scripts.lead_scoring.spark_sql import SparkSql

SCHEMA_PREFIX_ENV = "LEAD_SCORING_SCHEMA_PREFIX"
TARGET_ENV = "LEAD_SCORING_TARGET"


class SparkRawStore:
    """The raw schema of a Spark target, loaded through dbt (the
    ``load_raw_parquet`` macro: the target's own session or cluster reads the
    files) and counted on the orchestrator's connection."""

    def __init__(self, sql: SparkSql, verbose: bool) -> None:
        self.sql = sql
        self.verbose = verbose
        self.where = f"target {sql.target}"
        self.demo_root = ROOT / "warehouse" / "demo"

    def counts(self, schema: str, include_crm: bool = False) -> dict[str, int | None]:
        from scripts.load_raw import ALL_TABLES, RAW_TABLES

        present = self.sql.tables(plain_name(schema))
        return {table: (int(self.sql.fetch(f"select count(*) as n from {schema}.{table}")
                            [0]["n"]) if table in present else None)
                for table in (ALL_TABLES if include_crm else RAW_TABLES)}

    def load(self, folder: Path, schema: str) -> dict[str, int]:
        from scripts.load_raw import RawDataError, load_raw_spark

        dbt = Dbt(self.sql.target, {"raw_schema": schema}, self.verbose)

        def run_dbt(*command: str) -> None:
            result = dbt.invoke(list(command))
            if not result.success:
                raise RawDataError(f"dbt {command[0]} failed on target {self.sql.target}: "
                                   f"{result.result}")

        return load_raw_spark(folder, run_dbt)


class SparkRun(PublishSession):
    """A run's build on a Spark target: its schemas, audited, then published as
    the views of schema marts (or dropped by the next run)."""

    builds_from_scratch = True

    def __init__(self, target: str, verbose: bool) -> None:
        self.target = target
        self.verbose = verbose
        self.sql: SparkSql | None = None
        self.latest: Publication | None = None
        self.build_id = 0

    @property
    def connection(self) -> SparkSql:
        if self.sql is None:
            raise PublicationError("the Spark session is not open")
        return self.sql

    @property
    def catalog(self) -> SparkCatalog:
        return SparkCatalog(self.connection)

    @property
    def prefix(self) -> str:
        return build_prefix(self.build_id)

    @property
    def dbt_env(self) -> dict[str, str]:
        return {SCHEMA_PREFIX_ENV: self.prefix}

    def recover(self) -> list[str]:
        self.sql = SparkSql(self.target)
        messages, self.latest = self.catalog.recover()
        self.build_id = (self.latest.publication_id if self.latest else 0) + 1
        return messages

    def prepare(self) -> None:
        """Parse the project for this build's schemas, then copy the served build's
        incremental tables into them."""
        with scoped_env(self.dbt_env):
            Dbt(self.target, {}, self.verbose).invoke(["parse"])
        where = f"schemas {self.prefix}*"
        if self.latest is None:
            print(f"  build {self.build_id} in {where} (nothing published before)", flush=True)
            return
        tables = [(schema.removeprefix(self.prefix), name)
                  for schema, name in incremental_models(MANIFEST)]
        copied = self.catalog.copy_tables(build_prefix(self.latest.publication_id),
                                          self.prefix, tables)
        print(f"  build {self.build_id} in {where}, from publication "
              f"{self.latest.publication_id} ({', '.join(copied) or 'nothing'} copied)",
              flush=True)

    def keep_from_last(self, tables: list[str]) -> list[str]:
        marts = self.prefix + SERVING_SCHEMA
        present = self.connection.tables(marts)
        kept = []
        for name in tables:
            if self.latest is None or name not in self.latest.tables or name in present:
                continue
            self.catalog.copy_table(self.latest.tables[name]["schema"], marts, name)
            kept.append(name)
        return kept

    def discard(self) -> str | None:
        if self.sql is None or not self.build_id:
            return None
        if self.keep:
            return f"schemas {self.prefix}* on target {self.target} (the next run drops them)"
        try:
            self.catalog.drop_build(self.build_id)
        except PipelineError:
            pass  # the next run drops what is left
        return None

    def disconnect(self) -> None:
        if self.sql is not None:
            self.sql.close()

    def raw_store(self) -> SparkRawStore:
        return SparkRawStore(self.connection, self.verbose)

    @contextmanager
    def reader(self) -> Iterator[BuildReader]:
        yield BuildReader(self.connection)

    def last_publication(self) -> Publication | None:
        return self.latest

    def published_rows(self, table: str) -> list[dict[str, Any]]:
        return read_served(self.connection, table) or []

    def publish(self, tables: list[PublicTable], score_as_of: str | None,
                command: str) -> Publication:
        """Record, commit and switch to the build's marts (module docstring)."""
        previous = self.latest
        publication = next_publication(previous, score_as_of)
        if publication.publication_id != self.build_id:
            raise PublicationError(f"build {self.build_id} cannot become publication "
                                   f"{publication.publication_id}")
        marts = self.prefix + SERVING_SCHEMA
        built = self.connection.tables(marts)
        for number, table in enumerate(tables, start=1):
            if table.name in built:
                publication.tables[table.name] = self.catalog.checksums(marts, table)
            elif previous is not None and table.name in previous.tables:
                # not rebuilt by this run: served on from where it was
                publication.tables[table.name] = dict(previous.tables[table.name])
            else:
                raise PublicationError(
                    f"target {self.target}: mart {table.name} was never built; build "
                    "the whole project once before publishing")
            failpoint(f"publish:{number}")
        self.catalog.commit(publication, marts, command)
        self.catalog.switch(publication)
        self.latest = publication
        self.committed = True
        return publication

    def describe(self, publication: Publication) -> list[str]:
        marts = self.prefix + SERVING_SCHEMA
        lines = [publication_line(publication, f"views {SERVING_SCHEMA}.* on target "
                                               f"{self.target}, tables in {marts}")]
        carried = sorted(name for name, table in publication.tables.items()
                         if table["schema"] != marts)
        if carried:
            lines.append(f"{len(carried)} marts not rebuilt by this run, served on from "
                         f"earlier builds: {', '.join(carried)}")
        return lines

    def where_bi_reads(self) -> str:
        return f"schema {SERVING_SCHEMA} on target {self.target}"


def read_served(sql: SparkSql, table: str, where: dict[str, Any] | None = None,
                order_by: tuple[str, ...] = ()) -> list[dict[str, Any]] | None:
    """Rows of a served view (None when nothing is published), read directly."""
    if "publications" not in sql.tables(PUBLICATION_SCHEMA):
        return None
    try:
        return sql.fetch(select_sql(f"{SERVING_SCHEMA}.{table}", where, order_by,
                                    placeholder=sql.placeholder),
                         list((where or {}).values()))
    except MissingRelation:
        return []


class SparkPublisher(Publisher):
    """Publishes a Spark build as the views of schema marts."""

    def __init__(self, args: Any) -> None:
        self.target = getattr(args, "target", None) or os.environ.get(TARGET_ENV, "duckdb")
        for option in ("serving", "parquet"):
            if getattr(args, option, None) is not None:
                raise PublicationError(
                    f"--{option} is for the DuckDB target; on {self.target} BI reads the "
                    f"views of schema {SERVING_SCHEMA} (docs/spark.md)")
        self.verbose = bool(getattr(args, "verbose", False))
        self.lock_path = ROOT / "warehouse" / f"{self.target}.lock"
        self.report_path = ROOT / "warehouse" / f"report_{self.target}.html"

    def new_session(self) -> SparkRun:
        return SparkRun(self.target, self.verbose)

    def read_published(self, table: str, where: dict[str, Any],
                       order_by: tuple[str, ...]) -> list[dict[str, Any]] | None:
        sql = SparkSql(self.target)
        try:
            return read_served(sql, table, where, order_by)
        finally:
            sql.close()


register_publisher("spark", SparkPublisher)
