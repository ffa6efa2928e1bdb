"""The same marts on DuckDB and on Spark, and incremental runs equal a rebuild.

Generated demo data (with its mess and all CRM tables) goes through the same
sequence on each engine:

1. a daily run on the first batch (events without their last 1 %) as of D1,
   of the event staging and the score history and what they need;
2. a daily run as of D2 on the whole data, which also brings one new
   erasure request for a lead scored in run 1: incremental on every
   incremental model (event staging, score history, trigger and sync logs);
3. a full refresh as of D2.

Every public mart (schema ``marts``) after run 2 must be equal on both
engines, row by row: numbers within 0.01, everything else exactly.

After the full refresh, on DuckDB every mart must equal its incremental self
(except the two feeds that hold "this run's" rows only). On Spark, where a
run of the whole project costs over a minute, the full refresh rebuilds the
two models that differ between the two ways, the incremental event staging
and the kept activity counts (the history and the logs keep their rows in a
full refresh by design), and each must equal its incremental self; every
mart is a function of the tables compared. Run 2 also follows a scorecard
edit (tests/e2e/scorecards.py: one rule's test changed, one rule added, one
dropped), and batch 2's events are mostly dated before D1 (late). The
erased lead's rows must be in the history after run 1 and gone after run 2
on both engines (Spark rewrites its parquet tables to purge them).

Spark runs on this machine through dbt-spark's session method (profiles.yml
target ``spark``); its tables are read back from their parquet files with
DuckDB. The data tests run on DuckDB only (in run 2 here and everywhere
else in the suite); on Spark they would add a minute to CI.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.generate_demo_data import generate
from scripts.load_raw import load_raw_spark
from tests.e2e.harness import Project
from tests.e2e.scorecards import edited_shipped_rules

D1 = "2025-06-29"
D2 = "2025-06-30"
# Columns that hold when a run happened, not what it computed.
RUN_TIME_COLUMNS = {"scored_at", "synced_at", "detected_at", "updated_at", "staged_at"}
# The load position of a raw row: DuckDB counts from 1, Spark's
# monotonically_increasing_id from 0 (docs/spark.md).
ENGINE_COLUMNS = {"source_row_number"}
# Feeds of "this run's" rows: a rerun on the same day rightly has none.
# what a run sends (outboxes) and the report rows counted from them: a full
# refresh sends nothing the incremental runs already sent
RUN_FEEDS = {"fct_lead_score_triggers", "fct_crm_lead_sync", "rpt_triggers_fired",
             "rpt_lead_outreach"}
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


def _marts(project: Project, schema: str = "marts",
           only: set[str] | None = None) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table of a schema (or ``only`` these): compared columns, sorted rows."""
    names = [
        row["table_name"]
        for row in project.query(
            "select table_name from information_schema.tables "
            f"where table_schema = '{schema}' and table_type = 'BASE TABLE' "
            "order by table_name"
        )
    ] if project.target == "duckdb" else sorted(
        folder.name
        for folder in (project.spark_dir / "tables" / f"{schema}.db").iterdir()
        if folder.is_dir()
    )
    marts = {}
    for name in names:
        if only is not None and name not in only:
            continue
        if project.target == "spark" and not any(
            (project.spark_dir / "tables" / f"{schema}.db" / name).rglob("*.parquet")
        ):
            marts[name] = ([], [])
            continue
        relation = project.relation(schema, name)
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


def _erasable_lead(batch: Path) -> str:
    """The lead with the most events that no version deletes or erases."""
    with duckdb.connect() as con:
        return con.execute(f"""
            select trim(lead_id) as lead_id
            from read_parquet('{batch}/events.parquet')
            where trim(lead_id) in (
                select trim(lead_id) from read_parquet('{batch}/leads.parquet')
                group by trim(lead_id)
                having not bool_or(coalesce(lower(trim(is_deleted)), '')
                                   in ('true', 't', '1', 'yes', 'y'))
            )
            and trim(lead_id) not in (
                select coalesce(trim(lead_id), '')
                from read_parquet('{batch}/erasure_requests.parquet')
            )
            group by trim(lead_id)
            order by count(*) desc, lead_id
            limit 1
        """).fetchone()[0]


def _erased_rows(project: Project, lead_id: str) -> int:
    history = project.relation("marts", "fct_lead_score_history")
    return project.query(
        f"select count(*) as n from {history} where lead_id = '{lead_id}'"
    )[0]["n"]


