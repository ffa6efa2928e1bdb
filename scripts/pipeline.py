"""Run the lead-scoring pipeline: load demo data if needed, build, validate, summarise.

    python scripts/pipeline.py run [--as-of YYYY-MM-DD] [--select SELECTOR]
                                   [--target duckdb] [--top 5] [--demo-leads 2000]
    python scripts/pipeline.py backfill --from YYYY-MM-DD [--to YYYY-MM-DD] [--full-refresh]
    python scripts/pipeline.py history --lead LEAD_ID [--scorecard default]

Steps, one dbt invocation at a time through ``dbtRunner``:

1. raw data: when the raw tables are missing or empty (DuckDB target), demo
   data is generated (``scripts/generate_demo_data.py``) and loaded into
   schema ``raw``;
2. ``dbt build``: seeds (the scorecard), models, unit and data tests;
3. validations that dbt tests cannot easily say: every current lead scored
   by every scorecard, ledgers that add up to the scores, the quarantined
   share of each raw table under ``--quarantine-warn-share`` (a warning);
4. a summary: leads per band per scorecard, the top leads with their top
   three reasons, the triggers fired, and what was quarantined.

A daily ``run`` adds its as-of date to the score history; when earlier days
are missing since the last run, it scores them too (``history_start``).
``backfill`` rebuilds the history (and band changes) for a date range
without touching the current marts or firing triggers. ``history`` prints
one lead's daily scores and band changes.

Exit codes: 0 success, 1 a test or validation failed, 2 the pipeline could
not run (bad arguments, no raw data, a dbt or scorecard error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXIT_OK, EXIT_FAILED, EXIT_CANNOT_RUN = 0, 1, 2
# a daily run fills at most this many missed days; longer gaps need a backfill
MAX_GAP_DAYS = 366
# the first run on freshly generated demo data back-fills its 15 months
DEMO_HISTORY_DAYS = 456


class PipelineError(Exception):
    """The pipeline cannot run; the message says what and where."""


@dataclass
class Check:
    name: str
    severity: str  # error or warn
    failures: int
    detail: str


@dataclass
class BuildOutcome:
    errors: list[str] = field(default_factory=list)
    test_failures: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{count} {status}" for status, count in sorted(self.counts.items()))

    def report(self) -> int | None:
        """Print the counts and what went wrong; EXIT_CANNOT_RUN on build errors."""
        print(f"  {self.summary()}", flush=True)
        if self.errors:
            print("dbt could not build:", file=sys.stderr)
            for error in self.errors:
                print(f"  {error}", file=sys.stderr)
            return EXIT_CANNOT_RUN
        if self.test_failures:
            print("dbt tests failed:", file=sys.stderr)
            for failure in self.test_failures:
                print(f"  {failure}", file=sys.stderr)
        return None


def duckdb_path() -> Path:
    """The DuckDB file of the repository profile (env LEAD_SCORING_DUCKDB_PATH)."""
    path = Path(os.environ.get("LEAD_SCORING_DUCKDB_PATH", "warehouse/lead_scoring.duckdb"))
    return path if path.is_absolute() else ROOT / path


class Dbt:
    """dbt through dbtRunner, one invocation at a time, from the project folder."""

    def __init__(self, target: str | None, dbt_vars: dict[str, Any], verbose: bool) -> None:
        from dbt.cli.main import dbtRunner

        self.target = target
        self.vars = dbt_vars
        self.verbose = verbose
        self.progress = 0
        self.runner = dbtRunner(callbacks=[self._on_event])

    def _common(self) -> list[str]:
        args = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
        if self.target:
            args += ["--target", self.target]
        if self.vars:
            args += ["--vars", json.dumps(self.vars)]
        return args

    def _on_event(self, event: Any) -> None:
        if event.info.name != "NodeFinished":
            return
        info = event.data.node_info
        self.progress += 1
        status = info.node_status
        mark = {"success": "ok", "pass": "ok"}.get(status, status)
        if self.verbose or mark != "ok" or self.progress % 25 == 0:
            print(f"  [{self.progress:>3}] {mark:<7} {info.resource_type:<9} {info.node_name}",
                  flush=True)

    def invoke(self, command: list[str]) -> Any:
        log = [] if self.verbose else ["--log-level", "none"]
        result = self.runner.invoke([*command, *self._common(), *log])
        if result.exception is not None:
            raise PipelineError(f"dbt {command[0]} could not run: {result.exception}")
        return result

    def build(self, select: str | None) -> BuildOutcome:
        command = ["build"]
        if select:
            command += ["--select", select]
        return self.build_command(command)

    def build_command(self, command: list[str]) -> BuildOutcome:
        self.progress = 0
        result = self.invoke(command)
        outcome = BuildOutcome()
        for node_result in result.result.results if result.result else []:
            status = str(node_result.status)
            outcome.counts[status] = outcome.counts.get(status, 0) + 1
            node = node_result.node
            where = f"{node.resource_type} {node.name}"
            if status == "error":
                outcome.errors.append(f"{where}: {node_result.message}")
            elif status == "fail":
                outcome.test_failures.append(f"{where}: {node_result.message}")
        return outcome

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Rows of an inline query (refs and sources resolved by dbt)."""
        result = self.invoke(["show", "--inline", sql, "--limit", "100000"])
        if not result.success:
            raise PipelineError(f"query failed: {result.result}")
        table = result.result.results[0].agate_table
        return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


