"""Load raw tables (SCORING_SPEC section 1) into a DuckDB warehouse.

The scoring contract reads three raw tables, ``leads``, ``lead_attributes``
and ``events``, from schema ``raw`` (or the var ``raw_schema``). This module
checks whether they are there and loads them from a folder of Parquet or CSV
files named after the tables (``leads.parquet`` or ``leads.csv``, ...).

By default every column is loaded as text, exactly as a CRM CSV export
delivers it: staging parses and quarantines what does not parse, so nothing
is lost on the way in. ``typed=True`` lets DuckDB infer column types instead
(the contract accepts both).

    python scripts/load_raw.py --from DIR [--database FILE] [--schema raw] [--typed]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

RAW_TABLES = ("leads", "lead_attributes", "events")
DEFAULT_DATABASE = Path("warehouse/lead_scoring.duckdb")


class RawDataError(Exception):
    """Raw files or tables that cannot be loaded, with what and where."""


def raw_row_counts(database: Path, schema: str = "raw") -> dict[str, int | None]:
    """Rows per raw table; None for a table that does not exist."""
    if not database.exists():
        return {table: None for table in RAW_TABLES}
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
        for table in RAW_TABLES:
            if table in existing:
                counts[table] = con.execute(
                    f'select count(*) from "{schema}"."{table}"'
                ).fetchone()[0]
            else:
                counts[table] = None
        return counts


def find_raw_files(folder: Path) -> dict[str, Path]:
    """The file of each raw table in ``folder`` (Parquet preferred over CSV)."""
    files: dict[str, Path] = {}
    missing = []
    for table in RAW_TABLES:
        for suffix in (".parquet", ".csv"):
            candidate = folder / f"{table}{suffix}"
            if candidate.exists():
                files[table] = candidate
                break
        else:
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
) -> dict[str, int]:
    """(Re)create the raw tables from the files in ``folder``; returns row counts.

    CSV files are read into a table first (never queried in place), which
    also avoids a DuckDB 2.0.0 bug with try_cast over read_csv.
    """
    files = find_raw_files(folder)
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(database)) as con:
        con.execute("set preserve_insertion_order = true")
        con.execute(f'create schema if not exists "{schema}"')
        for table, path in files.items():
            select = f"select * from {_reader(path, typed)}"
            if not typed:
                columns = [
                    row[0]
                    for row in con.execute(f"describe {select}").fetchall()
                ]
                casts = ", ".join(
                    f'cast("{column}" as varchar) as "{column}"' for column in columns
                )
                select = f"select {casts} from {_reader(path, typed)}"
            try:
                con.execute(f'create or replace table "{schema}"."{table}" as {select}')
            except duckdb.Error as error:
                raise RawDataError(f"{path}: cannot be loaded: {error}") from error
            counts[table] = con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="folder", type=Path, required=True,
                        help="folder with leads / lead_attributes / events files")
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--schema", default="raw")
    parser.add_argument("--typed", action="store_true",
                        help="infer column types instead of loading text")
    args = parser.parse_args(argv)
    try:
        counts = load_raw_tables(args.folder, args.database, args.schema, args.typed)
    except (RawDataError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for table, rows in counts.items():
        print(f"loaded {args.schema}.{table}: {rows:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
