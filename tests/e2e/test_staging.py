"""Staging that costs what the data needs, checked against itself:

- raw columns that arrive typed (timestamps, timestamps with time zone,
  numbers, booleans) are used without text parsing, and stage exactly what
  the same values give as text;
- the incremental event staging finds new rows past a load watermark when
  the raw table only grows, by content (row_hash) otherwise, and both paths,
  and a full refresh, stage the same rows; a reload in another order falls
  back to the content path and stages nothing twice.
"""

from __future__ import annotations

import csv
import random
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.generate_demo_data import generate
from scripts.load_raw import ALL_TABLES
from tests.e2e.harness import Project

# The typed copy of each raw table: column -> DuckDB type. Every other
# column stays text. occurred_at and sales touches' occurred_at arrive with
# their time zone; the rest as plain UTC timestamps.
TYPED: dict[str, dict[str, str]] = {
    "leads": {"employee_count": "BIGINT", "annual_revenue": "DOUBLE",
              "is_deleted": "BOOLEAN", "created_at": "TIMESTAMP",
              "updated_at": "TIMESTAMP"},
    "lead_attributes": {"updated_at": "TIMESTAMP"},
    "events": {"occurred_at": "TIMESTAMPTZ"},
    "opportunities": {"amount": "DOUBLE", "is_won": "BOOLEAN", "is_closed": "BOOLEAN",
                      "created_at": "TIMESTAMP", "closed_at": "TIMESTAMP",
                      "updated_at": "TIMESTAMP"},
    "sales_activities": {"occurred_at": "TIMESTAMPTZ"},
    "campaigns": {"spend": "DOUBLE", "started_at": "TIMESTAMP", "ended_at": "TIMESTAMP"},
    "consents": {"recorded_at": "TIMESTAMP"},
    "erasure_requests": {"requested_at": "TIMESTAMP"},
}
STAGED = ["stg_crm__leads", "stg_crm__lead_attributes", "stg_crm__events",
          "stg_crm__opportunities", "stg_crm__sales_activities", "stg_crm__campaigns",
          "stg_crm__consents", "stg_crm__erasure_requests"]
# internal keys of the incremental staging: a hash of the raw values' text,
# which differs between a typed value and the text it came from; and when
# the run that staged a row started
NOT_COMPARED = {"row_hash", "row_occurrence", "staged_at"}

ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?)?")
WHOLE = re.compile(r"-?\d+(\.0+)?")
DECIMAL = re.compile(r"-?\d+(\.\d*[1-9])?|-?\d+\.0+")
BOOLEANS = {"true": True, "t": True, "yes": True, "y": True, "1": True,
            "false": False, "f": False, "no": False, "n": False, "0": False}
WHITE = " \t\n\r\x0b\x0c"


class Unparseable(ValueError):
    pass


def typed_value(text: str | None, data_type: str) -> Any:
    """The value a typed export would hold for this text (SCORING_SPEC:
    offsets are converted to UTC, text without one is UTC); Unparseable
    when a typed column could not hold it."""
    value = (text or "").strip(WHITE)
    if value == "":
        return None
    if data_type.startswith("TIMESTAMP"):
        if not ISO.fullmatch(value):
            raise Unparseable(value)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise Unparseable(value) from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        return moment if data_type == "TIMESTAMPTZ" else moment.replace(tzinfo=None)
    if data_type == "BIGINT":
        if not WHOLE.fullmatch(value):
            raise Unparseable(value)
        return int(float(value))
    if data_type == "DOUBLE":
        if not DECIMAL.fullmatch(value) or abs(float(value)) >= 1e15:
            raise Unparseable(value)
        return float(value)
    if data_type == "BOOLEAN":
        if value.lower() not in BOOLEANS:
            raise Unparseable(value)
        return BOOLEANS[value.lower()]
    raise AssertionError(data_type)