def ensure_raw_data(schema: str, demo_leads: int, demo_seed: int, as_of: date) -> str:
    """Load demo data into the raw schema when the raw tables are missing or empty."""
    from scripts.generate_demo_data import generate
    from scripts.load_raw import load_raw_tables, raw_row_counts

    database = duckdb_path()
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
    from scripts.generate_demo_data import FILES

    demo_dir = database.parent / "demo" / f"leads{demo_leads}_seed{demo_seed}_{as_of}"
    if not all((demo_dir / name).exists() for name in FILES):
        print(f"  generating demo data: {demo_leads:,} leads, seed {demo_seed}, "
              f"events up to {as_of} ...", flush=True)
        generate(demo_dir, n_leads=demo_leads, seed=demo_seed, end_date=as_of)
    loaded = load_raw_tables(demo_dir, database, schema)
    rows = ", ".join(f"{table} {count:,}" for table, count in loaded.items())
    return f"demo data loaded into {database.name} schema {schema}: {rows}"


VALIDATION_SQL = """
with
lead_count as (
    select count(*) as n from {{ ref('dim_leads') }}
),
scorecard_count as (
    select count(distinct trim(scorecard_id)) as n
    from {{ ref('scorecard_rules') }}
),
score_count as (select count(*) as n from {{ ref('fct_lead_scores') }}),
excluded_count as (
    select count(*) as n
    from {{ ref('int_lead_scores_adjusted') }}
    where is_excluded and score_date = {{ lead_scoring.score_as_of_date() }}
),
ledger as (
    select lead_id, scorecard_id, sum(contribution) as summed
    from {{ ref('fct_lead_score_contributions') }}
    group by lead_id, scorecard_id
),
ledger_mismatch as (
    select count(*) as n
    from {{ ref('fct_lead_scores') }} as scores
    left join ledger
        on scores.lead_id = ledger.lead_id
        and scores.scorecard_id = ledger.scorecard_id
    where coalesce(ledger.summed, 0) <> scores.total_score
),
raw_rows as (
    select 'leads' as source_table, count(*) as n from {{ source('crm', 'leads') }}
    union all
    select 'lead_attributes', count(*) from {{ source('crm', 'lead_attributes') }}
    union all
    select 'events', count(*) from {{ source('crm', 'events') }}
    {%- for table in ['opportunities', 'sales_activities', 'campaigns', 'consents'] %}
    union all
    select '{{ table }}', count(*)
    from {{ lead_scoring.optional_source('crm', table, ['lead_id']) }} as raw_{{ table }}
    {%- endfor %}
),
quarantined as (
    -- rows of erased leads are set aside on purpose, not bad data
    select source_table, count(*) as n
    from {{ ref('fct_quarantined_rows') }}
    where quarantine_reason <> 'erasure requested'
    group by source_table
)
select
    'every current lead scored by every scorecard' as check_name,
    'error' as severity,
    abs(lead_count.n * scorecard_count.n - excluded_count.n - score_count.n) as failures,
    cast(lead_count.n as {{ dbt.type_string() }}) || ' leads x '
        || cast(scorecard_count.n as {{ dbt.type_string() }}) || ' scorecards - '
        || cast(excluded_count.n as {{ dbt.type_string() }}) || ' excluded = '
        || cast(score_count.n as {{ dbt.type_string() }}) || ' scores' as detail
from lead_count cross join scorecard_count cross join score_count
cross join excluded_count
union all
select
    'ledger sums equal published scores', 'error', n,
    cast(n as {{ dbt.type_string() }}) || ' lead/scorecard pairs whose ledger does not add up'
from ledger_mismatch
union all
select
    'quarantined share of raw ' || raw_rows.source_table, 'warn',
    case
        when raw_rows.n > 0
            and coalesce(quarantined.n, 0) > {share} * raw_rows.n then 1
        else 0
    end,
    cast(coalesce(quarantined.n, 0) as {{ dbt.type_string() }}) || ' of '
        || cast(raw_rows.n as {{ dbt.type_string() }}) || ' rows quarantined'
from raw_rows
left join quarantined on raw_rows.source_table = quarantined.source_table
where raw_rows.n > 0
"""

