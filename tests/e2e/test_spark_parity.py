"""The same marts on DuckDB and on Spark, and incremental runs equal a rebuild.

Generated demo data (with its mess and all CRM tables) goes through the same
sequence on each engine:

1. a daily run on the first batch (events without their last 1 %) as of D1;
2. a daily run as of D2 on the whole data, which also brings one new
   erasure request for a lead scored in run 1: incremental on every
   incremental model (event staging, score history, trigger and sync logs);
3. ``dbt run --full-refresh`` as of D2.

Every public mart (schema ``marts``) after run 2 must be equal on both
engines, row by row: numbers within 0.01, everything else exactly. On each
engine, the marts after the full refresh must equal those after the
incremental runs (except the two feeds that hold "this run's" rows only).
The erased lead's rows must be in the history after run 1 and gone after
run 2 on both engines (Spark rewrites its parquet tables to purge them).

Spark runs in this process's machine through dbt-spark's session method
(profiles.yml target ``spark``); its tables are read back from their parquet
files with DuckDB.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.generate_demo_data import generate
from tests.e2e.harness import Project

D1 = "2025-06-29"
D2 = "2025-06-30"
# Columns that hold when a run happened, not what it computed.
RUN_TIME_COLUMNS = {"scored_at", "synced_at", "detected_at", "updated_at"}
# The load position of a raw row: DuckDB counts from 1, Spark's
# monotonically_increasing_id from 0 (docs/spark.md).
ENGINE_COLUMNS = {"source_row_number"}
# Feeds of "this run's" rows: a rerun on the same day rightly has none.
RUN_FEEDS = {"fct_lead_score_triggers", "fct_crm_lead_sync"}
RAW_FILES = (
    "leads", "lead_attributes", "events", "opportunities", "sales_activities",
    "campaigns", "consents", "erasure_requests",
)


def _write_batches(data: Path, root: Path) -> tuple[Path, Path, int]:
    """batch1: the events without their last 1 %; batch2: everything."""
    batch1, batch2 = root / "batch1", root / "batch2"
    batch1.mkdir()
    batch2.mkdir()
    with duckdb.connect() as con:
        total = con.execute(
            f"select count(*) from read_parquet('{data}/events.parquet')"
        ).fetchone()[0]
        kept = total - max(1, total // 100)
        for table in RAW_FILES:
            source = f"read_parquet('{data}/{table}.parquet', file_row_number = true)"
            limit = f"where file_row_number < {kept}" if table == "events" else ""
            for batch, where in ((batch1, limit), (batch2, "")):
                con.execute(
                    f"copy (select * exclude (file_row_number) from {source} {where} "
                    f"order by file_row_number) to '{batch}/{table}.parquet' (format parquet)"
                )
    return batch1, batch2, total - kept


def _add_erasure(batch: Path, lead_id: str) -> None:
    path = batch / "erasure_requests.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"create table requests as select * from read_parquet('{path}')"
        )
        con.execute("insert into requests (lead_id, requested_at) values (?, ?)",
                    [lead_id, f"{D2} 08:00:00"])
        con.execute(f"copy requests to '{path}' (format parquet)")


def _normal(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # text first, numbers coarsely: rows that differ only within the
    # tolerance still meet in the same place
    return tuple(
        (1, round(value, 1)) if _is_number(value)
        else (0, "") if value is None
        else (2, str(value))
        for value in row
    )


def _marts(project: Project) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table of schema marts: its compared columns and sorted rows."""
    names = [
        row["table_name"]
        for row in project.query(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        )
    ] if project.target == "duckdb" else sorted(
        folder.name
        for folder in (project.spark_dir / "tables" / "marts.db").iterdir()
        if folder.is_dir()
    )
    marts = {}
    for name in names:
        if project.target == "spark" and not any(
            (project.spark_dir / "tables" / "marts.db" / name).rglob("*.parquet")
        ):
            marts[name] = ([], [])
            continue
        relation = project.relation("marts", name)
        rows = project.query(f"select * from {relation}")
        columns = sorted(
            set(rows[0]) - RUN_TIME_COLUMNS - ENGINE_COLUMNS
        ) if rows else []
        marts[name] = (
            columns,
            sorted((tuple(_normal(row[c]) for c in columns) for row in rows), key=_sort_key),
        )
    return marts


