"""Step 1 of a run: the raw tables are there, or loaded from a folder, or demo data
is generated and loaded (``scripts/generate_demo_data.py``, ``scripts/load_raw.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scripts.lead_scoring.errors import PipelineError


def ensure_raw_data(database: Path, demo_root: Path, schema: str, demo_leads: int,
                    demo_seed: int, as_of: date) -> str:
    """Load demo data into the raw schema of ``database`` when the raw tables are
    missing or empty (the demo files are kept beside the warehouse for reuse)."""
    from scripts.generate_demo_data import FILES, generate
    from scripts.load_raw import load_raw_tables, raw_row_counts

    counts = raw_row_counts(database, schema)
    present = {table: count for table, count in counts.items() if count is not None}
    if len(present) == len(counts) and counts["leads"]:
        every = raw_row_counts(database, schema, include_crm=True)
        rows = ", ".join(f"{table} {count:,}" for table, count in every.items()
                         if count is not None)
        return f"raw data found in {database.name} schema {schema}: {rows}"
    if present and len(present) < len(counts):
        missing = [table for table in counts if table not in present]
        raise PipelineError(
            f"{database}: schema {schema} has raw tables {', '.join(present)} but not "
            f"{', '.join(missing)}; load all three (scripts/load_raw.py) or none "
            "(demo data is then loaded)"
        )
    if present and any(present.values()):
        raise PipelineError(
            f"{database}: schema {schema} has no leads but has other raw rows; "
            "load the leads table too"
        )
    demo_dir = demo_root / f"leads{demo_leads}_seed{demo_seed}_{as_of}"
    if not all((demo_dir / name).exists() for name in FILES):
        print(f"  generating demo data: {demo_leads:,} leads, seed {demo_seed}, "
              f"events up to {as_of} ...", flush=True)
        generate(demo_dir, n_leads=demo_leads, seed=demo_seed, end_date=as_of)
    loaded = load_raw_tables(demo_dir, database, schema)
    rows = ", ".join(f"{table} {count:,}" for table, count in loaded.items())
    return f"demo data loaded into {database.name} schema {schema}: {rows}"


def prepare_raw(database: Path, warehouse: Path, schema: str, raw_from: Path | None,
                no_demo: bool, demo_leads: int, demo_seed: int, as_of: date) -> bool:
    """Step 1 of ``run`` on the build file ``database`` (a copy of ``warehouse``,
    whose name the messages show). Returns whether demo data was loaded just now."""
    shown_as = warehouse.name
    from scripts.load_raw import RawDataError, load_raw_tables, raw_row_counts

    if raw_from is not None:
        print(f"1/5 raw data from {raw_from}", flush=True)
        try:
            loaded = load_raw_tables(raw_from, database, schema)
        except RawDataError as error:
            raise PipelineError(str(error)) from error
        rows = ", ".join(f"{table} {count:,}" for table, count in loaded.items())
        print(f"  loaded into {shown_as} schema {schema}: {rows}", flush=True)
        return False
    if no_demo:
        counts = raw_row_counts(database, schema)
        if any(count is None for count in counts.values()):
            raise PipelineError(
                f"{warehouse}: raw tables missing or empty in schema "
                f"{schema}: {counts} (load them with scripts/load_raw.py)"
            )
        return False
    print("1/5 raw data", flush=True)
    message = ensure_raw_data(database, warehouse.parent / "demo", schema, demo_leads,
                              demo_seed, as_of)
    print("  " + message.replace(database.name, shown_as), flush=True)
    return message.startswith("demo data loaded")

