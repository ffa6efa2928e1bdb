"""The orchestrator end to end, as a user runs it (a subprocess on a project copy)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.lead_scoring.report import CHARTS
from tests.e2e.harness import BIN, Project


def run_pipeline(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project.path / "scripts" / "pipeline.py"), "run", *args],
        cwd=project.path, env=project.env, capture_output=True, text=True, timeout=900,
    )


DEMO_ADJUSTMENTS = [
    {"adjustment_id": "a1", "lead_id": "L0000005", "action": "add", "points": "15",
     "effective_date": "2025-01-15", "reason": "Met at a trade show", "author": "maria"},
    {"adjustment_id": "a2", "lead_id": "L0000010", "scorecard_id": "default",
     "action": "exclude", "effective_date": "2025-01-01", "reason": "Existing customer",
     "author": "jordi"},
]


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project.copy(tmp_path_factory.mktemp("pipeline") / "project")
    project.write_seed("score_adjustments", DEMO_ADJUSTMENTS)
    return project


def test_first_run_loads_demo_data_builds_and_summarises(demo_project: Project) -> None:
    result = run_pipeline(demo_project, "--demo-leads", "300", "--as-of", "2025-06-30",
                          "--unit-tests")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "2/5 dbt build (seeds, models, unit and data tests)" in out
    assert "demo data loaded into test.duckdb schema raw: leads" in out
    assert "  ok    every current lead scored by every scorecard\n" in out
    # the ledger invariant is the dbt test on fct_lead_score_contributions:
    # it ran in the build and passed (the orchestrator's target folder,
    # target/pipeline: its own partial parse beside plain dbt's)
    results = json.loads(
        (demo_project.path / "target" / "pipeline" / "run_results.json").read_text())
    ledger = [r for r in results["results"]
              if r["unique_id"].startswith("test.lead_scoring.lead_scoring_sums_to_column_")]
    assert [r["status"] for r in ledger] == ["pass"]
    assert "Leads per band" in out and "  default (" in out and "  worked_example (" in out
    assert "Top 5 leads, scorecard default (top three reasons)" in out
    # one count per raw table: rows = usable + quarantined, the quarantined
    # split into erased leads' rows and unusable rows
    assert "Raw rows and quarantine" in out and "duplicate event_id" in out
    events = demo_project.query(
        "select * from marts.rpt_raw_table_reconciliation where source_table = 'events'")[0]
    assert events["row_count"] == events["usable_rows"] + events["quarantined_rows"]
    assert events["quarantined_rows"] == events["erased_rows"] + events["unusable_rows"]
    assert (f"  {'events':<16} {events['row_count']:>8,} rows = "
            f"{events['usable_rows']:>8,} usable + {events['quarantined_rows']:>6,} quarantined"
            in out)
    # a first run on fresh demo data back-fills its history, so the backtest
    # has decision-date scores and the summary shows each scorecard's AUC
    assert "no score history yet: back-filling 2024-03-31 to 2025-06-29 (456 days" in out
    days = demo_project.query(
        "select count(distinct score_date) as n from marts.fct_lead_score_history")[0]["n"]
    assert days == 457
    # triggers: the first run switches them on and fires nothing; the leads
    # already over a threshold are counted and left for --enroll-existing
    assert "Triggers fired by this run (marts.fct_lead_score_triggers)\n  none\n" in out
    assert "  First run: triggers are now switched on and fire for crossings" in out
    assert demo_project.query("select count(*) as n from marts.fct_lead_score_trigger_log"
                              )[0]["n"] == 0
    standing = demo_project.query(
        "select trigger_name, scorecard_id, count(*) as n "
        "from marts.fct_lead_score_trigger_standing group by all order by all")
    over_mql = demo_project.query(
        "select count(*) as n from marts.fct_lead_scores "
        "where scorecard_id = 'default' and band in ('mql', 'hot')")[0]["n"]
    assert {r["trigger_name"]: r["n"] for r in standing}["sales_ready"] == over_mql > 0
    for row in standing:
        assert (f"    {row['trigger_name']:<18} {row['scorecard_id']:<16} "
                f"{row['n']:>6,} of {row['n']:,} leads at or over it") in out
    assert "To send one trigger for each: `pipeline.py run --enroll-existing`" in out
    assert "Funnel (marts.fct_lead_funnel" in out
    assert "Scorecards against outcomes" in out
    auc = {row["scorecard_id"]: row["auc"] for row in demo_project.query(
        "select scorecard_id, auc from marts.agg_scorecard_comparison")}
    assert set(auc) == {"default", "worked_example"} and all(0 < a < 1 for a in auc.values())
    assert f"default          champion   AUC {auc['default']:.3f}" in out
    # the HTML report is written next to the warehouse and its path printed
    report = demo_project.database.parent / "report.html"
    assert f"Report: {report}" in out
    page = report.read_text(encoding="utf-8")
    assert page.count('<section class="chart"') == len(CHARTS) and f"{auc['default']:.3f}" in page
    scored = demo_project.query(
        "select count(*) as n, count(distinct lead_id) as leads from marts.fct_lead_scores"
    )[0]
    excluded = demo_project.query(
        "select count(*) as n from intermediate.int_lead_rule_contributions "
        "where entry_type = 'exclusion' and score_date = '2025-06-30'"
    )[0]["n"]
    # the adjustments written above take lead L0000010 out of the default scorecard
    assert excluded == 1
    adjusted = demo_project.query(
        "select adjustment_points from marts.fct_lead_scores where lead_id = 'L0000005'"
    )
    assert [float(row["adjustment_points"]) for row in adjusted] == [15.0, 15.0]
    assert scored["n"] == 2 * scored["leads"] - excluded and scored["leads"] > 250


def test_second_run_reuses_raw_and_dbt_build_alone_works(demo_project: Project) -> None:
    not_fired = {r["trigger_name"]: r["not_fired_count"] for r in demo_project.query(
        "select * from marts.rpt_trigger_standing")}
    # the audits only: the first run ran every data test on this data
    result = run_pipeline(demo_project, "--as-of", "2025-06-30", "--top", "2",
                          "--quarantine-warn-share", "0.001", "--enroll-existing",
                          "--audits-only")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "raw data found in test.duckdb schema raw" in result.stdout
    assert "Top 2 leads, scorecard default" in result.stdout
    # a warning, not a failure, names the source over the quarantine threshold,
    # with the summary's figures and words: unusable = quarantined - erased
    events = demo_project.query(
        "select * from marts.rpt_raw_table_reconciliation where source_table = 'events'")[0]
    assert events["erased_rows"] > 0
    assert "WARN  unusable share of each raw table under quarantine_warn_share: " in result.stdout
    assert (f"events: {events['unusable_rows']} of {events['row_count']} rows unusable "
            f"(over 0.1 %; {events['quarantined_rows']} quarantined, of which "
            f"{events['erased_rows']} of erased leads, set aside on purpose)") in result.stdout
    assert (f"{events['quarantined_rows']:>6,} quarantined: {events['unusable_rows']:,} "
            f"unusable") in result.stdout
    assert "quarantined = unusable + rows of erased leads (set aside on purpose)" in result.stdout
    # --enroll-existing: one firing for each lead the first run left unfired,
    # dated the day it went over; none left
    fired = {r["trigger_name"]: r["n"] for r in demo_project.query(
        "select trigger_name, count(*) as n from marts.fct_lead_score_trigger_log group by 1")}
    assert fired == not_fired and all(n > 0 for n in fired.values())
    assert demo_project.query(
        "select count(*) as n from marts.fct_lead_score_trigger_log as log "
        "join marts.fct_lead_score_trigger_standing as standing using "
        "(trigger_name, lead_id, scorecard_id) where log.crossed_on <> standing.over_since"
    )[0]["n"] == 0
    assert [r["not_fired_count"] for r in demo_project.query(
        "select * from marts.rpt_trigger_standing")] == [0, 0]
    assert ("Triggers fired by this run (marts.fct_lead_score_triggers, existing leads "
            "enrolled)") in result.stdout
    # an analytics engineer's plain `dbt build` finds the repository profile
    # and builds a scorecard model (of the same day: other days' bands would
    # fail the next run's audit)
    env = dict(demo_project.env)
    env.pop("DBT_PROFILES_DIR")
    build = subprocess.run([str(BIN / "dbt"), "build", "--vars",
                            "{score_as_of: '2025-06-30'}", "--select",
                            "int_scorecard_score_bounds", "--exclude-resource-type", "unit_test"],
                           cwd=demo_project.path, env=env, capture_output=True, text=True,
                           timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "OK created sql table model intermediate.int_scorecard_score_bounds" in (
        build.stdout)


def test_bad_as_of_cannot_run(tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    result = run_pipeline(project, "--as-of", "31/12/2025")
    assert result.returncode == 2
    assert "--as-of must be a date written YYYY-MM-DD" in result.stderr


def test_a_spark_target_refuses_the_duckdb_serving_file(tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    result = run_pipeline(project, "--target", "spark", "--serving", "bi.duckdb")
    assert result.returncode == 2
    assert ("--serving is for the DuckDB target; on spark BI reads the views of schema "
            "marts") in result.stderr
    assert not (project.path / "warehouse" / "test.duckdb").exists()


def test_an_unreachable_thrift_server_cannot_run(tmp_path: Path) -> None:
    # the pipeline on a cluster runs in tests/spark; here only its first step
    project = Project.copy(tmp_path / "project")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run(
        [sys.executable, str(project.path / "scripts" / "pipeline.py"), "run",
         "--target", "spark_cluster"], cwd=project.path, capture_output=True, text=True,
        env={**project.env, "LEAD_SCORING_SPARK_HOST": "127.0.0.1",
             "LEAD_SCORING_SPARK_PORT": str(port)}, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert (f"target spark_cluster: cannot reach the Thrift server at 127.0.0.1:{port}"
            in result.stderr)


def test_broken_scorecard_cannot_run(demo_project: Project, tmp_path: Path) -> None:
    # the pipeline's exit code and message for a contract error; every kind
    # of contract error is in tests/e2e/test_scorecard_validation.py and
    # test_bad_input.py
    project = Project.copy(tmp_path / "project")
    project.database.write_bytes(demo_project.database.read_bytes())
    rules = project.read_seed("scorecard_rules")
    rules[0]["operator"] = "equal"
    project.write_seed("scorecard_rules", rules)
    # the scorecard and what reads it: a whole build stops the same way,
    # after building the models that do not read the scorecard
    result = run_pipeline(project, "--as-of", "2025-06-30", "--select", "scorecard_rules+")
    assert result.returncode == 2, result.stdout + result.stderr
    assert ("scorecard_rules.csv: scorecard default, rule title_exec: unknown operator"
            in result.stderr)


def test_failing_test_exits_1(demo_project: Project, tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    project.database.write_bytes(demo_project.database.read_bytes())
    markets = project.seed_path("country_markets")
    # a second row for country code US, without a market: the seed's unique
    # test and its not-null test fail
    markets.write_text(
        markets.read_text(encoding="utf-8")
        + "US,Estados Unidos,,America/Chicago,USD,opt_out\n",
        encoding="utf-8",
    )
    # the seed and, as in every run, the audits: the failing test alone
    # stops the publication
    result = run_pipeline(project, "--as-of", "2025-06-30", "--select", "country_markets")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unique_country_markets_country_code" in result.stderr
    # each failure with its first failing rows: which key, which column
    assert "failing rows of unique_country_markets_country_code" in result.stderr
    assert "unique_field='US', n_records=2" in result.stderr
    assert "column_name='market', null_rows=1" in result.stderr
    assert "Nothing was published" in result.stderr


def test_backfill_and_history_commands(demo_project: Project) -> None:
    result = subprocess.run(
        [sys.executable, str(demo_project.path / "scripts" / "pipeline.py"), "backfill",
         "--from", "2025-06-20", "--to", "2025-06-25"],
        cwd=demo_project.path, env=demo_project.env, capture_output=True, text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2025-06-20 to 2025-06-25 (6 days" in result.stdout
    # a range that ends before the served as-of date is rebuilt through it:
    # today's scores are the history's last day and stay as of that day
    assert "rebuilt through 2025-06-30, the as-of date of the last publication" in result.stdout
    as_of = demo_project.query("select distinct score_as_of from marts.fct_lead_scores")
    assert [str(row["score_as_of"]) for row in as_of] == ["2025-06-30"]
    days = demo_project.query(
        "select count(distinct score_date) as n from marts.fct_lead_score_history "
        "where score_date between '2025-06-20' and '2025-06-30'"
    )[0]["n"]
    assert days == 11
    lead = demo_project.query(
        "select lead_id from marts.fct_lead_score_history order by total_score desc limit 1"
    )[0]["lead_id"]
    shown = subprocess.run(
        [sys.executable, str(demo_project.path / "scripts" / "pipeline.py"), "history",
         "--lead", lead, "--scorecard", "default"],
        cwd=demo_project.path, env=demo_project.env, capture_output=True, text=True,
        timeout=900,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert f"Score history of lead {lead}" in shown.stdout
    first_day = demo_project.query(
        "select min(score_date) as day from marts.fct_lead_score_history "
        f"where lead_id = '{lead}' and scorecard_id = 'default'"
    )[0]["day"]
    assert f"{first_day}  default" in shown.stdout and "Band changes" in shown.stdout


def test_semantic_layer_validates_and_docs_generate(demo_project: Project) -> None:
    """MetricFlow accepts the semantic models and metrics, also against the
    warehouse (every measure, dimension and metric queried), and dbt docs
    build with the overview page and the exposures."""
    validated = subprocess.run(
        [str(BIN / "mf"), "validate-configs"], cwd=demo_project.path, env=demo_project.env,
        capture_output=True, text=True, timeout=900,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in validated.stdout
    queried = subprocess.run(
        [str(BIN / "mf"), "query", "--metrics", "leads,customers", "--group-by",
         "funnel_cohort__market"], cwd=demo_project.path, env=demo_project.env,
        capture_output=True, text=True, timeout=900,
    )
    assert queried.returncode == 0, queried.stdout + queried.stderr
    leads = {row["market"]: row["n"] for row in demo_project.query(
        "select market, sum(lead_count) as n from marts.agg_funnel_kpis_monthly "
        "group by market")}
    for market, count in leads.items():
        assert any(line.split()[:2] == [market, str(count)]
                   for line in queried.stdout.splitlines()), (market, queried.stdout)
    docs = subprocess.run(
        [str(BIN / "dbt"), "docs", "generate"], cwd=demo_project.path, env=demo_project.env,
        capture_output=True, text=True, timeout=900,
    )
    assert docs.returncode == 0, docs.stdout + docs.stderr
    manifest = (demo_project.path / "target" / "manifest.json").read_text(encoding="utf-8")
    assert "Lead scoring in the warehouse" in manifest  # the __overview__ docs block
    assert "exposure.lead_scoring.crm_reverse_etl" in manifest
    assert (demo_project.path / "target" / "catalog.json").exists()


def test_backtest_metrics_match_a_brute_force_computation(demo_project: Project) -> None:
    """On the demo data: AUC as the share of (converted, not converted) pairs the
    scorecard orders right (ties half), and precision/recall/F1 at the
    recommended best-F1 threshold, recomputed in Python from the backtest rows."""
    rows = demo_project.query(
        "select scorecard_id, total_score, is_converted from marts.fct_scorecard_backtest_leads "
        "where backtest_status = 'in backtest'")
    metrics = {row["scorecard_id"]: row for row in demo_project.query(
        "select comparison.scorecard_id, comparison.auc, best.threshold, best.f1, "
        "best.expected_conversion_rate, best.recall "
        "from marts.agg_scorecard_comparison as comparison "
        "join marts.agg_scorecard_threshold_recommendations as best "
        "on comparison.scorecard_id = best.scorecard_id "
        "and best.market = 'all' and best.recommendation = 'best_f1'")}
    assert set(metrics) == {"default", "worked_example"}
    for scorecard, expected in metrics.items():
        scores = [(float(r["total_score"]), r["is_converted"]) for r in rows
                  if r["scorecard_id"] == scorecard]
        positives = [s for s, converted in scores if converted]
        negatives = [s for s, converted in scores if not converted]
        assert positives and negatives
        wins = sum(1.0 if p > n else 0.5 if p == n else 0.0
                   for p in positives for n in negatives)
        assert float(expected["auc"]) == pytest.approx(wins / (len(positives) * len(negatives)))
        threshold = float(expected["threshold"])
        predicted = [converted for s, converted in scores if s >= threshold]
        true_positives = sum(predicted)
        precision = true_positives / len(predicted)
        recall = true_positives / len(positives)
        assert float(expected["expected_conversion_rate"]) == pytest.approx(precision)
        assert float(expected["recall"]) == pytest.approx(recall)
        assert float(expected["f1"]) == pytest.approx(2 * precision * recall
                                                      / (precision + recall))
        # and no whole-number threshold does better
        best = 0.0
        for candidate in {int(s // 1) for s, _ in scores}:
            chosen = [c for s, c in scores if s >= candidate]
            tp = sum(chosen)
            if tp:
                best = max(best, 2 * tp / (len(chosen) + len(positives)))
        assert float(expected["f1"]) == pytest.approx(best)