def _differences(left: dict, right: dict, skip: set[str] = frozenset()) -> list[str]:
    problems = []
    for name in sorted(set(left) | set(right)):
        if name in skip:
            continue
        if name not in left or name not in right:
            problems.append(f"{name}: only on one side")
            continue
        (left_columns, left_rows), (right_columns, right_rows) = left[name], right[name]
        if left_rows and right_rows and left_columns != right_columns:
            problems.append(f"{name}: columns {left_columns} != {right_columns}")
            continue
        if len(left_rows) != len(right_rows):
            problems.append(f"{name}: {len(left_rows)} rows != {len(right_rows)} rows")
            continue
        for left_row, right_row in zip(left_rows, right_rows, strict=True):
            for column, a, b in zip(left_columns, left_row, right_row, strict=True):
                same = (
                    abs(a - b) <= 0.01 if _is_number(a) and _is_number(b) else a == b
                )
                if not same:
                    problems.append(f"{name}.{column}: {a!r} != {b!r} in {left_row}")
                    break
            if len(problems) > 20:
                return problems
    return problems


def _run_sequence(project: Project, batch1: Path, batch2: Path,
                  erased_lead: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    project.load_raw(batch1, crm=True)
    if project.target == "spark":
        project.dbt("seed")
        project.dbt("run", "--vars", f"{{score_as_of: '{D1}'}}")
    else:
        project.build(D1)
    if erased_lead is None:
        return out
    history = project.relation("marts", "fct_lead_score_history")
    out["erased_rows_before"] = project.query(
        f"select count(*) as n from {history} where lead_id = '{erased_lead}'"
    )[0]["n"]
    project.load_raw(batch2, crm=True)
    project.build(D2)
    out["erased_rows_after"] = project.query(
        f"select count(*) as n from {history} where lead_id = '{erased_lead}'"
    )[0]["n"]
    out["incremental"] = _marts(project)
    project.dbt("run", "--full-refresh", "--vars", f"{{score_as_of: '{D2}'}}")
    out["full_refresh"] = _marts(project)
    return out


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("spark_parity")
    data = root / "data"
    generate(data, n_leads=250, events_per_lead=20, seed=7, end_date=dt.date(2025, 6, 30))
    batch1, batch2, new_events = _write_batches(data, root)

    duck = Project.copy(root / "duckdb")
    _run_sequence(duck, batch1, batch2, erased_lead=None)
    erased_lead = duck.query(
        "select min(lead_id) as lead_id from marts.fct_lead_scores "
        "where engagement_score <> 0"
    )[0]["lead_id"]
    _add_erasure(batch2, erased_lead)
    duck = Project.copy(root / "duckdb_run")
    spark = Project.copy(root / "spark", engine="spark")
    return {
        "new_events": new_events,
        "erased_lead": erased_lead,
        "duckdb": _run_sequence(duck, batch1, batch2, erased_lead),
        "spark": _run_sequence(spark, batch1, batch2, erased_lead),
    }


def test_every_public_mart_is_equal_on_duckdb_and_spark(engines: dict[str, Any]) -> None:
    duck, spark = engines["duckdb"]["incremental"], engines["spark"]["incremental"]
    assert len(duck) >= 25, sorted(duck)
    assert set(duck) == set(spark)
    # the comparison has something to compare
    assert len(duck["fct_lead_scores"][1]) >= 400
    assert len(duck["fct_lead_score_contributions"][1]) >= 1000
    assert len(duck["fct_lead_score_history"][1]) >= 800
    assert len(duck["fct_quarantined_rows"][1]) >= 10
    assert _differences(duck, spark) == []


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_full_refresh_equals_the_incremental_runs(engines: dict[str, Any], engine: str) -> None:
    runs = engines[engine]
    assert engines["new_events"] >= 20
    assert _differences(runs["incremental"], runs["full_refresh"], skip=RUN_FEEDS) == []


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_an_erasure_purges_the_kept_history(engines: dict[str, Any], engine: str) -> None:
    runs = engines[engine]
    assert runs["erased_rows_before"] >= 2  # two scorecards scored it on D1
    assert runs["erased_rows_after"] == 0
