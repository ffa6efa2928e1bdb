"""The publications of a Spark target, in its own catalog (the ``spark_publication``
publisher's bookkeeping): the builds' schemas, the publication log, the
switch of the serving views.

- A run builds into schemas of its own: ``lead_scoring_b<N>_seeds``,
  ``..._staging``, ``..._intermediate``, ``..._marts``, ``..._audit`` (env
  ``LEAD_SCORING_SCHEMA_PREFIX``, read by ``generate_schema_name``); N is the
  number the publication will have.
- ``publication.published_tables``: per publication and mart, its rows,
  checksums and the schema its view reads (``source_schema``: the build's,
  or, for a mart this build did not make, the one it was published from
  before).
- ``publication.publications``: one row per publication, appended after
  its tables: **the commit point**.
- ``publication.switches``: the publications whose views were all switched.
- Views ``publication.current`` (the served publication, with its
  ``build_schema``) and ``publication.tables`` (its tables).
"""

from __future__ import annotations

import re
from typing import Any

from scripts.lead_scoring.errors import PipelineError
from scripts.lead_scoring.publication import (
    Publication,
    PublicTable,
    checksum_record,
    data_columns,
    failpoint,
)
from scripts.lead_scoring.spark_sql import SparkSql

BUILD_PREFIX = "lead_scoring_b"
SERVING_SCHEMA = "marts"
PUBLICATION_SCHEMA = "publication"
# publications before the served one whose builds stay (a reader may still
# be reading them)
KEEP_PUBLICATIONS = 2
BUILD_SCHEMA = re.compile(rf"^{BUILD_PREFIX}(\d+)_(\w+)$")
NAME = re.compile(r"[A-Za-z0-9_]+")
LOG = f"{PUBLICATION_SCHEMA}.publications"
TABLES = f"{PUBLICATION_SCHEMA}.published_tables"
SWITCHES = f"{PUBLICATION_SCHEMA}.switches"


def build_prefix(build_id: int) -> str:
    return f"{BUILD_PREFIX}{build_id}_"


def plain_name(name: str) -> str:
    """A schema or table name of ours, checked before it goes into a statement."""
    if not NAME.fullmatch(name):
        raise PipelineError(f"not a plain schema or table name (letters, digits, _): "
                            f"{name!r}")
    return name