BANDS_SQL = """
select scorecard_id, band, band_rank, lead_count, lead_share, average_total_score
from {{ ref('agg_lead_score_bands') }}
order by scorecard_id, band_rank desc
"""

TOP_LEADS_SQL = """
with
ranked as (
    select
        scores.*,
        row_number() over (
            partition by scores.scorecard_id
            order by scores.total_score desc, scores.lead_id
        ) as lead_rank
    from {{ ref('fct_lead_scores') }} as scores
),
reasons as (
    select
        lead_id, scorecard_id, description, contribution,
        row_number() over (
            partition by lead_id, scorecard_id
            order by abs(contribution) desc, rule_id
        ) as reason_rank
    from {{ ref('fct_lead_score_contributions') }}
    where entry_type = 'rule' and contribution <> 0
)
select
    ranked.scorecard_id, ranked.lead_rank, ranked.lead_id, ranked.total_score,
    ranked.fit_score, ranked.engagement_score, ranked.band, ranked.grade,
    leads.job_title, leads.company_name, leads.market,
    reasons.reason_rank, reasons.description, reasons.contribution
from ranked
inner join {{ ref('dim_leads') }} as leads on ranked.lead_id = leads.lead_id
left join reasons
    on ranked.lead_id = reasons.lead_id
    and ranked.scorecard_id = reasons.scorecard_id
    and reasons.reason_rank <= 3
where ranked.lead_rank <= {top}
order by ranked.scorecard_id, ranked.lead_rank, reasons.reason_rank
"""

TRIGGERS_SQL = """
select trigger_name, scorecard_id, count(*) as lead_count
from {{ ref('fct_lead_score_triggers') }}
group by trigger_name, scorecard_id
order by trigger_name, scorecard_id
"""

FUNNEL_SQL = """
select funnel_stage, funnel_stage_rank, count(*) as lead_count,
    sum(case when has_out_of_order_stages then 1 else 0 end) as out_of_order_count
from {{ ref('fct_lead_funnel') }}
group by funnel_stage, funnel_stage_rank
order by funnel_stage_rank
"""

BACKTEST_SQL = """
select
    comparison.scorecard_id, comparison.is_champion, comparison.auc,
    comparison.top_decile_lift, comparison.mql_conversion_rate,
    comparison.backtest_lead_count, comparison.backtest_converted_count,
    comparison.current_mql_count,
    best.threshold as best_f1_threshold, best.f1 as best_f1,
    best.expected_conversion_rate as best_f1_conversion,
    best.mqls_per_month as best_f1_mqls_per_month,
    capacity.threshold as capacity_threshold,
    capacity.expected_conversion_rate as capacity_conversion,
    capacity.mqls_per_month as capacity_mqls_per_month,
    capacity.sales_capacity_per_month
from {{ ref('agg_scorecard_comparison') }} as comparison
left join {{ ref('agg_scorecard_threshold_recommendations') }} as best
    on comparison.scorecard_id = best.scorecard_id
    and best.market = 'all' and best.recommendation = 'best_f1'
left join {{ ref('agg_scorecard_threshold_recommendations') }} as capacity
    on comparison.scorecard_id = capacity.scorecard_id
    and capacity.market = 'all' and capacity.recommendation = 'sales_capacity'
order by comparison.is_champion desc, comparison.scorecard_id
"""