def _kept_counts(project: Project) -> list[tuple[Any, ...]]:
    """int_lead_activity_days per lead, test and day (a run adds its own rows)."""
    kept = project.relation("intermediate", "int_lead_activity_days")
    return [tuple(row.values()) for row in project.query(
        f"select lead_id, rule_test, activity_date, sum(activity_count) as n from {kept} "
        "where lead_id is not null group by all order by all"
    )]


def _run_sequence(project: Project, batch1: Path, batch2: Path,
                  erased_lead: str) -> dict[str, Any]:
    """Run 1 (D1, first batch), run 2 (D2, everything: incremental), then a
    full refresh; the marts after runs 2 and 3."""
    out: dict[str, Any] = {}
    day1 = ["--vars", f"{{score_as_of: '{D1}'}}"]
    day2 = ["--vars", f"{{score_as_of: '{D2}'}}"]
    # run 1 builds what run 2 reads back: the staged events and the history
    # (the trigger and sync logs then start in run 2 on both engines)
    first_run = ["run", "--select", "+stg_crm__events +fct_lead_score_history", *day1]
    staged = {"stg_crm__events"}
    rules = project.read_seed("scorecard_rules")
    if project.target == "spark":
        # one process per step: the JVM starts three times, not seven
        def loads(batch: Path) -> list[list[str]]:
            commands: list[list[str]] = []
            load_raw_spark(batch, lambda *args: commands.append(list(args)))
            return commands

        project.dbt_sequence(*loads(batch1), ["seed"], first_run)
        out["erased_rows_before"] = _erased_rows(project, erased_lead)
        project.write_seed("scorecard_rules", edited_shipped_rules(rules))
        project.dbt_sequence(*loads(batch2), ["seed"], ["run", *day2])
        out["erased_rows_after"] = _erased_rows(project, erased_lead)
        out["incremental"] = _marts(project)
        out["staged_incremental"] = _marts(project, "staging", staged)
        out["kept_incremental"] = _kept_counts(project)
        project.dbt_sequence(["run", "--full-refresh", "--select",
                              "stg_crm__events int_lead_activity_days", *day2])
        out["staged_full_refresh"] = _marts(project, "staging", staged)
        out["kept_full_refresh"] = _kept_counts(project)
    else:
        project.load_raw(batch1, crm=True)
        project.dbt("seed")
        project.dbt(*first_run)
        out["erased_rows_before"] = _erased_rows(project, erased_lead)
        project.write_seed("scorecard_rules", edited_shipped_rules(rules))
        project.load_raw(batch2, crm=True)
        project.build(D2)
        out["erased_rows_after"] = _erased_rows(project, erased_lead)
        out["incremental"] = _marts(project)
        out["staged_incremental"] = _marts(project, "staging", staged)
        out["kept_incremental"] = _kept_counts(project)
        project.dbt("run", "--full-refresh", *day2)
        out["full_refresh"] = _marts(project)
        out["staged_full_refresh"] = _marts(project, "staging", staged)
        out["kept_full_refresh"] = _kept_counts(project)
    return out


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("spark_parity")
    data = root / "data"
    generate(data, n_leads=250, events_per_lead=20, seed=7, end_date=dt.date(2025, 6, 30))
    batch1, batch2, new_events = _write_batches(data, root)
    erased_lead = _erasable_lead(batch1)
    _add_erasure(batch2, erased_lead)
    duck = Project.copy(root / "duckdb")
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


def test_full_refresh_gives_the_marts_of_the_incremental_runs(engines: dict[str, Any]) -> None:
    runs = engines["duckdb"]
    assert engines["new_events"] >= 20
    assert _differences(runs["incremental"], runs["full_refresh"], skip=RUN_FEEDS) == []


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_full_refresh_stages_the_events_of_the_incremental_runs(
    engines: dict[str, Any], engine: str
) -> None:
    runs = engines[engine]
    incremental = runs["staged_incremental"]["stg_crm__events"][1]
    assert len(incremental) > 4000
    assert _differences(runs["staged_incremental"], runs["staged_full_refresh"]) == []
    # and the kept activity counts, after late events, an erasure and a
    # scorecard edit, are those of a full refresh
    assert len(runs["kept_incremental"]) > 2000
    assert runs["kept_incremental"] == runs["kept_full_refresh"]
    assert not any(row[0] == engines["erased_lead"] for row in runs["kept_incremental"])


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_an_erasure_purges_the_kept_history(engines: dict[str, Any], engine: str) -> None:
    runs = engines[engine]
    assert runs["erased_rows_before"] >= 2  # two scorecards scored it on D1
    assert runs["erased_rows_after"] == 0
