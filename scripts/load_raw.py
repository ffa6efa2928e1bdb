"""Load raw tables (SCORING_SPEC section 1, docs/crm_contract.md) into a DuckDB warehouse.

The scoring contract reads three raw tables, ``leads``, ``lead_attributes``
and ``events``, from schema ``raw`` (or the var ``raw_schema``); the CRM
contract adds five optional ones, ``opportunities``, ``sales_activities``,
``campaigns``, ``consents`` and ``erasure_requests``. This module checks
whether they are there and loads them from a folder of Parquet or CSV files
named after the tables (``leads.parquet`` or ``leads.csv``, ...).

The three lead tables are required. A CRM table is loaded when its file is in
the folder; without a file it is not loaded, and a table of that name left in
the schema by an earlier load is dropped, so that the schema always holds what
the folder holds (stale CRM rows never meet new leads). Everything is loaded in
one transaction: if one file cannot be loaded, the schema stays as it was.

By default every column is loaded as text, exactly as a CRM CSV export
delivers it: staging parses and quarantines what does not parse, so nothing
is lost on the way in. ``typed=True`` lets DuckDB infer column types instead
(the contract accepts both).

    python scripts/load_raw.py --from DIR [--database FILE] [--schema raw] [--typed]
    python scripts/load_raw.py --from DIR --target spark   # Spark: see load_raw_spark
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import yaml

SOURCES_YAML = Path(__file__).resolve().parent.parent / "models/staging/crm/_crm__sources.yml"


def raw_register(path: Path = SOURCES_YAML) -> list[dict[str, Any]]:
    """The raw tables as the sources YAML declares them (source ``crm``; each
    table's ``config.meta`` says whether the scoring contract requires it),
    in the YAML's order: the one register dbt's models read too
    (macros/sources/raw_table_register.sql)."""
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    crm = next(source for source in sources if source["name"] == "crm")
    return [
        {"name": table["name"],
         "required": bool(((table.get("config") or {}).get("meta") or {}).get("required")),
         "columns": [column["name"] for column in table.get("columns") or []]}
        for table in crm["tables"]
    ]


# Required: the lead tables of the scoring contract.
RAW_TABLES = tuple(table["name"] for table in raw_register() if table["required"])
# Optional: the CRM tables of docs/crm_contract.md.
CRM_TABLES = tuple(table["name"] for table in raw_register() if not table["required"])
ALL_TABLES = RAW_TABLES + CRM_TABLES
SUFFIXES = (".parquet", ".csv")  # in order of preference
DEFAULT_DATABASE = Path("warehouse/lead_scoring.duckdb")


class RawDataError(Exception):
    """Raw files or tables that cannot be loaded, with what and where."""


def _base_tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE'",
            [schema],
        ).fetchall()
    }


def raw_row_counts(
    database: Path, schema: str = "raw", include_crm: bool = False
) -> dict[str, int | None]:
    """Rows per raw table; None for a table that does not exist.

    By default only the three required lead tables (RAW_TABLES), so that
    "every table present" keeps meaning "the required ones are there";
    ``include_crm=True`` adds the optional CRM tables (CRM_TABLES).
    """
    tables = ALL_TABLES if include_crm else RAW_TABLES
    if not database.exists():
        return {table: None for table in tables}
    with duckdb.connect(str(database), read_only=True) as con:
        existing = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ?",
                [schema],
            ).fetchall()
        }
        counts: dict[str, int | None] = {}
        for table in tables:
            if table in existing:
                counts[table] = con.execute(
                    f'select count(*) from "{schema}"."{table}"'
                ).fetchone()[0]
            else:
                counts[table] = None
        return counts


def _find(folder: Path, table: str) -> Path | None:
    for suffix in SUFFIXES:
        candidate = folder / f"{table}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def find_raw_files(folder: Path) -> dict[str, Path]:
    """The file of each raw table in ``folder`` (Parquet preferred over CSV).

    The three lead tables must all be there; CRM tables are included when
    their file exists.
    """
    if not folder.exists():
        raise RawDataError(f"{folder}: folder not found")
    if not folder.is_dir():
        raise RawDataError(f"{folder}: not a folder")
    files: dict[str, Path] = {}
    missing = []
    for table in ALL_TABLES:
        path = _find(folder, table)
        if path is not None:
            files[table] = path
        elif table in RAW_TABLES:
            missing.append(f"{table}.parquet or {table}.csv")
    if missing:
        raise RawDataError(f"{folder}: missing raw file(s): {', '.join(missing)}")
    return files


def _reader(path: Path, typed: bool) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".csv":
        return (
            f"read_csv('{quoted}', header = true, all_varchar = {str(not typed).lower()})"
        )
    return f"read_parquet('{quoted}')"


def load_raw_tables(
    folder: Path,
    database: Path = DEFAULT_DATABASE,
    schema: str = "raw",
    typed: bool = False,
    log: Callable[[str], None] | None = None,
    tables: Iterable[str] | None = None,
) -> dict[str, int]:
    """(Re)create the raw tables from the files in ``folder``; returns row counts.

    ``tables`` limits the load to these tables (the lead tables are always
    loaded); the others are treated as absent.

    The keys of the result are the tables loaded: always the three lead
    tables, plus each CRM table whose file is in the folder. CRM tables
    without a file are dropped from the schema (``log`` is told which).

    CSV files are read into a table first (never queried in place), which
    also avoids a DuckDB 2.0.0 bug with try_cast over read_csv.
    """
    files = find_raw_files(folder)
    if tables is not None:
        wanted = set(tables) | set(RAW_TABLES)
        files = {table: path for table, path in files.items() if table in wanted}
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    stale: list[str] = []
    with duckdb.connect(str(database)) as con:
        con.execute("set preserve_insertion_order = true")
        con.execute("begin transaction")
        try:
            con.execute(f'create schema if not exists "{schema}"')
            for table, path in files.items():
                counts[table] = _load_table(con, schema, table, path, typed)
            stale = [t for t in CRM_TABLES
                     if t not in files and t in _base_tables(con, schema)]
            for table in stale:
                con.execute(f'drop table "{schema}"."{table}"')
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    if log is not None:
        for table in stale:
            log(f"dropped {schema}.{table}: no {table} file in {folder}")
    return counts


def load_raw_spark(
    folder: Path,
    run_dbt: Callable[..., object],
    tables: Iterable[str] | None = None,
    staging: Path | None = None,
) -> dict[str, int]:
    """Load the folder's raw tables into Spark (target ``spark``).

    Spark reads the Parquet files itself (the ``load_raw_parquet`` macro,
    through ``run_dbt("run-operation", ...)``: the profile's session or
    cluster does the work, so no second Spark configuration exists). A CSV
    file is first written as an all-text Parquet file beside the others in
    ``staging`` (default: ``<folder>/_spark_parquet``). CRM tables without a
    file are dropped, as on DuckDB. Returns row counts, read from the files.
    """
    files = find_raw_files(folder)
    if tables is not None:
        wanted = set(tables) | set(RAW_TABLES)
        files = {table: path for table, path in files.items() if table in wanted}
    parquet: dict[str, str] = {}
    counts: dict[str, int] = {}
    with duckdb.connect() as con:
        for table, path in files.items():
            if path.suffix == ".csv":
                target = (staging or folder / "_spark_parquet") / f"{table}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                quoted = str(target).replace("'", "''")
                try:
                    con.execute(f"copy (select * from {_reader(path, False)}) "
                                f"to '{quoted}' (format parquet)")
                except duckdb.Error as error:
                    raise RawDataError(f"{path}: cannot be read: {error}") from error
                path = target
            parquet[table] = str(path.resolve())
            counts[table] = con.execute(
                "select count(*) from read_parquet(?)", [parquet[table]]
            ).fetchone()[0]
    drop = [table for table in CRM_TABLES if table not in parquet]
    run_dbt("run-operation", "load_raw_parquet", "--args",
            json.dumps({"files": parquet, "drop": drop}))
    return counts


def _load_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, path: Path,
                typed: bool) -> int:
    try:
        select = f"select * from {_reader(path, typed)}"
        if not typed:
            columns = [row[0] for row in con.execute(f"describe {select}").fetchall()]
            casts = ", ".join(
                f'cast("{column}" as varchar) as "{column}"' for column in columns
            )
            select = f"select {casts} from {_reader(path, typed)}"
        con.execute(f'create or replace table "{schema}"."{table}" as {select}')
    except duckdb.Error as error:
        raise RawDataError(f"{path}: cannot be loaded into {schema}.{table}: {error}") from error
    return con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="folder", type=Path, required=True,
                        help="folder with leads / lead_attributes / events files and "
                             "optionally the CRM tables (.parquet or .csv)")
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--schema", default="raw")
    parser.add_argument("--typed", action="store_true",
                        help="infer column types instead of loading text")
    parser.add_argument("--target", default=None,
                        help="a Spark target of profiles.yml (spark, spark_cluster): load "
                             "there through dbt instead of into the DuckDB file")
    args = parser.parse_args(argv)
    if args.target:
        return _main_spark(args)
    try:
        counts = load_raw_tables(args.folder, args.database, args.schema, args.typed,
                                 log=print)
    except (RawDataError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for table, rows in counts.items():
        print(f"loaded {args.schema}.{table}: {rows:,} rows")
    absent = [table for table in CRM_TABLES if table not in counts]
    if absent:
        print(f"not loaded (optional, no file in {args.folder}): {', '.join(absent)}")
    return 0


def _main_spark(args: argparse.Namespace) -> int:
    from dbt.cli.main import dbtRunner

    root = Path(__file__).resolve().parents[1]
    runner = dbtRunner()

    def run_dbt(*command: str) -> None:
        result = runner.invoke([*command, "--project-dir", str(root), "--profiles-dir",
                                str(root), "--target", args.target,
                                "--vars", json.dumps({"raw_schema": args.schema})])
        if not result.success:
            raise RawDataError(f"dbt {command[0]} failed on target {args.target}: "
                               f"{result.exception or result.result}")

    try:
        counts = load_raw_spark(args.folder, run_dbt)
    except (RawDataError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for table, rows in counts.items():
        print(f"loaded {args.schema}.{table} on {args.target}: {rows:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