OUTREACH_SQL = """
select
    (select count(*) from {{ ref('fct_crm_lead_sync') }}) as synced_count,
    (select count(*) from {{ ref('dim_lead_contact_profiles') }}
        where is_contactable) as contactable_count,
    (select count(*) from {{ ref('dim_lead_contact_profiles') }}
        where not is_contactable) as not_contactable_count
"""

HISTORY_SQL = """
select score_date, scorecard_id, total_score, fit_score, engagement_score,
    adjustment_points, band, grade
from {{ ref('fct_lead_score_history') }}
where lead_id = '{lead}' {scorecard_filter}
order by scorecard_id, score_date
"""

BAND_CHANGES_SQL = """
select changed_on, scorecard_id, from_band, to_band, score_before, score_after
from {{ ref('fct_lead_band_changes') }}
where lead_id = '{lead}' {scorecard_filter}
order by scorecard_id, changed_on
"""

QUARANTINE_SQL = """
select source_table, quarantine_reason, count(*) as row_count
from {{ ref('fct_quarantined_rows') }}
group by source_table, quarantine_reason
order by source_table, row_count desc
"""


def last_history_date(dbt: Dbt) -> date | None:
    """The last day in the score history, or None before the first run."""
    try:
        rows = dbt.query(
            "select max(score_date) as last_day from {{ ref('fct_lead_score_history') }}"
        )
    except PipelineError:
        return None
    value = rows[0]["last_day"] if rows else None
    return date.fromisoformat(str(value)[:10]) if value else None


def validate(dbt: Dbt, warn_share: float) -> list[Check]:
    rows = dbt.query(VALIDATION_SQL.replace("{share}", repr(float(warn_share))))
    return [
        Check(row["check_name"], row["severity"], int(row["failures"]), row["detail"])
        for row in rows
    ]


def _points(value: Any) -> str:
    return f"{float(value):+.2f}"