def read_table(folder: Path, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    with duckdb.connect() as con:
        cursor = con.execute(f"select * from read_parquet('{folder / table}.parquet')")
        names = [column[0] for column in cursor.description]
        return names, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def write_text_and_typed(source: Path, text_dir: Path, typed_db: Path) -> dict[str, int]:
    """The rows of every demo table whose typed columns a typed export could
    hold: as CSV text files (text_dir) and as typed tables (typed_db)."""
    text_dir.mkdir(parents=True)
    kept: dict[str, int] = {}
    with duckdb.connect(str(typed_db)) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema raw")
        for table in ALL_TABLES:
            if not (source / f"{table}.parquet").exists():
                continue
            names, rows = read_table(source, table)
            types = TYPED.get(table, {})
            text_rows, typed_rows = [], []
            for row in rows:
                try:
                    typed = {name: typed_value(row[name], types[name]) if name in types
                             else row[name] for name in names}
                except Unparseable:
                    continue
                text_rows.append(row)
                typed_rows.append([typed[name] for name in names])
            with (text_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
                writer.writeheader()
                writer.writerows({k: ("" if v is None else v) for k, v in r.items()}
                                 for r in text_rows)
            columns = ", ".join(f'"{n}" {types.get(n, "VARCHAR")}' for n in names)
            con.execute(f'create table raw."{table}" ({columns})')
            if typed_rows:
                marks = ", ".join("?" for _ in names)
                con.executemany(f'insert into raw."{table}" values ({marks})', typed_rows)
            kept[table] = len(typed_rows)
    return kept


def staged_rows(project: Project, model: str) -> list[tuple[Any, ...]]:
    columns = [row["column_name"] for row in project.query(
        "select column_name from information_schema.columns "
        f"where table_schema = 'staging' and table_name = '{model}' order by ordinal_position"
    ) if row["column_name"] not in NOT_COMPARED]
    listed = ", ".join(f'"{c}"' for c in columns)
    return [tuple(row.values()) for row in project.query(
        f"select {listed} from staging.{model} order by source_row_number"
    )]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("staging") / "data"
    generate(data, n_leads=150, events_per_lead=20, seed=23, end_date=date(2025, 6, 30))
    return data


def test_typed_raw_columns_stage_like_their_text(demo: Path, tmp_path: Path) -> None:
    text = Project.copy(tmp_path / "text")
    typed = Project.copy(tmp_path / "typed")
    kept = write_text_and_typed(demo, tmp_path / "text_files", typed.database)
    assert kept["events"] > 2000 and kept["leads"] > 150
    text.load_raw(tmp_path / "text_files", crm=True)
    column_types = {
        (row["table_name"], row["column_name"]): row["data_type"] for row in typed.query(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'raw'"
        )
    }
    assert column_types[("events", "occurred_at")] == "TIMESTAMP WITH TIME ZONE"
    assert column_types[("leads", "employee_count")] == "BIGINT"
    assert column_types[("opportunities", "is_won")] == "BOOLEAN"
    selection = ("--select", "staging", "--vars", "{score_as_of: '2025-06-30'}")
    text.dbt("run", *selection)
    typed.dbt("run", *selection)
    # the typed build parses no timestamp text: no offset regex in its SQL
    compiled = Path("target/compiled/lead_scoring/models/staging/crm/stg_crm__events.sql")
    assert "regexp_matches" in (text.path / compiled).read_text()
    assert "regexp_matches" not in (typed.path / compiled).read_text()
    compiled_leads = (typed.path / compiled.with_name("stg_crm__leads.sql")).read_text()
    assert "regexp_full_match" not in compiled_leads  # numbers are not parsed from text
    for model in STAGED:
        text_rows = staged_rows(text, model)
        assert text_rows, model
        assert staged_rows(typed, model) == text_rows, model


# ------------------------------------------------ the load watermark and the hash path

EVENT_BATCH_SPLIT = 0.7


def events_project(root: Path, demo: Path) -> Project:
    project = Project.copy(root)
    project.load_raw(demo, crm=True)
    with duckdb.connect(str(project.database)) as con:
        # the export of day 1: the first 70 % of the events; nobody erased yet
        con.execute("create table raw.all_events as select * from raw.events")
        first = int(con.execute("select count(*) from raw.events").fetchone()[0]
                    * EVENT_BATCH_SPLIT)
        con.execute(f"create or replace table raw.events as "
                    f"select * from raw.all_events limit {first}")
        con.execute("create table raw.all_erasure_requests as "
                    "select * from raw.erasure_requests")
        con.execute("delete from raw.erasure_requests")
    return project


def stage_events(project: Project, watermark: bool, *extra: str) -> str:
    flag = "true" if watermark else "false"
    result = project.dbt("run", "--select", "+stg_crm__events", *extra, "--vars",
                         f"{{score_as_of: '2025-06-30', stage_by_load_watermark: {flag}}}")
    return result.stdout


def grow_events(project: Project) -> None:
    """Day 2: the rest of the events appended (the raw table only grows),
    with an exact copy of an early row, and two leads with day-1 events
    asking to be erased."""
    with duckdb.connect(str(project.database)) as con:
        staged = con.execute("select count(*) from raw.events").fetchone()[0]
        con.execute(f"insert into raw.events select * from raw.all_events offset {staged}")
        con.execute("insert into raw.events select * from raw.all_events limit 1 offset 10")
        con.execute("""
            insert into raw.erasure_requests (lead_id, requested_at)
            select lead_id, '2025-06-30 08:00:00'
            from (select distinct trim(lead_id) as lead_id from raw.events
                  where trim(lead_id) <> '' order by 1 limit 2)
        """)


def all_staged_events(project: Project) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in project.query(
        "select * exclude (staged_at) from staging.stg_crm__events "
        "order by source_row_number, row_occurrence"
    )]


def test_watermark_and_hash_paths_stage_the_same_rows(demo: Path, tmp_path: Path) -> None:
    by_watermark = events_project(tmp_path / "watermark", demo)
    by_hash = events_project(tmp_path / "hash", demo)
    for project, watermark in ((by_watermark, True), (by_hash, False)):
        first_log = stage_events(project, watermark)
        assert "load watermark" not in first_log  # a first build stages everything
        grow_events(project)
    assert "new raw rows after load position" in stage_events(by_watermark, True)
    assert "new raw rows found by content (row_hash)" in stage_events(by_hash, False)
    watermark_rows = all_staged_events(by_watermark)
    assert watermark_rows == all_staged_events(by_hash)
    # each run's rows carry the time it started (int_lead_activity_days
    # reads the rows staged after the ones it counted)
    runs = by_watermark.query(
        "select count(distinct staged_at) as n, count(staged_at) as staged "
        "from staging.stg_crm__events")[0]
    assert runs["n"] == 2 and runs["staged"] == len(watermark_rows)
    # and both equal a full refresh of the grown table
    stage_events(by_hash, False, "--full-refresh")
    assert watermark_rows == all_staged_events(by_hash)

    staged = by_watermark.query("""
        select
            count(*) as staged_rows,
            count(*) filter (where quarantine_reason = 'erasure requested') as erased,
            count(*) filter (where event_type is not null
                             and quarantine_reason = 'erasure requested') as unmasked,
            max(row_occurrence) as most_copies
        from staging.stg_crm__events
    """)[0]
    raw_rows = by_watermark.query("select count(*) as n from raw.events")[0]["n"]
    assert staged["staged_rows"] == raw_rows
    assert staged["erased"] > 0 and staged["unmasked"] == 0
    assert staged["most_copies"] >= 2  # the copy of row 11 is its second occurrence


def test_a_reload_in_another_order_falls_back_to_the_content_hash(
    demo: Path, tmp_path: Path
) -> None:
    project = events_project(tmp_path / "reload", demo)
    stage_events(project, True)
    before = {row[1:3] for row in all_staged_events(project)}
    with duckdb.connect(str(project.database)) as con:
        rows = con.execute("select * from raw.events").fetchall()
        random.Random(7).shuffle(rows)
        marks = ", ".join("?" for _ in rows[0])
        con.execute("delete from raw.events")
        con.executemany(f"insert into raw.events values ({marks})", rows)
    log = stage_events(project, True)
    assert "new raw rows found by content (row_hash)" in log
    after = {row[1:3] for row in all_staged_events(project)}
    assert after == before  # the same rows, none staged twice
    assert len(all_staged_events(project)) == len(rows)
