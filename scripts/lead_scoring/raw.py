"""Step 1 of a run: the raw tables are there, or loaded from a folder, or demo data
is generated and loaded (``scripts/generate_demo_data.py``, ``scripts/load_raw.py``).

Where the raw tables live is the session's ``RawStore``: the build's DuckDB
file (``DuckDBRawStore``), or a Spark target's raw schema
(``spark_publication.SparkRawStore``). The rules are the same on both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from scripts.lead_scoring.errors import PipelineError


class RawStore(Protocol):
    """The raw tables of a build: counted, or loaded from a folder of files."""

    #: how messages name the store (a file name, a target)
    where: str
    #: where generated demo data is kept for reuse
    demo_root: Path

    def counts(self, schema: str, include_crm: bool = False) -> dict[str, int | None]:
        """Rows per raw table (None: missing); the CRM tables with ``include_crm``."""

    def load(self, folder: Path, schema: str) -> dict[str, int]:
        """Load the folder's raw files (RawDataError when they cannot be)."""


class DuckDBRawStore:
    """The raw schema of the build file (a copy of ``warehouse``, whose name the
    messages show)."""

    def __init__(self, build: Path, warehouse: Path) -> None:
        self.build = build
        self.where = warehouse.name
        self.demo_root = warehouse.parent / "demo"

    def counts(self, schema: str, include_crm: bool = False) -> dict[str, int | None]:
        from scripts.load_raw import raw_row_counts

        return raw_row_counts(self.build, schema, include_crm=include_crm)

    def load(self, folder: Path, schema: str) -> dict[str, int]:
        from scripts.load_raw import load_raw_tables

        return load_raw_tables(folder, self.build, schema)


def _rows(counts: dict[str, int | None]) -> str:
    return ", ".join(f"{table} {count:,}" for table, count in counts.items()
                     if count is not None)


def ensure_raw_data(store: RawStore, schema: str, demo_leads: int, demo_seed: int,
                    as_of: date) -> str:
    """Load demo data into the raw schema when the raw tables are missing or empty
    (the demo files are kept in the store's ``demo_root`` for reuse)."""
    from scripts.generate_demo_data import FILES, generate
    from scripts.load_raw import RawDataError

    counts = store.counts(schema)
    present = {table: count for table, count in counts.items() if count is not None}
    if len(present) == len(counts) and counts["leads"]:
        return (f"raw data found in {store.where} schema {schema}: "
                f"{_rows(store.counts(schema, include_crm=True))}")
    if present and len(present) < len(counts):
        missing = [table for table in counts if table not in present]
        raise PipelineError(
            f"{store.where}: schema {schema} has raw tables {', '.join(present)} but not "
            f"{', '.join(missing)}; load all three (scripts/load_raw.py) or none "
            "(demo data is then loaded)"
        )
    if present and any(present.values()):
        raise PipelineError(
            f"{store.where}: schema {schema} has no leads but has other raw rows; "
            "load the leads table too"
        )
    demo_dir = store.demo_root / f"leads{demo_leads}_seed{demo_seed}_{as_of}"
    if not all((demo_dir / name).exists() for name in FILES):
        print(f"  generating demo data: {demo_leads:,} leads, seed {demo_seed}, "
              f"events up to {as_of} ...", flush=True)
        generate(demo_dir, n_leads=demo_leads, seed=demo_seed, end_date=as_of)
    try:
        loaded = store.load(demo_dir, schema)
    except RawDataError as error:
        raise PipelineError(str(error)) from error
    return f"demo data loaded into {store.where} schema {schema}: {_rows(loaded)}"


def prepare_raw(store: RawStore, schema: str, raw_from: Path | None, no_demo: bool,
                demo_leads: int, demo_seed: int, as_of: date) -> bool:
    """Step 1 of ``run``. Returns whether demo data was loaded just now."""
    from scripts.load_raw import RawDataError

    if raw_from is not None:
        print(f"1/5 raw data from {raw_from}", flush=True)
        try:
            loaded = store.load(raw_from.resolve(), schema)
        except RawDataError as error:
            raise PipelineError(str(error)) from error
        print(f"  loaded into {store.where} schema {schema}: {_rows(loaded)}", flush=True)
        return False
    if no_demo:
        counts = store.counts(schema)
        if any(count is None for count in counts.values()):
            raise PipelineError(
                f"{store.where}: raw tables missing or empty in schema "
                f"{schema}: {counts} (load them with scripts/load_raw.py)"
            )
        return False
    print("1/5 raw data", flush=True)
    message = ensure_raw_data(store, schema, demo_leads, demo_seed, as_of)
    print(f"  {message}", flush=True)
    return message.startswith("demo data loaded")