def summarise(dbt: Dbt, top: int) -> str:
    lines: list[str] = []
    bands = dbt.query(BANDS_SQL)
    by_scorecard: dict[str, list[dict[str, Any]]] = {}
    for row in bands:
        by_scorecard.setdefault(row["scorecard_id"], []).append(row)
    lines.append("Leads per band")
    for scorecard, rows in by_scorecard.items():
        total = sum(int(row["lead_count"]) for row in rows)
        lines.append(f"  {scorecard} ({total:,} leads)")
        for row in rows:
            share = float(row["lead_share"]) * 100
            bar = "#" * max(1, round(share / 2.5)) if row["lead_count"] else ""
            lines.append(
                f"    {row['band']:<14} {int(row['lead_count']):>8,}  {share:5.1f} %  "
                f"avg {float(row['average_total_score']):7.2f}  {bar}"
            )
    leads = dbt.query(TOP_LEADS_SQL.replace("{top}", str(int(top))))
    current: tuple[str, int] | None = None
    for row in leads:
        key = (row["scorecard_id"], int(row["lead_rank"]))
        if key[1] == 1 and (current is None or current[0] != key[0]):
            lines.append("")
            lines.append(f"Top {top} leads, scorecard {key[0]} (top three reasons)")
        if key != current:
            current = key
            who = " · ".join(
                str(part) for part in (row["job_title"], row["company_name"], row["market"])
                if part
            )
            grade = f" grade {row['grade']}" if row["grade"] else ""
            lines.append(
                f"  {key[1]:>2}. {row['lead_id']:<10} {float(row['total_score']):7.2f}  "
                f"{row['band']}{grade}  (fit {float(row['fit_score']):.2f}, engagement "
                f"{float(row['engagement_score']):.2f})  {who}"
            )
        if row["description"]:
            lines.append(f"        {_points(row['contribution']):>8}  {row['description']}")
    fired = dbt.query(TRIGGERS_SQL)
    lines.append("")
    lines.append("Triggers fired by this run (marts.fct_lead_score_triggers)")
    if not fired:
        lines.append("  none")
    for row in fired:
        lines.append(f"  {row['trigger_name']:<18} {row['scorecard_id']:<16} "
                     f"{int(row['lead_count']):>6,} leads")
    funnel = dbt.query(FUNNEL_SQL)
    lines.append("")
    lines.append("Funnel (marts.fct_lead_funnel: furthest stage reached; MQL by the champion "
                 "scorecard)")
    counts = {row["funnel_stage"]: row for row in funnel}
    total_leads = sum(int(row["lead_count"]) for row in funnel)
    reached = total_leads
    for stage in ("lead", "mql", "sql", "customer"):
        row = counts.get(stage)
        share = (reached / total_leads * 100) if total_leads else 0.0
        lines.append(
            f"  {stage:<9} {int(row['lead_count']) if row else 0:>8,} now   "
            f"{reached:>8,} at or past ({share:5.1f} %)"
        )
        reached -= int(row["lead_count"]) if row else 0
    odd = sum(int(row["out_of_order_count"]) for row in funnel)
    if odd:
        lines.append(f"  {odd:,} leads have stage dates out of funnel order (kept, flagged "
                     "has_out_of_order_stages)")
    lines.append("")
    lines.append("Scorecards against outcomes (backtest: each lead's score on its decision "
                 "date; marts.agg_scorecard_comparison)")
    for row in dbt.query(BACKTEST_SQL):
        role = "champion" if row["is_champion"] else "challenger"
        if row["auc"] is None:
            lines.append(f"  {row['scorecard_id']:<16} {role:<10} no backtest yet "
                         f"({int(row['backtest_lead_count'])} leads with a decision-date "
                         "score and a closed outcome window; back-fill the history)")
            continue
        lines.append(
            f"  {row['scorecard_id']:<16} {role:<10} AUC {float(row['auc']):.3f}  "
            f"top-decile lift {float(row['top_decile_lift'] or 0):.2f}  "
            f"MQL conversion {float(row['mql_conversion_rate'] or 0) * 100:.1f} %  "
            f"({int(row['backtest_lead_count']):,} leads, "
            f"{int(row['backtest_converted_count']):,} converted)"
        )
        if row["best_f1_threshold"] is not None:
            lines.append(
                f"  {'':<27} best-F1 threshold {int(row['best_f1_threshold'])}: "
                f"F1 {float(row['best_f1']):.2f}, converts "
                f"{float(row['best_f1_conversion']) * 100:.1f} %, "
                f"{float(row['best_f1_mqls_per_month']):.1f} MQLs/month"
            )
        if row["capacity_threshold"] is not None:
            lines.append(
                f"  {'':<27} within {int(row['sales_capacity_per_month'])} MQLs/month: "
                f"threshold {int(row['capacity_threshold'])}, converts "
                f"{float(row['capacity_conversion']) * 100:.1f} %, "
                f"{float(row['capacity_mqls_per_month']):.1f} MQLs/month"
            )
    outreach = dbt.query(OUTREACH_SQL)[0]
    lines.append("")
    lines.append(
        f"Outreach: {int(outreach['contactable_count']):,} leads contactable, "
        f"{int(outreach['not_contactable_count']):,} not (consent; reasons in "
        "marts.dim_lead_contact_profiles); CRM sync rows this run: "
        f"{int(outreach['synced_count']):,} (marts.fct_crm_lead_sync)"
    )
    quarantine = dbt.query(QUARANTINE_SQL)
    lines.append("")
    lines.append("Quarantined raw rows (kept with their reason in marts.fct_quarantined_rows)")
    if not quarantine:
        lines.append("  none")
    for row in quarantine:
        lines.append(
            f"  {row['source_table']:<16} {row['quarantine_reason']:<26} "
            f"{int(row['row_count']):>8,}"
        )
    return "\n".join(lines)


