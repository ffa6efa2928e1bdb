"""Write-audit-publish on DuckDB: the files of a run, and how a build becomes
what BI reads (the ``duckdb`` publisher; the steps are in ``publication``).

- **write**: the last good warehouse is copied to ``<warehouse>.run/``
  (same file name) and dbt builds the copy;
- **publish**: the public marts are copied into a new serving file
  (readable by DuckDB 1.0 and later) and, as an option, Parquet files;
- **commit**: a journal names the files to move; renames swap in the new
  serving file and the new warehouse at once. A run killed after the
  journal is written is completed by the next one; before it, nothing that
  BI or the next run reads has changed.

A failed audit leaves the warehouse and the serving file as they were; the
failed build is kept in ``<warehouse>.run/failed/`` to look at.

Readers never block a build: BI tools open the serving file read-only, and
a publication renames a new file over it instead of writing into it. A
reader keeps the version it opened until it reconnects.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from scripts.lead_scoring import ROOT
from scripts.lead_scoring.dbt_client import (
    DUCKDB_PATH_ENV,
    duckdb_path,
    reading,
    release_dbt_duckdb,
)
from scripts.lead_scoring.publication import (
    Publication,
    PublicationError,
    PublicTable,
    Publisher,
    PublishSession,
    failpoint,
    register_publisher,
    run_lock,
)

# Files written with this storage version open in DuckDB 1.0 and later,
# which is what BI drivers (JDBC, ODBC, duckdb-engine on an older duckdb)
# often bundle. DuckDB 2 writes a format 1.x cannot read otherwise.
STORAGE_VERSION = "v1.0.0"
PUBLIC_SCHEMA = "marts"
PUBLICATION_SCHEMA = "publication"
# Parquet publications kept besides the current one (a reader may still be
# reading the previous one).
PARQUET_KEEP = 2
SERVING_ENV = "LEAD_SCORING_SERVING_PATH"


def wal(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")


@dataclass(frozen=True)
class Files:
    """Where a run reads and writes.

    ``warehouse`` is the DuckDB file dbt builds (the profile's path): after
    a run it holds the last good build, raw tables and history included.
    ``serving`` is what BI tools open; ``parquet`` (optional) a folder whose
    ``current`` link points at the Parquet files of the last publication.
    """

    warehouse: Path
    serving: Path
    parquet: Path | None = None

    @classmethod
    def beside(cls, warehouse: Path, serving: Path | None = None,
               parquet: Path | None = None) -> Files:
        """The default layout: ``serving/<warehouse name>`` next to the warehouse."""
        return cls(warehouse, serving or warehouse.parent / "serving" / warehouse.name, parquet)

    @property
    def work(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".run")

    @property
    def build(self) -> Path:
        # the warehouse's own file name: DuckDB names a database (the catalog
        # in every qualified name dbt writes, views included) after its file
        return self.work / self.warehouse.name

    @property
    def failed(self) -> Path:
        return self.work / "failed" / self.warehouse.name

    @property
    def journal(self) -> Path:
        return self.work / "commit.json"

    @property
    def lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @property
    def serving_new(self) -> Path:
        # beside its destination, so that the rename stays on one file system
        return self.serving.with_name(f".{self.serving.name}.new")

    def parquet_new(self, publication_id: int) -> Path:
        assert self.parquet is not None
        return self.parquet / f".{publication_id}.new"

    def unfinished(self) -> list[Path]:
        """What a run writes before its commit (removed when it did not commit)."""
        paths = [self.build, wal(self.build), self.build.with_name(self.build.name + ".tmp"),
                 self.serving_new, wal(self.serving_new)]
        if self.parquet is not None and self.parquet.is_dir():
            paths += sorted(self.parquet.glob(".*.new"))
        return [path for path in paths if path.exists()]


# ------------------------------------------------------- recover, prepare


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover(files: Files) -> list[str]:
    """Finish a committed publication or discard an unfinished build; say which."""
    messages = []
    if files.journal.exists():
        journal = json.loads(files.journal.read_text(encoding="utf-8"))
        _roll_forward(files, journal)
        messages.append(f"completed publication {journal['publication_id']}, which an "
                        "interrupted run had committed")
    leftovers = files.unfinished()
    for path in leftovers:
        _remove(path)
    if leftovers:
        messages.append("discarded the unfinished build of an interrupted run "
                        f"({', '.join(path.name for path in leftovers)})")
    return messages


def prepare_build(files: Files) -> duckdb.DuckDBPyConnection | None:
    """Copy the last good warehouse to the build file, to build there.

    Returns a read-only connection to the warehouse that the caller keeps
    open until the commit: while it is open no other process can write the
    warehouse (a `dbt build` of it fails with DuckDB's lock error) and so
    nothing written there is lost by the commit. None on a first run.
    """
    files.work.mkdir(parents=True, exist_ok=True)
    if not files.warehouse.exists():
        return None
    try:
        holder = duckdb.connect(str(files.warehouse), read_only=True)
    except duckdb.Error as error:
        raise PublicationError(
            f"{files.warehouse} is being written by another process, so it cannot be "
            f"copied to build from: {str(error).splitlines()[0]} (only pipeline.py should "
            "write the warehouse while it runs; BI tools read the serving file)"
        ) from error
    shutil.copyfile(files.warehouse, files.build)
    if wal(files.warehouse).exists():
        # changes not yet checkpointed: the copy replays them when it opens
        shutil.copyfile(wal(files.warehouse), wal(files.build))
    return holder


def discard_build(files: Files, keep: bool) -> Path | None:
    """Drop the uncommitted files; with ``keep``, the build stays in ``failed/``."""
    kept = None
    if keep and files.build.exists():
        _remove(files.failed)
        _remove(wal(files.failed))
        files.failed.parent.mkdir(exist_ok=True)
        os.replace(files.build, files.failed)
        if wal(files.build).exists():
            os.replace(wal(files.build), wal(files.failed))
        kept = files.failed
    for path in files.unfinished():
        _remove(path)
    return kept


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
    data_columns = [column for column in columns if column not in table.run_time_columns]

    def row_hash(names: list[str]) -> str:
        # the leading constant: DuckDB hashes 0 to 0, which a sum would not see
        return f"hash('row', {', '.join(_ident(name) for name in names)})" if names else "0"

    rows, full, data = con.execute(
        f"select count(*), coalesce(sum({row_hash(columns)}), 0), "
        f"coalesce(sum({row_hash(data_columns)}), 0) "
        f"from {catalog}.{PUBLIC_SCHEMA}.{_ident(table.name)}").fetchone()
    mask = (1 << 64) - 1
    return {"row_count": int(rows), "checksum": f"{int(full) & mask:016x}",
            "data_checksum": f"{int(data) & mask:016x}",
            "run_time_columns": ",".join(table.run_time_columns)}


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
    sql = f"select * from {PUBLIC_SCHEMA}.{_ident(table)}"
    if where:
        sql += " where " + " and ".join(f"{_ident(column)} = ?" for column in where)
    if order_by:
        sql += " order by " + ", ".join(_ident(column) for column in order_by)
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
    publication_id = (previous.publication_id + 1) if previous else 1
    if score_as_of is None and previous is not None:
        # a backfill leaves the current marts, and their as-of date, as they were
        score_as_of = previous.score_as_of
    published_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    for path in (files.serving_new, wal(files.serving_new)):
        _remove(path)
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
    _fsync(files.serving_new)
    return Publication(publication_id, published_at, score_as_of, checksums)


def _write_parquet(con: duckdb.DuckDBPyConnection, folder: Path, tables: list[PublicTable],
                   manifest: dict[str, Any]) -> None:
    _remove(folder)
    folder.mkdir(parents=True)
    for table in tables:
        target = folder / f"{table.name}.parquet"
        con.execute(f"copy serving.{PUBLIC_SCHEMA}.{_ident(table.name)} to {_literal(target)} "
                    "(format parquet)")
    (folder / "_publication.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                              encoding="utf-8")


# ----------------------------------------------------------------- commit


def commit(files: Files, publication: Publication,
           holder: duckdb.DuckDBPyConnection | None) -> None:
    """Swap in the new serving file, warehouse (and Parquet), all or nothing.

    The journal is written first: from then on the publication counts as
    made, and a run killed half-way through the renames is completed by
    ``recover`` at the start of the next run.
    """
    moves = [[str(files.serving_new), str(files.serving)], [str(files.build),
                                                             str(files.warehouse)]]
    link = None
    if files.parquet is not None:
        moves.append([str(files.parquet_new(publication.publication_id)),
                      str(files.parquet / str(publication.publication_id))])
        link = str(publication.publication_id)
    journal = {"publication_id": publication.publication_id, "moves": moves,
               "parquet_current": link}
    pending = files.journal.with_name(files.journal.name + ".tmp")
    pending.write_text(json.dumps(journal, indent=2), encoding="utf-8")
    _fsync(pending)
    os.replace(pending, files.journal)
    _fsync(files.work)
    failpoint("commit:journal")
    if holder is not None:
        holder.close()
    _roll_forward(files, journal)


def _roll_forward(files: Files, journal: dict[str, Any]) -> None:
    """Do the journal's renames that are not done yet (each is idempotent)."""
    for number, (source, target) in enumerate(journal["moves"], start=1):
        source_path, target_path = Path(source), Path(target)
        if source_path.exists():
            # the old file's log must not be replayed into the new file
            _remove(wal(target_path))
            target_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source_path, target_path)
            _fsync(target_path.parent)
        failpoint(f"commit:{number}")
    if journal.get("parquet_current") and files.parquet is not None:
        current = files.parquet / "current"
        pending = files.parquet / ".current.new"
        _remove(pending)
        pending.symlink_to(journal["parquet_current"])
        os.replace(pending, current)
        _prune_parquet(files.parquet, int(journal["parquet_current"]))
    files.journal.unlink()
    _fsync(files.work)


def _prune_parquet(folder: Path, current: int) -> None:
    kept = sorted((int(path.name) for path in folder.iterdir()
                   if path.is_dir() and path.name.isdigit() and int(path.name) <= current),
                  reverse=True)
    for old in kept[PARQUET_KEEP:]:
        shutil.rmtree(folder / str(old))


# -------------------------------------------------------------- publisher


class DuckDBSession(PublishSession):
    """The run's copy of the warehouse: dbt builds it, the audits read it, and it
    replaces the warehouse only when its publication commits.

    Entered under the warehouse lock: finishes or discards what a killed run
    left and copies the warehouse. Left without a commit, the copy is
    dropped; with ``keep`` it stays in ``<warehouse>.run/failed/``.
    """

    def __init__(self, files: Files, release: Any) -> None:
        self.files = files
        self.release = release  # lets go of dbt's connection to the build
        self.holder: duckdb.DuckDBPyConnection | None = None
        self.committed = False
        self.keep = False

    @property
    def dbt_env(self) -> dict[str, str]:
        return {DUCKDB_PATH_ENV: str(self.files.build)}

    def reader(self) -> AbstractContextManager[Any]:
        return reading(self.files.build)

    def last_publication(self) -> Publication | None:
        return read_publication(self.files.serving)

    def published_rows(self, table: str) -> list[dict[str, Any]]:
        return read_published(self.files.serving, table) or []

    def open(self) -> DuckDBSession:
        for message in recover(self.files):
            print(f"  {message}", flush=True)
        self.holder = prepare_build(self.files)
        failpoint("copied")
        return self

    def close(self) -> None:
        self.release()
        if self.committed:
            return
        if self.holder is not None:
            self.holder.close()
        kept = discard_build(self.files, keep=self.keep)
        if kept is not None:
            print(f"The failed build is kept to look at: {kept}", file=sys.stderr)

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
        rows = sum(table["row_count"] for table in publication.tables.values())
        lines = [f"publication {publication.publication_id}: {len(publication.tables)} marts, "
                 f"{rows:,} rows -> {self.files.serving}"]
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

    @contextmanager
    def session(self, command: str, lock_timeout: float) -> Iterator[DuckDBSession]:
        with run_lock(self.files.lock, lock_timeout, command):
            session = DuckDBSession(self.files, self.release)
            try:
                yield session.open()
            finally:
                session.close()

    def read_published(self, table: str, where: dict[str, Any],
                       order_by: tuple[str, ...]) -> list[dict[str, Any]] | None:
        return read_published(self.files.serving, table, where, order_by)


register_publisher("duckdb", DuckDBPublisher)
