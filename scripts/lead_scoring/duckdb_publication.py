"""Write-audit-publish on DuckDB: how a build becomes what BI reads (the
``duckdb`` publisher; the steps are in ``publication``, the files and their
commit in ``duckdb_files``).

- **write**: the last good warehouse is copied to ``<warehouse>.run/``
  (same file name) and dbt builds the copy;
- **publish**: the public marts are copied into a new serving file
  (readable by DuckDB 1.0 and later) and, as an option, Parquet files;
- **commit**: renames swap in the new serving file and the new warehouse at
  once, behind a journal that the next run completes after a kill.

A failed audit leaves the warehouse and the serving file as they were; the
failed build is kept in ``<warehouse>.run/failed/`` to look at.

Readers never block a build: BI tools open the serving file read-only, and
a publication renames a new file over it instead of writing into it. A
reader keeps the version it opened until it reconnects.
"""

from __future__ import annotations

import json
import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb

from scripts.lead_scoring import ROOT
from scripts.lead_scoring.dbt_client import (
    DUCKDB_PATH_ENV,
    duckdb_path,
    reading,
    release_dbt_duckdb,
    select_sql,
)
from scripts.lead_scoring.duckdb_files import (
    Files,
    commit,
    discard_build,
    fsync_path,
    prepare_build,
    recover,
    remove_path,
    wal,
)
from scripts.lead_scoring.publication import (
    Publication,
    PublicationError,
    PublicTable,
    Publisher,
    PublishSession,
    checksum_record,
    data_columns,
    failpoint,
    next_publication,
    publication_line,
    register_publisher,
)
from scripts.lead_scoring.raw import DuckDBRawStore

# Files written with this storage version open in DuckDB 1.0 and later,
# which is what BI drivers (JDBC, ODBC, duckdb-engine on an older duckdb)
# often bundle. DuckDB 2 writes a format 1.x cannot read otherwise.
STORAGE_VERSION = "v1.0.0"
PUBLIC_SCHEMA = "marts"
PUBLICATION_SCHEMA = "publication"
SERVING_ENV = "LEAD_SCORING_SERVING_PATH"

__all__ = ["Files", "commit", "prepare_build", "recover", "read_publication",
           "read_published", "table_checksums", "write_publication", "DuckDBPublisher"]


