"""Incremental scoring: daily runs that read only the new events and the kept
per-lead state (int_lead_activity_days) give what a full refresh gives.

A chain of daily runs on generated demo data (all CRM tables, so consents
and erasures are real):

1. D1: the events without the ones that arrive later;
2. D2: the events of D2 and late ones (dated weeks before D1) appended, an
   erasure request for a lead scored on D1, a marketing consent withdrawal
   that arrives only now, and a scorecard edit (one rule's test changed,
   one rule added, one dropped, half-open range bins added);
3. D3: a few events of D3; then the same run again, which adds nothing.

Then ``--full-refresh`` as of D3 must give the same kept counts (summed per
lead, test and day: a run adds its own rows) and the same scores, ledger
and contributions. The Spark side of this check is in tests/spark/test_spark_cluster.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pytest

from scripts.generate_demo_data import generate
from tests.e2e.harness import Project
from tests.e2e.scorecards import edited_shipped_rules

D1, D2, D3 = "2025-06-29", "2025-06-30", "2025-07-01"
SCORING = ("--select", "+fct_lead_scores +fct_lead_score_contributions")
# the data tests of the selected models only (not the audits that read
# marts outside the selection)
CAUTIOUS = ("--indirect-selection", "cautious")
# the raw text of an event's UTC day, for picking rows (offsets are rare in
# the demo data and only move a handful of rows across midnight)
EVENT_DAY = "try_cast(left(trim(occurred_at), 10) as date)"
LATE_SHARE = 40  # one event in this many, of those before June, arrives late


def kept_counts(project: Project) -> dict[tuple[str, str, date], int]:
    return {
        (row["lead_id"], row["rule_test"], row["activity_date"]): row["n"]
        for row in project.query("""
            select lead_id, rule_test, activity_date, sum(activity_count) as n
            from intermediate.int_lead_activity_days
            where lead_id is not null
            group by all
        """)
    }


def rows(project: Project, query: str) -> list[tuple[Any, ...]]:
    """The rows, sorted, floats to 9 decimals (the last bits of a sum
    depend on the order it adds)."""
    return [
        tuple(round(v, 9) if isinstance(v, float) else v for v in row.values())
        for row in project.query(f"{query} order by all")
    ]


def scoring_outputs(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "fct_lead_scores": rows(
            project, "select * exclude (scored_at) from marts.fct_lead_scores"),
        "fct_lead_score_contributions": rows(
            project, "select * from marts.fct_lead_score_contributions"),
        "int_lead_rule_contributions": rows(
            project, "select * from intermediate.int_lead_rule_contributions "
                     f"where score_date = '{D3}'"),
    }


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("incremental_scoring")
    data = root / "data"
    generate(data, n_leads=200, events_per_lead=20, seed=11, end_date=date(2025, 6, 30))
    project = Project.copy(root / "project")
    project.load_raw(data, crm=True)
    out: dict[str, Any] = {}
    with duckdb.connect(str(project.database)) as con:
        con.execute("create table raw.all_events as "
                    "select *, row_number() over () as load_position from raw.events")
        con.execute(f"""
            create table raw.later_events as
            select * from raw.all_events
            where {EVENT_DAY} = date '{D2}'
               or ({EVENT_DAY} < date '2025-06-01'
                   and hash(event_id) % {LATE_SHARE} = 0)
        """)
        out["late_events"] = con.execute(
            f"select count(*) from raw.later_events where {EVENT_DAY} < date '{D1}'"
        ).fetchone()[0]
        con.execute("""
            create or replace table raw.events as
            select * exclude (load_position) from raw.all_events
            where load_position not in (select load_position from raw.later_events)
            order by load_position
        """)
        # the erased lead: the one with the most events, not erased yet
        out["erased_lead"] = con.execute("""
            select trim(lead_id) from raw.events
            where trim(lead_id) not in (
                select coalesce(trim(lead_id), '') from raw.erasure_requests)
            group by 1 order by count(*) desc, 1 limit 1
        """).fetchone()[0]
        # the lead whose marketing withdrawal arrives on D2: its consent rows
        # are held back until then
        out["withdrawn_lead"] = con.execute("""
            select events.lead_id
            from raw.consents
            inner join (select trim(lead_id) as lead_id, count(*) as n
                        from raw.events group by 1) as events
                on trim(consents.lead_id) = events.lead_id
            where lower(trim(purpose)) = 'marketing' and lower(trim(status)) = 'withdrawn'
              and events.lead_id <> ?
            group by events.lead_id, events.n order by events.n desc, 1 limit 1
        """, [out["erased_lead"]]).fetchone()[0]
        con.execute("create table raw.later_consents as select * from raw.consents "
                    "where trim(lead_id) = ?", [out["withdrawn_lead"]])
        con.execute("delete from raw.consents where trim(lead_id) = ?", [out["withdrawn_lead"]])

    project.build(D1, *SCORING, *CAUTIOUS)
    out["erased_rows_d1"] = project.query(
        "select count(*) as n from intermediate.int_lead_activity_days "
        f"where lead_id = '{out['erased_lead']}'")[0]["n"]

    with duckdb.connect(str(project.database)) as con:
        con.execute("insert into raw.events select * exclude (load_position) "
                    "from raw.later_events order by load_position")
        con.execute("insert into raw.consents select * from raw.later_consents")
        con.execute("insert into raw.erasure_requests (lead_id, requested_at) values (?, ?)",
                    [out["erased_lead"], f"{D2} 08:00:00"])
    project.write_seed("scorecard_rules",
                       edited_shipped_rules(project.read_seed("scorecard_rules")))
    out["log_d2"] = project.build(D2, *SCORING, *CAUTIOUS).stdout

    with duckdb.connect(str(project.database)) as con:
        con.execute(f"""
            insert into raw.events
            select 'D3_' || event_id, lead_id, event_type, '{D3} 10:00:00', page_path,
                content_type, campaign_id, email_id
            from raw.events where hash(event_id) % 50 = 0
        """)
    out["log_d3"] = project.build(D3, *SCORING, *CAUTIOUS).stdout
    count_rows = ("select count(*) filter (where lead_id is not null) as counts, "
                  "count(*) filter (where lead_id is null) as markers "
                  "from intermediate.int_lead_activity_days")
    out["kept_rows_d3"] = project.query(count_rows)[0]
    project.build(D3, *SCORING, *CAUTIOUS)
    out["kept_rows_rerun"] = project.query(count_rows)[0]
    out["tests"] = project.query("select count(distinct rule_test) as n "
                                 "from intermediate.int_lead_activity_days")[0]["n"]
    out["unscored_withdrawn"] = project.query(
        "select count(*) as n from intermediate.int_activities_consented "
        f"where lead_id = '{out['withdrawn_lead']}' and not is_scored")[0]["n"]

    out["chain_counts"] = kept_counts(project)
    out["chain_tests"] = {row["rule_test"] for row in project.query(
        "select distinct rule_test from intermediate.int_lead_activity_days")}
    out["chain"] = scoring_outputs(project)
    project.dbt("run", "--full-refresh", *SCORING, "--vars", f"{{score_as_of: '{D3}'}}")
    out["full_counts"] = kept_counts(project)
    out["full_tests"] = {row["rule_test"] for row in project.query(
        "select distinct rule_test from intermediate.int_lead_activity_days")}
    out["full"] = scoring_outputs(project)
    return out


def test_the_chain_had_every_kind_of_change(chain: dict[str, Any]) -> None:
    assert chain["late_events"] >= 20
    assert chain["erased_rows_d1"] > 0
    assert chain["unscored_withdrawn"] > 0, "the withdrawal arriving on D2 matters"
    log = chain["log_d2"]
    assert "2 activity tests new since the last run" in log
    assert "page_view where page_path contains pricing" in log
    assert "page_view where page_path starts_with /blog" in log
    # the tests of the dropped rule and of pricing_page before its edit
    assert "2 activity tests no rule uses any more: their counts are deleted" in log
    assert "no rule uses any more" not in chain["log_d3"]
    assert "count the events staged after" in chain["log_d3"]


def test_a_rerun_without_new_events_adds_nothing(chain: dict[str, Any]) -> None:
    before, after = chain["kept_rows_d3"], chain["kept_rows_rerun"]
    assert after["counts"] == before["counts"]
    assert after["markers"] == before["markers"] + chain["tests"]  # one per test and run


def test_full_refresh_keeps_the_counts_of_the_chain(chain: dict[str, Any]) -> None:
    assert len(chain["full_counts"]) > 2000
    assert chain["chain_counts"] == chain["full_counts"]
    assert chain["chain_tests"] == chain["full_tests"]
    assert not any(lead == chain["erased_lead"] for lead, _, _ in chain["chain_counts"])


def test_full_refresh_scores_like_the_chain(chain: dict[str, Any]) -> None:
    for name, full_rows in chain["full"].items():
        assert len(full_rows) > 300, name
        assert chain["chain"][name] == full_rows, name
