"""The whole pipeline on a real Spark cluster, and the same marts as on DuckDB.

One setup for every Spark test: a standalone cluster (master, worker and
Thrift server, ``tests/spark/conftest.py``) and generated demo data (with
its mess and all CRM tables) in two batches. ``scripts/pipeline.py run``
goes through the same sequence on DuckDB and on the cluster (target
``spark_cluster``, dbt-spark's Thrift method); the DuckDB sequence runs
beside the cluster's start and the Spark runs (both are subprocesses):

1. a daily run as of D1 on the first batch (events without their last 1 %);
2. on the cluster only: a run as of D2 killed in the middle of its build
   (``LEAD_SCORING_FAILPOINT``, a real SIGKILL);
3. a daily run as of D2 on the whole data, which also brings one new
   erasure request for a lead scored in run 1: incremental on every
   incremental model (event staging, score history, trigger and sync logs).

Every published mart after run 3 (DuckDB: the serving file; Spark: the
views of schema ``marts``, read through the Thrift server as a BI tool
would) must be equal on both engines, row by row: numbers within 0.01,
everything else exactly.

The killed run must leave publication 1 served, and the next run must
recover (drop the killed run's build) and publish. Incremental runs must
equal a rebuild: on DuckDB every mart after a full refresh (except the
feeds of "this run's" rows), the score history of the two daily runs
included (the suite's one check that daily history equals a rebuilt one;
tests/e2e/test_incremental_scoring.py checks the kept counts and the
ledger over a longer chain); on Spark, where a run of the whole project
costs minutes, the two models that differ between the two ways, the
incremental event staging and the kept activity counts
(int_lead_activity_days), built fresh into schemas of their own. Run 3
also follows a scorecard edit (tests/e2e/scorecards.py: one rule's test
changed, one rule added, one dropped, and half-open ``range`` bins added),
and its new events are late (dated
before D1) as well as new. The erased
lead's rows must be in the history after run 1 and gone after run 3 on both
engines (Spark rewrites its parquet tables to purge them).

What each engine tests: both build with the audits only (``--audits-only``:
the data tests check the same SQL, at about a second each on Spark; on
DuckDB they run on these incremental runs in test_incremental_scoring.py
and test_write_audit_publish.py), so every audit, the publication, the
summary and the report run on both. The unit tests run on DuckDB elsewhere
in the suite.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.generate_demo_data import generate
from scripts.lead_scoring.report import CHARTS
from scripts.lead_scoring.spark_cluster import SparkCluster
from tests.e2e.harness import BIN, Project
from tests.e2e.scorecards import edited_shipped_rules

D1 = "2025-06-29"
D2 = "2025-06-30"
# Columns that hold when a run happened, not what it computed.
RUN_TIME_COLUMNS = {"scored_at", "synced_at", "detected_at", "updated_at", "staged_at"}
# The load position of a raw row: DuckDB counts from 1, Spark's
# monotonically_increasing_id from 0 (docs/spark.md).
ENGINE_COLUMNS = {"source_row_number"}
# Feeds of "this run's" rows: what a run sends (outboxes) and the report
# rows counted from them: a full refresh sends nothing the incremental runs
# already sent.
RUN_FEEDS = {"fct_lead_score_triggers", "fct_crm_lead_sync", "rpt_triggers_fired",
             "rpt_lead_outreach"}
RAW_FILES = (
    "leads", "lead_attributes", "events", "opportunities", "sales_activities",
    "campaigns", "consents", "erasure_requests",
)
# the fourth node of the killed run's build: its schemas exist, nothing is
# published. The run builds with one dbt thread, so it dies between two
# statements: a statement cut off under it would leave the test cluster's
# embedded Derby metastore broken (an interrupted Derby connection), which
# a cluster with a metastore database does not share.
KILLED_AT = "build:4"
# the longest either engine's sequence may take (seconds)
SEQUENCE_TIMEOUT = 1800
# the four incremental models, copied from the served build into the next
# every incremental model (dbt_client.incremental_models), by schema and name
INCREMENTAL = ("intermediate.int_lead_activity_days, marts.fct_crm_sync_log, "
               "marts.fct_lead_score_history, marts.fct_lead_score_trigger_log, "
               "staging.stg_crm__events")


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
        con.execute(f"create table requests as select * from read_parquet('{path}')")
        con.execute("insert into requests (lead_id, requested_at) values (?, ?)",
                    [lead_id, f"{D2} 08:00:00"])
        con.execute(f"copy requests to '{path}' (format parquet)")


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


# ------------------------------------------------------------ reading marts


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


Tables = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _table(rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    columns = sorted(set(rows[0]) - RUN_TIME_COLUMNS - ENGINE_COLUMNS) if rows else []
    return columns, sorted((tuple(_normal(row[c]) for c in columns) for row in rows),
                           key=_sort_key)


def _duckdb_tables(database: Path, schema: str, only: set[str] | None = None) -> Tables:
    """Every table of a schema of a DuckDB file: compared columns, sorted rows."""
    with duckdb.connect(str(database), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema]).fetchall()]
        tables = {}
        for name in names:
            if only is not None and name not in only:
                continue
            cursor = con.execute(f'select * from "{schema}"."{name}"')
            columns = [column[0] for column in cursor.description]
            tables[name] = _table([dict(zip(columns, row, strict=True))
                                   for row in cursor.fetchall()])
    return tables


def _spark_query(cluster: SparkCluster, sql: str) -> list[dict[str, Any]]:
    """Rows through the Thrift server (PyHive, as a BI tool reads), dates typed
    as DuckDB types them."""
    from pyhive import hive

    connection = hive.connect(host="127.0.0.1", port=cluster.thrift_port, username="tests")
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        if not cursor.description:
            return []
        names = [column[0] for column in cursor.description]
        dates = {column[0] for column in cursor.description if column[1] == "DATE_TYPE"}
        return [
            {name: dt.date.fromisoformat(value) if name in dates and value else value
             for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
    finally:
        connection.close()


def _spark_tables(cluster: SparkCluster, schema: str, only: set[str] | None = None) -> Tables:
    names = sorted(row["tableName"] for row in _spark_query(cluster, f"show tables in {schema}")
                   if not row["isTemporary"])
    return {name: _table(_spark_query(cluster, f"select * from {schema}.{name}"))
            for name in names if only is None or name in only}


def _differences(left: Tables, right: Tables, skip: set[str] = frozenset()) -> list[str]:
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
                same = abs(a - b) <= 0.01 if _is_number(a) and _is_number(b) else a == b
                if not same:
                    problems.append(f"{name}.{column}: {a!r} != {b!r} in {left_row}")
                    break
            if len(problems) > 20:
                return problems
    return problems


# ------------------------------------------------------------------ runs


class Run:
    """A finished subprocess and how long it took."""

    def __init__(self, result: subprocess.CompletedProcess[str], seconds: float) -> None:
        self.returncode = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.seconds = seconds

    def ok(self) -> Run:
        assert self.returncode == 0, f"{self.stdout[-6000:]}\n{self.stderr[-4000:]}"
        return self


def _process(project: Project, env: dict[str, str], command: list[str],
             failpoint: str | None = None) -> Run:
    run_env = dict(project.env)
    for name in ("LEAD_SCORING_FAILPOINT", "LEAD_SCORING_SCHEMA_PREFIX"):
        run_env.pop(name, None)
    run_env.update(env)
    if failpoint:
        run_env["LEAD_SCORING_FAILPOINT"] = failpoint
    started = time.monotonic()
    result = subprocess.run(command, cwd=project.path, env=run_env, capture_output=True,
                            text=True, timeout=1200)
    return Run(result, time.monotonic() - started)


def _pipeline(project: Project, env: dict[str, str], *args: str,
              failpoint: str | None = None) -> Run:
    """``scripts/pipeline.py`` of the project copy, in a process of its own."""
    return _process(project, env, [sys.executable, "scripts/pipeline.py", *args], failpoint)


def _day_run(batch: Path | None, day: str, *extra: str) -> list[str]:
    raw = ["--raw-from", str(batch)] if batch else []
    return ["run", *raw, "--as-of", day, "--history-days", "0", *extra]


def _duckdb_sequence(root: Path, batch1: Path, batch2: Path, erased_lead: str) -> dict[str, Any]:
    project = Project.copy(root / "duckdb")
    serving = project.path / "warehouse" / "serving" / project.database.name
    out: dict[str, Any] = {"seconds": {}}

    def erased_rows() -> int:
        with duckdb.connect(str(serving), read_only=True) as con:
            return con.execute("select count(*) from marts.fct_lead_score_history "
                               "where lead_id = ?", [erased_lead]).fetchone()[0]

    started = time.monotonic()
    _pipeline(project, {}, *_day_run(batch1, D1, "--no-summary", "--audits-only")).ok()
    out["erased_rows_before"] = erased_rows()
    _edit_scorecard(project)
    _pipeline(project, {}, *_day_run(batch2, D2, "--no-summary", "--audits-only")).ok()
    out["erased_rows_after"] = erased_rows()
    out["incremental"] = _duckdb_tables(serving, "marts")
    out["staged_incremental"] = _duckdb_tables(project.database, "staging", {"stg_crm__events"})
    out["kept_incremental"] = _duckdb_kept(project.database)
    project.dbt("run", "--full-refresh", "--vars", f"{{score_as_of: '{D2}'}}")
    out["kept_full_refresh"] = _duckdb_kept(project.database)
    out["full_refresh"] = _duckdb_tables(project.database, "marts")
    out["staged_full_refresh"] = _duckdb_tables(project.database, "staging",
                                                {"stg_crm__events"})
    out["seconds"]["duckdb: two runs and a full refresh"] = time.monotonic() - started
    return out


KEPT_COUNTS = (
    "select lead_id, rule_test, cast(activity_date as {text}) as activity_date, "
    "sum(activity_count) as n from {relation} where lead_id is not null "
    "group by lead_id, rule_test, activity_date"
)


def _kept_counts(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """int_lead_activity_days per lead, test and day (a run adds its own rows)."""
    return sorted((row["lead_id"], row["rule_test"], str(row["activity_date"]), int(row["n"]))
                  for row in rows)


def _duckdb_kept(database: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        cursor = con.execute(KEPT_COUNTS.format(
            text="varchar", relation="intermediate.int_lead_activity_days"))
        names = [column[0] for column in cursor.description]
        return _kept_counts([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])


def _edit_scorecard(project: Project) -> None:
    rules = project.read_seed("scorecard_rules")
    project.write_seed("scorecard_rules", edited_shipped_rules(rules))


def _current(cluster: SparkCluster) -> dict[str, Any]:
    rows = _spark_query(cluster, "select * from publication.current")
    assert len(rows) == 1, rows
    return rows[0]


def _spark_sequence(cluster: SparkCluster, root: Path, batch1: Path, batch2: Path,
                    erased_lead: str) -> dict[str, Any]:
    project = Project.copy(root / "spark", engine="spark_cluster")
    env = cluster.env()
    out: dict[str, Any] = {"seconds": {}}

    def erased_rows() -> int:
        return _spark_query(cluster, "select count(*) as n from marts.fct_lead_score_history "
                                     f"where lead_id = '{erased_lead}'")[0]["n"]

    first = _pipeline(project, env, *_day_run(batch1, D1, "--no-summary",
                                              "--audits-only")).ok()
    out["seconds"]["spark: run 1"] = first.seconds
    out["first"] = first.stdout
    out["erased_rows_before"] = erased_rows()
    out["publication_1"] = _current(cluster)

    # the raw tables of run 1 are still there: the killed run does not reload
    killed = _pipeline(project, {**env, "LEAD_SCORING_SPARK_THREADS": "1"},
                       *_day_run(None, D2, "--audits-only"), failpoint=KILLED_AT)
    out["seconds"]["spark: killed run"] = killed.seconds
    out["killed"] = killed
    out["after_kill"] = {
        "current": _current(cluster),
        "history_end": _spark_query(cluster, "select cast(max(score_date) as string) as d "
                                             "from marts.fct_lead_score_history")[0]["d"],
        "schemas": [row["namespace"] for row in _spark_query(cluster, "show databases")],
    }

    _edit_scorecard(project)
    second = _pipeline(project, env, *_day_run(batch2, D2, "--audits-only"))
    # what a run prints, kept beside the project copy to look at
    (project.path / "run_2.log").write_text(second.stdout + second.stderr, encoding="utf-8")
    second.ok()
    out["seconds"]["spark: run 2"] = second.seconds
    out["second"] = second.stdout
    out["report"] = project.path / "warehouse" / "report_spark_cluster.html"
    out["publication_2"] = _current(cluster)
    out["erased_rows_after"] = erased_rows()
    started = time.monotonic()
    out["incremental"] = _spark_tables(cluster, "marts")
    build = out["publication_2"]["build_schema"].removesuffix("marts")
    out["staged_incremental"] = _spark_tables(cluster, f"{build}staging", {"stg_crm__events"})
    out["kept_incremental"] = _kept_counts(_spark_query(cluster, KEPT_COUNTS.format(
        text="string", relation=f"{build}intermediate.int_lead_activity_days")))
    out["seconds"]["spark: reading the marts"] = time.monotonic() - started
    # the same two models built fresh from the same raw tables and the edited
    # scorecard, in schemas of their own
    fresh_env = {**env, "LEAD_SCORING_SCHEMA_PREFIX": "fresh_"}
    # (the seeds they read and the models, in one dbt process)
    fresh = _process(project, fresh_env,
                     [str(BIN / "dbt"), "build", "--select",
                      "+stg_crm__events +int_lead_activity_days",
                      "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
                      "--vars", f"{{score_as_of: '{D2}'}}"]).ok()
    out["seconds"]["spark: fresh staging and activity counts"] = fresh.seconds
    out["staged_full_refresh"] = _spark_tables(cluster, "fresh_staging", {"stg_crm__events"})
    out["kept_full_refresh"] = _kept_counts(_spark_query(cluster, KEPT_COUNTS.format(
        text="string", relation="fresh_intermediate.int_lead_activity_days")))
    return out


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("spark_cluster_parity")
    data = root / "data"
    generate(data, n_leads=250, events_per_lead=20, seed=7, end_date=dt.date(2025, 6, 30))
    batch1, batch2, new_events = _write_batches(data, root)
    erased_lead = _erasable_lead(batch1)
    _add_erasure(batch2, erased_lead)
    # DuckDB's runs while the cluster starts and works; each side in a thread
    # that the fixture stops waiting for after SEQUENCE_TIMEOUT, so that a
    # hung cluster fails the tests (and the session stops it) instead of
    # hanging them
    beside = ThreadPoolExecutor(max_workers=2)
    try:
        duck = beside.submit(_duckdb_sequence, root, batch1, batch2, erased_lead)
        started = time.monotonic()
        cluster: SparkCluster = request.getfixturevalue("spark_cluster")
        start = time.monotonic() - started
        spark = beside.submit(_spark_sequence, cluster, root, batch1, batch2,
                              erased_lead).result(timeout=SEQUENCE_TIMEOUT)
        spark["seconds"] = {"spark: cluster start": start, **spark["seconds"]}
        result = {"new_events": new_events, "erased_lead": erased_lead,
                  "duckdb": duck.result(timeout=SEQUENCE_TIMEOUT), "spark": spark}
    finally:
        beside.shutdown(wait=False, cancel_futures=True)
    for step, seconds in {**result["duckdb"]["seconds"], **spark["seconds"]}.items():
        print(f"{step:<40} {seconds:6.1f} s")
    return result


# ----------------------------------------------------------------- tests


def test_every_published_mart_is_equal_on_duckdb_and_the_cluster(
    engines: dict[str, Any],
) -> None:
    duck, spark = engines["duckdb"]["incremental"], engines["spark"]["incremental"]
    assert len(duck) >= 25, sorted(duck)
    assert set(duck) == set(spark)
    # the comparison has something to compare
    assert len(duck["fct_lead_scores"][1]) >= 400
    assert len(duck["fct_lead_score_contributions"][1]) >= 1000
    assert len(duck["fct_lead_score_history"][1]) >= 800
    assert len(duck["fct_quarantined_rows"][1]) >= 10
    # the half-open range bins of the scorecard edit scored leads on the cluster
    columns, rows = spark["fct_lead_score_contributions"]
    applied = {row[columns.index("rule_id")] for row in rows}
    assert {"size_below_50", "size_50_to_500", "size_from_500"} <= applied
    assert _differences(duck, spark) == []


def test_a_run_on_the_cluster_loads_builds_audits_publishes_and_summarises(
    engines: dict[str, Any],
) -> None:
    spark = engines["spark"]
    for step in ("1/5 raw data from", "2/5 dbt build (seeds, models, audits)",
                 "3/5 audits", "4/5 publication"):
        assert step in spark["first"]
    assert "loaded into target spark_cluster schema raw: leads " in spark["first"]
    for audit in ("every current lead scored by every scorecard",
                  "raw rows = usable + quarantined", "scores inside what the scorecard allows",
                  "band shares near the last publication"):
        assert f"  ok    {audit}\n" in spark["first"], audit
    assert spark["publication_1"]["publication_id"] == 1
    assert str(spark["publication_1"]["score_as_of"]) == D1
    assert spark["publication_1"]["build_schema"] == "lead_scoring_b1_marts"
    # the summary and the report of the second run, read from the build
    assert "5/5 summary" in spark["second"]
    assert "Leads per band" in spark["second"] and "Top 5 leads, scorecard default" in spark[
        "second"]
    assert f"Report: {spark['report']}" in spark["second"]
    page = spark["report"].read_text(encoding="utf-8")
    assert page.count('<section class="chart"') == len(CHARTS)


def test_a_killed_run_leaves_the_last_publication_served_and_the_next_run_recovers(
    engines: dict[str, Any],
) -> None:
    spark = engines["spark"]
    killed = spark["killed"]
    assert killed.returncode == -9, killed.stdout[-3000:]  # SIGKILL at the failpoint
    after = spark["after_kill"]
    assert after["current"]["publication_id"] == 1
    assert after["history_end"] == D1
    # the killed run had started its own build next to the served one ...
    assert "lead_scoring_b2_staging" in after["schemas"]
    # ... which the next run drops before building again, then publishes
    assert "discarded build 2 of an earlier run that did not publish" in spark["second"]
    assert spark["publication_2"]["publication_id"] == 2
    assert str(spark["publication_2"]["score_as_of"]) == D2


def test_the_second_daily_run_is_incremental(engines: dict[str, Any]) -> None:
    spark = engines["spark"]
    # the state a daily run adds to is carried from the served build ...
    assert f"from publication 1 ({INCREMENTAL} copied)" in spark["second"]
    # ... and the run scored only its own day, so day 1 comes from run 1
    columns, history = spark["incremental"]["fct_lead_score_history"]
    days = {str(row[columns.index("score_date")])[:10] for row in history}
    assert days == {D1, D2}


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
