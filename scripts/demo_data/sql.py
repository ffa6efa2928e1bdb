"""The generator's SQL: the files of ``sql/``, their one templating step, DuckDB calls.

Every statement of the generator is in a file of ``sql/`` (a script of statements
run in order, or one query that is copied to Parquet). A file's placeholders
``{{ name }}`` are replaced by the SQL literal of a value given by the Python
(``literal``): a number, a string, NULL, a boolean, a list or a struct. That is the
only templating step: a placeholder never holds SQL text, a file has no other
template logic, and ``render`` refuses a placeholder without a value or a value
without a placeholder. ``second_us`` and ``day_us`` (microseconds per second and per
day) are known to every file.

Beside the files, this module wraps finished queries in the two generic statements
of the generator: ``COPY (query) TO 'file.parquet'`` and clean mode's projection
(``cleaned``).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from scripts.demo_data.reference import BIG, DAY_US

SQL_DIR = Path(__file__).resolve().parent / "sql"
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
UNITS = {"second_us": BIG, "day_us": DAY_US}

Value = None | bool | int | float | str | Path | list | tuple | dict


def literal(value: Value) -> str:
    """The SQL literal of a value: numbers as Python writes them (``0.15`` is a
    DECIMAL for DuckDB, as it would be typed), strings quoted, lists and dicts as
    DuckDB list and struct literals."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str | Path):
        return "'" + str(value).replace("'", "''") + "'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise TypeError(f"no SQL literal for {type(value).__name__} {value!r}")


def render(name: str, /, **params: Value) -> str:
    """The text of ``sql/<name>.sql`` with its placeholders replaced by literals."""
    path = SQL_DIR / f"{name}.sql"
    values = {**UNITS, **params}
    used: set[str] = set()

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"{path}: no value for the placeholder {key}")
        used.add(key)
        return literal(values[key])

    text = PLACEHOLDER.sub(substitute, path.read_text(encoding="utf-8"))
    unused = set(params) - used
    if unused:
        raise TypeError(f"{path}: no placeholder for {', '.join(sorted(unused))}")
    return text.strip()


def run(con: duckdb.DuckDBPyConnection, name: str, /, **params: Value) -> None:
    """Run the statements of ``sql/<name>.sql``, in order."""
    con.execute(render(name, **params))


def copy(con: duckdb.DuckDBPyConnection, query: str, path: Path,
         row_group_size: int = 122_880) -> int:
    """COPY a query to Parquet and return the number of rows written."""
    result = con.execute(
        f"COPY ({query}) TO {literal(path)} "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {int(row_group_size)})"
    ).fetchone()
    return int(result[0]) if result else 0


def cleaned(query: str) -> str:
    """`query` without its rows lacking a lead_id and with NULL for every ''.

    Clean mode's last step: the junk rows of leads and lead_attributes are extra
    copies without lead_id, so dropping them leaves exactly the real population.
    A plain filter and projection, so the row order of `query` is kept.
    """
    return f"SELECT nullif(COLUMNS(*), '') FROM ({query}) WHERE lead_id <> ''"


def countries(seed: Path) -> list[tuple[str, str, str, str, int]]:
    """The rows of the country seed (sql/countries.sql), in a connection of their own."""
    con = duckdb.connect(":memory:")
    try:
        return con.execute(render("countries", seed=seed)).fetchall()
    except duckdb.Error as error:
        raise ValueError(f"{seed}: cannot read the countries of the demo data "
                         f"(country_code, country_name, market, time_zone, currency): "
                         f"{error}") from error
    finally:
        con.close()