# ---------------------------------------------------------------- publish


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def table_checksums(con: duckdb.DuckDBPyConnection, catalog: str, table: PublicTable
                    ) -> dict[str, Any]:
    """Rows and two order-independent checksums of a table (64-bit row hashes summed):
    ``checksum`` over every column, ``data_checksum`` without the run-time columns."""
    columns = [row[0] for row in con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position", [catalog, PUBLIC_SCHEMA, table.name]).fetchall()]
    if not columns:
        raise PublicationError(f"{catalog}.{PUBLIC_SCHEMA}.{table.name} does not exist")
    data = data_columns(table, columns)

    def row_hash(names: list[str]) -> str:
        # the leading constant: DuckDB hashes 0 to 0, which a sum would not see
        return f"hash('row', {', '.join(_ident(name) for name in names)})" if names else "0"

    rows, full, data_sum = con.execute(
        f"select count(*), coalesce(sum({row_hash(columns)}), 0), "
        f"coalesce(sum({row_hash(data)}), 0) "
        f"from {catalog}.{PUBLIC_SCHEMA}.{_ident(table.name)}").fetchone()
    return checksum_record(table, rows, full, data_sum)


def read_publication(serving: Path) -> Publication | None:
    """The publication a serving file holds (read-only; BI readers do not mind)."""
    if not serving.exists():
        return None
    try:
        con = duckdb.connect(str(serving), read_only=True)
    except duckdb.Error as error:
        raise PublicationError(f"{serving}: cannot be read: {str(error).splitlines()[0]}"
                               ) from error
    try:
        latest = con.execute(
            f"select publication_id, strftime(published_at, '%Y-%m-%d %H:%M:%S'), "
            f"cast(score_as_of as varchar) from {PUBLICATION_SCHEMA}.publications "
            "order by publication_id desc limit 1").fetchone()
        tables = {
            row[0]: {"row_count": row[1], "checksum": row[2], "data_checksum": row[3],
                     "run_time_columns": row[4]}
            for row in con.execute(
                f"select table_name, row_count, checksum, data_checksum, run_time_columns "
                f"from {PUBLICATION_SCHEMA}.tables").fetchall()
        }
    except duckdb.Error as error:
        raise PublicationError(
            f"{serving}: not a serving file of this project ({str(error).splitlines()[0]}); "
            "move it away or pass --serving"
        ) from error
    finally:
        con.close()
    if latest is None:
        return None
    return Publication(int(latest[0]), latest[1], latest[2], tables)


def read_published(serving: Path, table: str, where: dict[str, Any] | None = None,
                   order_by: tuple[str, ...] = ()) -> list[dict[str, Any]] | None:
    """Rows of one published table (None when nothing is published), read-only."""
    if not serving.exists():
        return None
    sql = select_sql(f"{PUBLIC_SCHEMA}.{_ident(table)}", where, order_by)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        cursor = con.execute(sql, list((where or {}).values()))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def write_publication(files: Files, build: Path, tables: list[PublicTable],
                      previous: Publication | None, score_as_of: str | None,
                      command: str) -> Publication:
    """Write the new serving file (and Parquet files) from the build; nothing is swapped yet.

    ``score_as_of`` None keeps the last publication's (a backfill).
    """
    publication = next_publication(previous, score_as_of)
    publication_id, published_at = publication.publication_id, publication.published_at
    score_as_of = publication.score_as_of
    for path in (files.serving_new, wal(files.serving_new)):
        remove_path(path)
    files.serving_new.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach {_literal(build)} as build (read_only)")
        con.execute(f"attach {_literal(files.serving_new)} as serving "
                    f"(storage_version '{STORAGE_VERSION}')")
        con.execute(f"create schema serving.{PUBLIC_SCHEMA}")
        con.execute(f"create schema serving.{PUBLICATION_SCHEMA}")
        for number, table in enumerate(tables, start=1):
            try:
                con.execute(f"create table serving.{PUBLIC_SCHEMA}.{_ident(table.name)} as "
                            f"select * from build.{PUBLIC_SCHEMA}.{_ident(table.name)}")
            except duckdb.CatalogException as error:
                raise PublicationError(
                    f"{build}: mart {PUBLIC_SCHEMA}.{table.name} was never built; "
                    "build the whole project once before publishing"
                ) from error
            failpoint(f"publish:{number}")
        checksums = {table.name: table_checksums(con, "serving", table) for table in tables}
        con.execute(
            f"create table serving.{PUBLICATION_SCHEMA}.tables (table_name varchar, "
            "row_count bigint, checksum varchar, data_checksum varchar, "
            "run_time_columns varchar)")
        con.executemany(
            f"insert into serving.{PUBLICATION_SCHEMA}.tables values (?, ?, ?, ?, ?)",
            [[name, value["row_count"], value["checksum"], value["data_checksum"],
              value["run_time_columns"]] for name, value in checksums.items()])
        con.execute(
            f"create table serving.{PUBLICATION_SCHEMA}.publications (publication_id integer, "
            "published_at timestamp, score_as_of date, command varchar, "
            "table_count integer, row_count bigint)")
        if previous is not None:
            # the publications so far, carried from the file being replaced
            con.execute(f"attach {_literal(files.serving)} as previous (read_only)")
            con.execute(f"insert into serving.{PUBLICATION_SCHEMA}.publications "
                        f"select * from previous.{PUBLICATION_SCHEMA}.publications")
            con.execute("detach previous")
        con.execute(
            f"insert into serving.{PUBLICATION_SCHEMA}.publications values (?, ?, ?, ?, ?, ?)",
            [publication_id, published_at, score_as_of, command, len(tables),
             sum(value["row_count"] for value in checksums.values())])
        if files.parquet is not None:
            _write_parquet(con, files.parquet_new(publication_id), tables, {
                "publication_id": publication_id, "published_at": published_at,
                "score_as_of": score_as_of, "tables": checksums,
            })
        con.execute("detach serving")
    finally:
        con.close()
    fsync_path(files.serving_new)
    publication.tables = checksums
    return publication


def _write_parquet(con: duckdb.DuckDBPyConnection, folder: Path, tables: list[PublicTable],
                   manifest: dict[str, Any]) -> None:
    remove_path(folder)
    folder.mkdir(parents=True)
    for table in tables:
        target = folder / f"{table.name}.parquet"
        con.execute(f"copy serving.{PUBLIC_SCHEMA}.{_ident(table.name)} to {_literal(target)} "
                    "(format parquet)")
    (folder / "_publication.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                              encoding="utf-8")


# -------------------------------------------------------------- publisher


class DuckDBSession(PublishSession):
    """The run's copy of the warehouse: dbt builds it, the audits read it, and it
    replaces the warehouse only when its publication commits.

    Opened under the warehouse lock: finishes or discards what a killed run
    left and copies the warehouse. Left without a commit, the copy is
    dropped; with ``keep`` it stays in ``<warehouse>.run/failed/``.
    """

    def __init__(self, files: Files, release: Any) -> None:
        self.files = files
        self.release = release  # lets go of dbt's connection to the build
        self.holder: duckdb.DuckDBPyConnection | None = None

    @property
    def dbt_env(self) -> dict[str, str]:
        return {DUCKDB_PATH_ENV: str(self.files.build)}

    def raw_store(self) -> DuckDBRawStore:
        return DuckDBRawStore(self.files.build, self.files.warehouse)

    def reader(self) -> AbstractContextManager[Any]:
        return reading(self.files.build)

    def last_publication(self) -> Publication | None:
        return read_publication(self.files.serving)

    def published_rows(self, table: str) -> list[dict[str, Any]]:
        return read_published(self.files.serving, table) or []

    def recover(self) -> list[str]:
        return recover(self.files)

    def prepare(self) -> None:
        self.holder = prepare_build(self.files)

    def discard(self) -> str | None:
        self.release()
        if self.holder is not None:
            self.holder.close()
        kept = discard_build(self.files, keep=self.keep)
        return None if kept is None else str(kept)

    def disconnect(self) -> None:
        self.release()

    def publish(self, tables: list[PublicTable], score_as_of: str | None,
                command: str) -> Publication:
        """Copy the marts to a new serving file, then swap it and the warehouse in."""
        self.release()
        previous = read_publication(self.files.serving)
        publication = write_publication(self.files, self.files.build, tables, previous,
                                        score_as_of, command)
        commit(self.files, publication, self.holder)
        self.holder = None
        self.committed = True
        return publication

    def describe(self, publication: Publication) -> list[str]:
        lines = [publication_line(publication, str(self.files.serving))]
        if self.files.parquet is not None:
            lines.append(f"Parquet: {self.files.parquet / 'current'} -> "
                         f"{publication.publication_id}/")
        return lines

    def where_bi_reads(self) -> str:
        return str(self.files.serving)


class DuckDBPublisher(Publisher):
    """Publishes a DuckDB build as a serving file (and Parquet files)."""

    def __init__(self, args: Any) -> None:
        serving = getattr(args, "serving", None)
        if serving is None and os.environ.get(SERVING_ENV):
            serving = Path(os.environ[SERVING_ENV])
            serving = serving if serving.is_absolute() else ROOT / serving
        parquet = getattr(args, "parquet", None)
        self.files = Files.beside(duckdb_path(), serving.resolve() if serving else None,
                                  parquet.resolve() if parquet else None)
        self.release = release_dbt_duckdb
        self.lock_path = self.files.lock
        self.report_path = self.files.warehouse.parent / "report.html"

    def new_session(self) -> DuckDBSession:
        return DuckDBSession(self.files, self.release)

    def read_published(self, table: str, where: dict[str, Any],
                       order_by: tuple[str, ...]) -> list[dict[str, Any]] | None:
        return read_published(self.files.serving, table, where, order_by)


register_publisher("duckdb", DuckDBPublisher)