class SparkCatalog:
    """What is published on one Spark target, and the steps that change it."""

    def __init__(self, sql: SparkSql) -> None:
        self.sql = sql

    def _marks(self, count: int) -> str:
        return ", ".join([self.sql.placeholder] * count)

    # ----------------------------------------------------------- reading

    def latest(self) -> Publication | None:
        """The last committed publication (switched or not), with its tables."""
        if "publications" not in self.sql.tables(PUBLICATION_SCHEMA):
            return None
        rows = self.sql.fetch(
            f"select publication_id, cast(published_at as string) as published_at, "
            f"cast(score_as_of as string) as score_as_of from {LOG} "
            "order by publication_id desc limit 1")
        if not rows:
            return None
        row = rows[0]
        publication = Publication(int(row["publication_id"]), str(row["published_at"])[:19],
                                  row["score_as_of"])
        for table in self.sql.fetch(
                f"select table_name, row_count, checksum, data_checksum, run_time_columns, "
                f"source_schema from {TABLES} where publication_id = "
                f"{self.sql.placeholder}", [publication.publication_id]):
            publication.tables[table["table_name"]] = {
                "row_count": int(table["row_count"]), "checksum": table["checksum"],
                "data_checksum": table["data_checksum"],
                "run_time_columns": table["run_time_columns"] or "",
                "schema": table["source_schema"]}
        return publication

    def switched(self) -> int:
        if "switches" not in self.sql.tables(PUBLICATION_SCHEMA):
            return 0
        rows = self.sql.fetch(f"select max(publication_id) as n from {SWITCHES}")
        return int(rows[0]["n"] or 0)

    def builds(self) -> dict[int, list[str]]:
        """Build number -> its schemas."""
        found: dict[int, list[str]] = {}
        for schema in self.sql.schemas():
            match = BUILD_SCHEMA.match(schema)
            if match:
                found.setdefault(int(match[1]), []).append(schema)
        return found

    # ----------------------------------------------------- recover, prepare

    def drop_build(self, build_id: int) -> list[str]:
        schemas = sorted(self.builds().get(build_id, []))
        for schema in schemas:
            self.sql.execute(f"drop database if exists {plain_name(schema)} cascade")
        return schemas

    def recover(self) -> tuple[list[str], Publication | None]:
        """Finish a committed switch, drop the builds that never published; say what."""
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

    def copy_tables(self, source_prefix: str, target_prefix: str,
                    tables: list[tuple[str, str]]) -> list[str]:
        """Copy (schema without prefix, table) from one build's schemas to another's;
        the ones missing at the source are left out. Returns those copied."""
        copied = []
        present: dict[str, set[str]] = {}
        for schema, table in tables:
            source = plain_name(source_prefix + schema)
            if source not in present:
                present[source] = self.sql.tables(source)
            if plain_name(table) not in present[source]:
                continue
            self.copy_table(source, plain_name(target_prefix + schema), table)
            copied.append(f"{schema}.{table}")
        return copied

    def copy_table(self, source: str, target: str, table: str) -> None:
        """Copy ``source.table`` to ``target.table`` (partitioning kept)."""
        self.sql.execute(f"create database if not exists {plain_name(target)}")
        self.sql.execute(f"create table {target}.{plain_name(table)} like "
                         f"{plain_name(source)}.{table}")
        self.sql.execute(f"insert into {target}.{table} select * from {source}.{table}")

    # ------------------------------------------------------------ publish

    def checksums(self, schema: str, table: PublicTable) -> dict[str, Any]:
        """Rows and two order-independent checksums of a table (64-bit xxhash64 per
        row, summed): over every column, and without the run-time columns."""
        relation = f"{plain_name(schema)}.{plain_name(table.name)}"
        # dbt wrote the table from sessions of its own (an incremental run and
        # an erasure purge rewrite files): forget any file listing this
        # session holds from reading it before the build
        self.sql.execute(f"refresh table {relation}")
        columns = self.sql.columns(relation)

        def total(names: list[str]) -> str:
            hashed = f"xxhash64('row', {', '.join(f'`{n}`' for n in names)})" if names else "0"
            return f"cast(coalesce(sum(cast({hashed} as decimal(38, 0))), 0) as string)"

        row = self.sql.fetch(f"select count(*) as n, {total(columns)} as full_sum, "
                             f"{total(data_columns(table, columns))} as data_sum "
                             f"from {relation}")[0]
        return {**checksum_record(table, row["n"], row["full_sum"], row["data_sum"]),
                "schema": schema}

    def _ensure_log(self) -> None:
        for schema in (SERVING_SCHEMA, PUBLICATION_SCHEMA):
            self.sql.execute(f"create database if not exists {schema}")
        self.sql.execute(
            f"create table if not exists {LOG} (publication_id int, published_at timestamp, "
            "score_as_of date, command string, table_count int, row_count bigint, "
            "build_schema string) using parquet")
        self.sql.execute(
            f"create table if not exists {TABLES} (publication_id int, table_name string, "
            "row_count bigint, checksum string, data_checksum string, "
            "run_time_columns string, source_schema string) using parquet")
        self.sql.execute(f"create table if not exists {SWITCHES} (publication_id int, "
                         "switched_at timestamp) using parquet")

    def commit(self, publication: Publication, build_schema: str, command: str) -> None:
        """Record the publication's tables, then the publication itself: from that
        row on it counts as made (the next run finishes its switch)."""
        self._ensure_log()
        rows = [[publication.publication_id, name, value["row_count"], value["checksum"],
                 value["data_checksum"], value["run_time_columns"], value["schema"]]
                for name, value in sorted(publication.tables.items())]
        self.sql.fetch(f"insert into {TABLES} values "
                       + ", ".join(f"({self._marks(7)})" for _ in rows),
                       [value for row in rows for value in row])
        self.sql.fetch(
            f"insert into {LOG} values ({self.sql.placeholder}, cast({self.sql.placeholder} "
            f"as timestamp), cast({self.sql.placeholder} as date), {self._marks(4)})",
            [publication.publication_id, publication.published_at, publication.score_as_of,
             command, len(rows), sum(value["row_count"] for value in
                                     publication.tables.values()), build_schema])
        failpoint("commit:journal")

    def switch(self, publication: Publication) -> None:
        """Point every view of schema marts at the publication's tables, then record
        the switch and drop the builds no publication kept still reads."""
        views = self.sql.views(SERVING_SCHEMA)
        tables = self.sql.tables(SERVING_SCHEMA) - views
        for number, (name, table) in enumerate(sorted(publication.tables.items()), start=1):
            if name in tables:
                # a table of schema marts that a plain `dbt build` made: the
                # pipeline serves views there (docs/spark.md)
                self.sql.execute(f"drop table {SERVING_SCHEMA}.{plain_name(name)}")
            self.sql.execute(f"create or replace view {SERVING_SCHEMA}.{plain_name(name)} as "
                             f"select * from {plain_name(table['schema'])}.{plain_name(name)}")
            failpoint(f"commit:{number}")
        for stale in sorted(views - set(publication.tables)):
            self.sql.execute(f"drop view if exists {SERVING_SCHEMA}.{plain_name(stale)}")
        self.sql.execute(f"create or replace view {PUBLICATION_SCHEMA}.current as "
                         f"select * from {LOG} where publication_id = "
                         f"{int(publication.publication_id)}")
        self.sql.execute(f"create or replace view {PUBLICATION_SCHEMA}.tables as "
                         "select table_name, row_count, checksum, data_checksum, "
                         f"run_time_columns, source_schema from {TABLES} "
                         f"where publication_id = {int(publication.publication_id)}")
        self.sql.fetch(f"insert into {SWITCHES} values ({self.sql.placeholder}, "
                       "current_timestamp())", [publication.publication_id])
        self.prune(publication.publication_id)

    def prune(self, served: int) -> list[int]:
        """Drop the builds before ``served`` that neither it nor the
        KEEP_PUBLICATIONS before it read from; returns their numbers."""
        first_kept = served - KEEP_PUBLICATIONS
        read = {BUILD_SCHEMA.match(row["source_schema"]) for row in self.sql.fetch(
            f"select distinct source_schema from {TABLES} where publication_id >= "
            f"{self.sql.placeholder}", [first_kept])}
        kept = {int(match[1]) for match in read if match}
        dropped = [build_id for build_id in sorted(self.builds())
                   if build_id < first_kept and build_id not in kept]
        for build_id in dropped:
            self.drop_build(build_id)
        return dropped