def write_report(dbt: Dbt, path: Path, as_of: date) -> Path:
    """Write the self-contained HTML report (scripts/report.py) and return its path."""
    from scripts.report import REPORT_QUERIES, build_report

    data = {name: dbt.query(sql) for name, sql in REPORT_QUERIES.items()}
    path = path if path.is_absolute() else Path.cwd() / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(data, as_of, "Lead scoring report"), encoding="utf-8")
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="pipeline.py", description="Build, validate and summarise lead scores."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--target", default=None, help="dbt target (default: the profile's)")
    common.add_argument("--raw-schema", default="raw")
    common.add_argument("--verbose", action="store_true", help="show dbt's own log")

    run = sub.add_parser("run", parents=[common],
                         help="load demo data if needed, build, validate, summarise")
    run.add_argument("--as-of", default=None, help="score as of this date, YYYY-MM-DD")
    run.add_argument("--point-in-time", action="store_true",
                     help="score each lead as it was on the as-of date (var point_in_time)")
    run.add_argument("--select", default=None, help="dbt selection for the build")
    run.add_argument("--top", type=int, default=5, help="top leads to show per scorecard")
    run.add_argument("--demo-leads", type=int, default=2000,
                     help="leads of the demo data generated when raw is empty")
    run.add_argument("--demo-seed", type=int, default=42)
    run.add_argument("--quarantine-warn-share", type=float, default=0.05,
                     help="warn when more than this share of a raw table is quarantined")
    run.add_argument("--no-demo", action="store_true",
                     help="fail instead of loading demo data when raw is empty")
    run.add_argument("--report", type=Path, default=None, metavar="FILE",
                     help="where to write the HTML report (default: report.html next to "
                          "the DuckDB file)")
    run.add_argument("--history-days", type=int, default=None, metavar="N",
                     help="when the score history is empty, first back-fill the N days "
                          "before the as-of date (default: 456 after loading demo data, "
                          "else 0), so backtests and trends have data")
    run.add_argument("--raw-from", default=None, type=Path, metavar="DIR",
                     help="first (re)load the raw tables from this folder of Parquet/CSV "
                          "files (scripts/load_raw.py), e.g. the Olist data from "
                          "scripts/load_olist.py")

    backfill = sub.add_parser("backfill", parents=[common],
                              help="rebuild the score history for a date range")
    backfill.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    backfill.add_argument("--to", dest="end", default=None,
                          help="last day, YYYY-MM-DD (default: the last day of the history)")
    backfill.add_argument("--full-refresh", action="store_true",
                          help="drop the whole history first (it then holds only this range)")

    history = sub.add_parser("history", parents=[common],
                             help="print one lead's daily scores and band changes")
    history.add_argument("--lead", required=True, help="the lead_id")
    history.add_argument("--scorecard", default=None, help="only this scorecard")
    return parser.parse_args(argv)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PipelineError(f"{option} must be a date written YYYY-MM-DD, got {value!r}") from None


BACKFILL_SELECTION = [
    "--select", "+fct_lead_score_history fct_lead_score_history+",
    "--exclude", "fct_lead_score_trigger_log fct_lead_score_triggers",
    "--exclude-resource-type", "unit_test",
    # tests that also read models outside the selection stay out
    "--indirect-selection", "cautious",
]


def backfill_range(dbt: Dbt, start: date, end: date, full_refresh: bool = False,
                   downstream: bool = True) -> BuildOutcome:
    """Score every day from start to end into the history, point in time, firing nothing.

    downstream=False builds the history alone (a first run's fill: the marts
    after it read today's scores, which the run's own build makes next).
    """
    if start > end:
        raise PipelineError(f"--from {start} is after --to {end}")
    saved = dict(dbt.vars)
    dbt.vars.update({
        "score_as_of": end.isoformat(), "history_start": start.isoformat(),
        "point_in_time": True, "fire_triggers": False,
    })
    command = ["build", *BACKFILL_SELECTION]
    if not downstream:
        command[2] = "+fct_lead_score_history"
    if full_refresh:
        # the history keeps its days through a plain --full-refresh;
        # only a backfill asked to may drop them
        dbt.vars["rebuild_history"] = True
        command.append("--full-refresh")
    try:
        return dbt.build_command(command)
    finally:
        dbt.vars.clear()
        dbt.vars.update(saved)


def backfill(args: argparse.Namespace) -> int:
    """Rebuild the history (and band changes, milestones) for a date range.

    Each lead is scored as it was on each day (point in time). The current
    marts and the trigger log are left alone: a backfill fires no trigger.
    """
    dbt = Dbt(args.target, {"raw_schema": args.raw_schema}, args.verbose)
    try:
        start = parse_day(args.start, "--from")
        end = parse_day(args.end, "--to") if args.end else last_history_date(dbt)
        if end is None:
            raise PipelineError("no score history yet: give --to, or `run` first")
        if start > end:
            raise PipelineError(f"--from {start} is after --to {end}")
        print(f"Backfill of the score history, {start} to {end} "
              f"({(end - start).days + 1} days, each lead as it was on each day)", flush=True)
        outcome = backfill_range(dbt, start, end, args.full_refresh)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    failed = outcome.report()
    if failed is not None:
        return failed
    return EXIT_FAILED if outcome.test_failures else EXIT_OK


def show_history(args: argparse.Namespace) -> int:
    """Print a lead's daily scores (compressed to the days they change) and band changes."""
    dbt = Dbt(args.target, {"raw_schema": args.raw_schema}, args.verbose)
    lead = args.lead.replace("'", "''")
    scorecard_filter = (
        f"and scorecard_id = '{args.scorecard.replace(chr(39), chr(39) * 2)}'"
        if args.scorecard else ""
    )
    try:
        rows = dbt.query(
            HISTORY_SQL.replace("{lead}", lead).replace("{scorecard_filter}", scorecard_filter)
        )
        changes = dbt.query(
            BAND_CHANGES_SQL.replace("{lead}", lead)
            .replace("{scorecard_filter}", scorecard_filter)
        )
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if not rows:
        print(f"error: no history for lead {args.lead}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"Score history of lead {args.lead} (days on which the score changed)")
    previous: tuple[str, Any] | None = None
    for row in rows:
        key = (row["scorecard_id"], row["total_score"])
        if previous is None or key != previous or row is rows[-1]:
            adjustment = (f"  adjustment {float(row['adjustment_points']):+.2f}"
                          if row["adjustment_points"] else "")
            print(f"  {str(row['score_date'])[:10]}  {row['scorecard_id']:<16} "
                  f"total {float(row['total_score']):7.2f}  fit {float(row['fit_score']):6.2f}  "
                  f"engagement {float(row['engagement_score']):6.2f}  {row['band']:<14} "
                  f"{row['grade'] or ''}{adjustment}")
        previous = key
    print("Band changes")
    for row in changes:
        before = "" if row["score_before"] is None else f"{float(row['score_before']):.2f}"
        print(f"  {str(row['changed_on'])[:10]}  {row['scorecard_id']:<16} "
              f"{row['from_band'] or '(new)':>14} -> {row['to_band']:<14} "
              f"{before:>8} -> {float(row['score_after']):.2f}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    try:
        # the UTC date, as dbt's default; passed explicitly so that every dbt
        # call of this run scores the same day even across midnight
        as_of = (
            parse_day(args.as_of, "--as-of") if args.as_of
            else datetime.now(UTC).date()
        )
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    dbt_vars: dict[str, Any] = {"raw_schema": args.raw_schema, "score_as_of": as_of.isoformat()}
    if args.point_in_time:
        dbt_vars["point_in_time"] = True
    target = args.target or os.environ.get("LEAD_SCORING_TARGET", "duckdb")
    if target.startswith("spark"):
        # the raw checks, validations and report read the DuckDB file
        print(f"error: the orchestrator runs on the DuckDB target; on {target} run "
              f"`scripts/load_raw.py --from DIR --target {target}` and "
              f"`dbt build --target {target}` (docs/spark.md)", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"Lead scoring · target {target} · as of {as_of}", flush=True)
    demo_loaded = False
    try:
        if args.raw_from is not None:
            if target != "duckdb":
                raise PipelineError("--raw-from loads into the DuckDB warehouse; "
                                    f"target {target} reads its own raw tables")
            from scripts.load_raw import RawDataError, load_raw_tables

            print(f"1/4 raw data from {args.raw_from}", flush=True)
            try:
                loaded = load_raw_tables(args.raw_from, duckdb_path(), args.raw_schema)
            except RawDataError as error:
                raise PipelineError(str(error)) from error
            rows = ", ".join(f"{table} {count:,}" for table, count in loaded.items())
            print(f"  loaded into {duckdb_path().name} schema {args.raw_schema}: {rows}",
                  flush=True)
        elif target == "duckdb":
            if args.no_demo:
                from scripts.load_raw import raw_row_counts

                counts = raw_row_counts(duckdb_path(), args.raw_schema)
                if any(count is None for count in counts.values()):
                    raise PipelineError(
                        f"{duckdb_path()}: raw tables missing or empty in schema "
                        f"{args.raw_schema}: {counts} (load them with scripts/load_raw.py)"
                    )
            else:
                print("1/4 raw data", flush=True)
                message = ensure_raw_data(args.raw_schema, args.demo_leads,
                                          args.demo_seed, as_of)
                demo_loaded = message.startswith("demo data loaded")
                print("  " + message, flush=True)
        dbt = Dbt(args.target, dbt_vars, args.verbose)
        last_day = last_history_date(dbt)
        history_days = args.history_days
        if history_days is not None and history_days < 0:
            raise PipelineError(f"--history-days must be 0 or more, got {history_days}")
        if history_days is None:
            history_days = DEMO_HISTORY_DAYS if demo_loaded else 0
        if last_day is None and history_days > 0:
            # a first run: score the days before the as-of date, each lead
            # as it was then, so that trends and backtests have a history;
            # like any backfill it fires no trigger
            first = as_of - timedelta(days=history_days)
            print(f"  no score history yet: back-filling {first} to "
                  f"{as_of - timedelta(days=1)} ({history_days} days, point in time)",
                  flush=True)
            filled = backfill_range(dbt, first, as_of - timedelta(days=1), downstream=False)
            failed = filled.report()
            if failed is not None:
                return failed
            last_day = as_of - timedelta(days=1)
        gap = (as_of - last_day).days if last_day is not None else 0
        if gap > MAX_GAP_DAYS:
            print(f"  warning: the history ends on {last_day}, {gap} days ago; only {as_of} "
                  "is scored (fill the gap with `pipeline.py backfill`)", file=sys.stderr)
        elif gap > 1:
            # days missed since the last run are scored too, each lead as it
            # was on each day, so the history and the triggers have no gaps
            dbt.vars["history_start"] = (last_day + timedelta(days=1)).isoformat()
            dbt.vars["point_in_time"] = True
            print(f"  the history ends on {last_day}: scoring the {gap} days since",
                  flush=True)
        print("2/4 dbt build (seeds, models, unit and data tests)", flush=True)
        outcome = dbt.build(args.select)
        failed = outcome.report()
        if failed is not None:
            return failed
        print("3/4 validations", flush=True)
        try:
            checks = validate(dbt, args.quarantine_warn_share)
        except PipelineError as error:
            if outcome.test_failures:
                # failed tests made dbt skip what the validations read
                print(f"  not run: {error}", file=sys.stderr)
                return EXIT_FAILED
            raise
        for check in checks:
            mark = "ok" if check.failures == 0 else check.severity.upper()
            print(f"  {mark:<5} {check.name}: {check.detail}", flush=True)
        print("4/4 summary", flush=True)
        print(summarise(dbt, args.top), flush=True)
        report_path = write_report(dbt, args.report or duckdb_path().parent / "report.html",
                                   as_of)
        print(f"\nReport: {report_path}", flush=True)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    failed_checks = [c for c in checks if c.failures and c.severity == "error"]
    print(f"\nDone in {time.monotonic() - started:.1f} s. Marts: schema marts of "
          f"{duckdb_path() if target == 'duckdb' else target} "
          "(fct_lead_scores, fct_lead_score_contributions, dim_leads, "
          "agg_lead_score_bands, fct_lead_funnel, dim_lead_contact_profiles, "
          "fct_crm_lead_sync, fct_quarantined_rows, ...).")
    if outcome.test_failures or failed_checks:
        print("FAILED:", file=sys.stderr)
        for failure in outcome.test_failures:
            print(f"  test {failure}", file=sys.stderr)
        for check in failed_checks:
            print(f"  validation {check.name}: {check.detail}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    commands = {"run": run, "backfill": backfill, "history": show_history}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
