"""Run the lead-scoring pipeline: load demo data if needed, build, audit, publish, summarise.

    python scripts/pipeline.py run [--as-of YYYY-MM-DD] [--select SELECTOR]
                                   [--target duckdb] [--top 5] [--demo-leads 2000]
                                   [--serving FILE] [--parquet DIR]
                                   [--max-band-shift 0.15] [--lock-timeout 300]
    python scripts/pipeline.py backfill --from YYYY-MM-DD [--to YYYY-MM-DD] [--full-refresh]
    python scripts/pipeline.py history --lead LEAD_ID [--scorecard default]

A run writes, audits, then publishes (``scripts/publication.py``): it holds
the warehouse lock, copies the last good warehouse to a build file and, one
dbt invocation at a time through ``dbtRunner``:

1. raw data: when the raw tables are missing or empty (DuckDB target), demo
   data is generated (``scripts/generate_demo_data.py``) and loaded into
   schema ``raw`` of the build;
2. ``dbt build``: seeds (the scorecard), models and data tests (unit tests
   with ``--unit-tests``: they check the SQL, whatever the data, and run in
   ``make test``);
3. audits that dbt tests cannot easily say: every current lead scored by
   every scorecard, ledgers that add up to the scores, scores inside what
   the scorecard allows, every raw row staged or quarantined, each band's
   share of leads near the last publication's (``--max-band-shift``), the
   quarantined share of each raw table under ``--quarantine-warn-share``
   (a warning);
4. publication: the marts are copied to a new serving file (and, with
   ``--parquet``, Parquet files), then the serving file and the warehouse
   are swapped in together. A failed audit publishes nothing;
5. a summary: leads per band per scorecard, the top leads with their top
   three reasons, the triggers fired, and what was quarantined.

A daily ``run`` adds its as-of date to the score history; when earlier days
are missing since the last run, it scores them too (``history_start``).
``backfill`` rebuilds the history (and band changes) for a date range
without touching the current marts or firing triggers, and publishes it.
``history`` prints one lead's daily scores and band changes from the
serving file.

On the Spark targets (``spark``, ``spark_cluster``) the same steps run the
Spark way (``scripts/lead_scoring/spark_publication.py``): the build goes
into schemas of its own and is published as the views of schema ``marts``.

Exit codes: 0 success, 1 a test or audit failed (nothing published), 2 the
pipeline could not run (bad arguments, no raw data, a dbt or scorecard
error), 3 another run held the warehouse for longer than --lock-timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.publication import (  # noqa: E402
    Files,
    LockTimeout,
    Publication,
    PublicationError,
    band_shift_problems,
    commit,
    discard_build,
    failpoint,
    prepare_build,
    public_tables_from_manifest,
    read_publication,
    recover,
    run_lock,
    write_publication,
)

EXIT_OK, EXIT_FAILED, EXIT_CANNOT_RUN, EXIT_BUSY = 0, 1, 2, 3
# a daily run fills at most this many missed days; longer gaps need a backfill
MAX_GAP_DAYS = 366
# the first run on freshly generated demo data back-fills its 15 months
DEMO_HISTORY_DAYS = 456
DUCKDB_PATH_ENV = "LEAD_SCORING_DUCKDB_PATH"
SERVING_ENV = "LEAD_SCORING_SERVING_PATH"


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
    path = Path(os.environ.get(DUCKDB_PATH_ENV, "warehouse/lead_scoring.duckdb"))
    return path if path.is_absolute() else ROOT / path


class Dbt:
    """dbt through dbtRunner, one invocation at a time, from the project folder."""

    def __init__(self, target: str | None, dbt_vars: dict[str, Any], verbose: bool) -> None:
        from dbt.cli.main import dbtRunner

        self.target = target
        self.vars = dbt_vars
        self.verbose = verbose
        self.progress = 0
        # queries report their errors as exceptions, not as progress lines
        self.quiet = False
        self.runner = dbtRunner(callbacks=[self._on_event])

    def _common(self) -> list[str]:
        args = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
        if self.target:
            args += ["--target", self.target]
        if self.vars:
            args += ["--vars", json.dumps(self.vars)]
        return args

    def _on_event(self, event: Any) -> None:
        if event.info.name != "NodeFinished" or self.quiet:
            return
        info = event.data.node_info
        self.progress += 1
        failpoint(f"build:{self.progress}")
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

    def build(self, select: str | None, unit_tests: bool = False) -> BuildOutcome:
        command = ["build"]
        if select:
            command += ["--select", select]
        if not unit_tests:
            # unit tests check the SQL against fixtures, whatever the data:
            # they belong in development and CI (`make test`), not in every run
            command += ["--exclude-resource-type", "unit_test"]
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
        self.quiet = True
        try:
            result = self.invoke(["show", "--inline", sql, "--limit", "100000"])
        finally:
            self.quiet = False
        if not result.success:
            raise PipelineError(f"query failed: {result.result}")
        table = result.result.results[0].agate_table
        return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


class BuildReader:
    """Read-only queries on the built DuckDB file, with ``{{ ref('model') }}``
    resolved from dbt's manifest: the summary and the report, a few
    milliseconds per query where `dbt show` takes a second or two."""

    REF = re.compile(r"\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}")

    def __init__(self, database: Path, manifest: Path) -> None:
        import duckdb

        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
        self.relations = {
            node["name"]: f"{node['schema']}.{node.get('alias') or node['name']}"
            for node in nodes if node["resource_type"] in ("model", "seed")
        }
        self.con = duckdb.connect(str(database), read_only=True)

    def query(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(self.REF.sub(lambda match: self.relations[match[1]], sql))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()


def ensure_raw_data(database: Path, demo_root: Path, schema: str, demo_leads: int,
                    demo_seed: int, as_of: date) -> str:
    """Load demo data into the raw schema of ``database`` when the raw tables are
    missing or empty (the demo files are kept beside the warehouse for reuse)."""
    from scripts.generate_demo_data import generate
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
    from scripts.generate_demo_data import FILES

    demo_dir = demo_root / f"leads{demo_leads}_seed{demo_seed}_{as_of}"
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
bound_violations as (
    select count(*) as n
    from (
        {{ lead_scoring.score_bound_violations(ref('fct_lead_scores')) }}
    ) as violations
),
reconciliation as (
    {{ lead_scoring.raw_rows_reconciliation() }}
),
unscored_event_types as (
    -- kept and usable (a CRM's new type is not bad data), but no rule sees
    -- them: a typo in an export or a scorecard shows up here
    select events.event_type, count(*) as n
    from {{ ref('int_events_validated') }} as events
    where
        events.is_usable
        and coalesce(events.event_type, '') not in (
            select lower(trim(rules.activity_type))
            from {{ ref('scorecard_rules') }} as rules
            where
                lower(trim(rules.source)) = 'activity'
                and rules.activity_type is not null
        )
    group by events.event_type
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
    'scores inside what the scorecard allows', 'error', n,
    cast(n as {{ dbt.type_string() }})
        || ' scores outside the bounds of their scorecard (int_scorecard_score_bounds)'
from bound_violations
union all
select
    'raw rows = staged + quarantined', 'error',
    coalesce(sum(case when raw_rows <> usable_rows + quarantined_rows then 1 else 0 end), 0),
    coalesce({{ lead_scoring.ordered_string_agg(
        "source_table || ' ' || cast(raw_rows as " ~ dbt.type_string() ~ ") || ' = '"
        ~ " || cast(usable_rows as " ~ dbt.type_string() ~ ") || ' + '"
        ~ " || cast(quarantined_rows as " ~ dbt.type_string() ~ ")",
        "', '", "source_table"
    ) }}, 'no raw rows')
from reconciliation
where raw_rows > 0 or usable_rows + quarantined_rows > 0
union all
select
    'event types no scorecard rule scores', 'warn', count(*),
    coalesce({{ lead_scoring.ordered_string_agg(
        "coalesce(event_type, '(none)') || ' (' || cast(n as " ~ dbt.type_string()
        ~ ") || ' events)'", "', '", "n desc, event_type"
    ) }}, 'none')
from unscored_event_types
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

# read from the serving file, with the lead (and scorecard) as parameters
HISTORY_SQL = """
select score_date, scorecard_id, total_score, fit_score, engagement_score,
    adjustment_points, band, grade
from marts.fct_lead_score_history
{filters}
order by scorecard_id, score_date
"""

BAND_CHANGES_SQL = """
select changed_on, scorecard_id, from_band, to_band, score_before, score_after
from marts.fct_lead_band_changes
{filters}
order by scorecard_id, changed_on
"""

QUARANTINE_SQL = """
select source_table, quarantine_reason, count(*) as row_count
from {{ ref('fct_quarantined_rows') }}
group by source_table, quarantine_reason
order by source_table, row_count desc, quarantine_reason
"""


def last_history_date(database: Path) -> date | None:
    """The last day in the score history of the build, or None before the first run
    (read directly: dbt is not needed for one number)."""
    import duckdb

    if not database.exists():
        return None
    con = duckdb.connect(str(database), read_only=True)
    try:
        value = con.execute("select max(score_date) from marts.fct_lead_score_history"
                            ).fetchone()[0]
    except duckdb.CatalogException:
        return None
    finally:
        con.close()
    return date.fromisoformat(str(value)[:10]) if value else None


def validate(dbt: Dbt, warn_share: float) -> list[Check]:
    rows = dbt.query(VALIDATION_SQL.replace("{share}", repr(float(warn_share))))
    return [
        Check(row["check_name"], row["severity"], int(row["failures"]), row["detail"])
        for row in rows
    ]


def _points(value: Any) -> str:
    return f"{float(value):+.2f}"


def summarise(dbt: BuildReader, top: int) -> str:
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


def report_data(dbt: BuildReader) -> dict[str, list[dict[str, Any]]]:
    """What the HTML report shows, read from the build (scripts/report.py)."""
    from scripts.report import REPORT_QUERIES

    return {name: dbt.query(sql) for name, sql in REPORT_QUERIES.items()}


def write_report(data: dict[str, list[dict[str, Any]]], path: Path, as_of: date) -> Path:
    """Write the self-contained HTML report and return its path."""
    from scripts.report import build_report

    path = path if path.is_absolute() else Path.cwd() / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(data, as_of, "Lead scoring report"), encoding="utf-8")
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="pipeline.py", description="Build, audit, publish and summarise lead scores."
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
    run.add_argument("--unit-tests", action="store_true",
                     help="also run dbt's unit tests in the build (make test runs them)")
    run.add_argument("--no-summary", action="store_true",
                     help="skip the summary and the HTML report (scheduled runs: the audits "
                          "and the publication are the same)")
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

    add_publishing_arguments(run)

    backfill = sub.add_parser("backfill", parents=[common],
                              help="rebuild the score history for a date range")
    backfill.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    backfill.add_argument("--to", dest="end", default=None,
                          help="last day, YYYY-MM-DD (default: the last day of the history)")
    backfill.add_argument("--full-refresh", action="store_true",
                          help="drop the whole history first (it then holds only this range)")
    add_publishing_arguments(backfill)

    history = sub.add_parser("history", parents=[common],
                             help="print one lead's daily scores and band changes")
    history.add_argument("--lead", required=True, help="the lead_id")
    history.add_argument("--scorecard", default=None, help="only this scorecard")
    history.add_argument("--serving", type=Path, default=None, metavar="FILE",
                         help="the serving file to read (default: as for run)")
    return parser.parse_args(argv)


def add_publishing_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--serving", type=Path, default=None, metavar="FILE",
        help="the DuckDB file BI tools read, replaced by each publication (default: env "
             "LEAD_SCORING_SERVING_PATH, else serving/<warehouse file name> beside the "
             "warehouse)")
    command.add_argument(
        "--parquet", type=Path, default=None, metavar="DIR",
        help="also publish every mart as Parquet: DIR/<publication>/<table>.parquet, "
             "with DIR/current pointing at the last publication")
    command.add_argument(
        "--max-band-shift", type=float, default=0.15, metavar="SHARE",
        help="audit: fail when a band's share of a scorecard's leads moved by more than "
             "this (0.15 = 15 points) since the last publication; 1 turns it off "
             "(default 0.15)")
    command.add_argument(
        "--lock-timeout", type=float, default=300, metavar="SECONDS",
        help="wait this long for a run already holding the warehouse, then stop "
             "(exit 3; default 300, 0: stop at once)")


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


def serving_files(args: argparse.Namespace) -> Files:
    """The warehouse, serving file and Parquet folder of this run (scripts/publication.py)."""
    serving = getattr(args, "serving", None)
    if serving is None and os.environ.get(SERVING_ENV):
        serving = Path(os.environ[SERVING_ENV])
        serving = serving if serving.is_absolute() else ROOT / serving
    parquet = getattr(args, "parquet", None)
    return Files.beside(duckdb_path(), serving.resolve() if serving else None,
                        parquet.resolve() if parquet else None)


def release_dbt_duckdb() -> None:
    """Close the DuckDB database that dbt-duckdb keeps open in this process."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        environment, manager._ENV = manager._ENV, None
        if environment is not None:
            environment.close()


class BuildCopy:
    """The run's copy of the warehouse: dbt builds it, the audits read it, and it
    replaces the warehouse only when its publication commits.

    Entered under the warehouse lock: finishes or discards what a killed run
    left, copies the warehouse and points the profile (env
    LEAD_SCORING_DUCKDB_PATH) at the copy. Left without a commit, the copy
    is dropped; after a failed build or audit (``keep``) it stays in
    ``<warehouse>.run/failed/`` to look at.
    """

    def __init__(self, files: Files) -> None:
        self.files = files
        self.holder: Any = None
        self.committed = False
        self.keep = False
        self._profile_path: str | None = None

    def __enter__(self) -> BuildCopy:
        for message in recover(self.files):
            print(f"  {message}", flush=True)
        self.holder = prepare_build(self.files)
        failpoint("copied")
        self._profile_path = os.environ.get(DUCKDB_PATH_ENV)
        os.environ[DUCKDB_PATH_ENV] = str(self.files.build)
        return self

    def __exit__(self, *exc_info: object) -> None:
        release_dbt_duckdb()
        if self._profile_path is None:
            os.environ.pop(DUCKDB_PATH_ENV, None)
        else:
            os.environ[DUCKDB_PATH_ENV] = self._profile_path
        if self.committed:
            return
        if self.holder is not None:
            self.holder.close()
        kept = discard_build(self.files, keep=self.keep)
        if kept is not None:
            print(f"The failed build is kept to look at: {kept}", file=sys.stderr)

    def publish(self, score_as_of: str | None, command: str) -> Publication:
        """Copy the marts to a new serving file, then swap it and the warehouse in."""
        release_dbt_duckdb()
        tables = public_tables_from_manifest(ROOT / "target" / "manifest.json")
        previous = read_publication(self.files.serving)
        publication = write_publication(self.files, self.files.build, tables, previous,
                                        score_as_of, command)
        commit(self.files, publication, self.holder)
        self.holder = None
        self.committed = True
        return publication


def band_shift_check(build: BuildReader, serving: Path, tolerance: float) -> Check:
    """Each band's share of leads against the last publication (a bad scorecard or
    bad data moves many leads at once; a daily run moves a few)."""
    name = "band shares near the last publication"
    previous = read_publication(serving)
    if previous is None:
        return Check(name, "error", 0, "nothing published yet, nothing to compare with")
    problems = band_shift_problems(previous.band_shares, build.query(BANDS_SQL), tolerance,
                                   previous.publication_id)
    if problems:
        return Check(name, "error", len(problems),
                     "; ".join(problems) + " (intended? rerun with a larger --max-band-shift)")
    return Check(name, "error", 0,
                 f"every band within {tolerance * 100:g} points of publication "
                 f"{previous.publication_id} ({previous.published_at} UTC)")


def audit(dbt: Dbt, outcome: BuildOutcome, files: Files, warn_share: float,
          max_band_shift: float) -> list[Check]:
    """The orchestrator's audits of the build, printed; dbt's tests ran in the build."""
    try:
        checks = validate(dbt, warn_share)
    except PipelineError as error:
        if not outcome.test_failures:
            raise
        # failed tests made dbt skip what the audits read
        checks = [Check("audits", "error", 1, f"not run: {error}")]
    else:
        with reading(files.build) as build:
            checks.append(band_shift_check(build, files.serving, max_band_shift))
    print_checks(checks)
    return checks


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "ok" if check.failures == 0 else check.severity.upper()
        print(f"  {mark:<5} {check.name}: {check.detail}", flush=True)


@contextmanager
def reading(database: Path) -> Iterator[BuildReader]:
    """The build, read directly (dbt's own connection to it closed first)."""
    release_dbt_duckdb()
    reader = BuildReader(database, ROOT / "target" / "manifest.json")
    try:
        yield reader
    finally:
        reader.close()


def locked(files: Files, command: str, lock_timeout: float,
           body: Callable[[BuildCopy], int]) -> int:
    """``body`` on a build copy under the warehouse lock; errors become exit codes."""
    try:
        with run_lock(files.lock, lock_timeout, command), BuildCopy(files) as build:
            return body(build)
    except LockTimeout as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN


def refuse_publication(outcome: BuildOutcome, checks: list[Check], files: Files) -> int:
    """Say why nothing is published and what BI keeps seeing; EXIT_FAILED."""
    print("FAILED:", file=sys.stderr)
    for failure in outcome.test_failures:
        print(f"  test {failure}", file=sys.stderr)
    for check in checks:
        if check.failures and check.severity == "error":
            print(f"  audit {check.name}: {check.detail}", file=sys.stderr)
    try:
        previous = read_publication(files.serving)
    except PublicationError:
        previous = None
    if previous is None:
        print("Nothing was published (there is no publication yet).", file=sys.stderr)
    else:
        print(f"Nothing was published: {files.serving} still holds publication "
              f"{previous.publication_id} ({previous.published_at} UTC, as of "
              f"{previous.score_as_of}).", file=sys.stderr)
    return EXIT_FAILED


def print_publication(publication: Publication, files: Files) -> None:
    rows = sum(table["row_count"] for table in publication.tables.values())
    print(f"  publication {publication.publication_id}: {len(publication.tables)} marts, "
          f"{rows:,} rows -> {files.serving}", flush=True)
    if files.parquet is not None:
        print(f"  Parquet: {files.parquet / 'current'} -> {publication.publication_id}/",
              flush=True)


def backfill(args: argparse.Namespace) -> int:
    """Rebuild the history (and band changes, milestones) for a date range, then publish.

    Each lead is scored as it was on each day (point in time). The current
    marts and the trigger log are left alone: a backfill fires no trigger.
    """
    files = serving_files(args)
    try:
        start = parse_day(args.start, "--from")
        end = parse_day(args.end, "--to") if args.end else None
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    target = args.target or os.environ.get("LEAD_SCORING_TARGET", "duckdb")
    if target != "duckdb":  # --- Spark targets (scripts/lead_scoring/spark_publication.py)
        from scripts.lead_scoring import spark_publication

        return spark_publication.backfill(args, target, start, end)

    def body(build: BuildCopy) -> int:
        last = end or last_history_date(files.build)
        if last is None:
            raise PipelineError("no score history yet: give --to, or `run` first")
        if start > last:
            raise PipelineError(f"--from {start} is after --to {last}")
        print(f"Backfill of the score history, {start} to {last} "
              f"({(last - start).days + 1} days, each lead as it was on each day)", flush=True)
        dbt = Dbt(args.target, {"raw_schema": args.raw_schema}, args.verbose)
        outcome = backfill_range(dbt, start, last, args.full_refresh)
        failed = outcome.report()
        if failed is not None or outcome.test_failures:
            build.keep = True
            return failed if failed is not None else refuse_publication(outcome, [], files)
        # the current marts are not rebuilt: the audit is dbt's tests of what
        # was, and the band shares (unchanged unless someone rebuilt them)
        with reading(files.build) as reader:
            checks = [band_shift_check(reader, files.serving, args.max_band_shift)]
        print_checks(checks)
        if checks[0].failures:
            build.keep = True
            return refuse_publication(outcome, checks, files)
        print_publication(build.publish(None, "pipeline.py backfill"), files)
        return EXIT_OK

    return locked(files, "pipeline.py backfill", args.lock_timeout, body)


def show_history(args: argparse.Namespace) -> int:
    """Print a lead's daily scores (compressed to the days they change) and band changes,
    from the serving file (read-only: it never waits for or blocks a run)."""
    import duckdb

    target = args.target or os.environ.get("LEAD_SCORING_TARGET", "duckdb")
    if target != "duckdb":  # --- Spark targets (scripts/lead_scoring/spark_publication.py)
        from scripts.lead_scoring import spark_publication

        try:
            rows, changes = spark_publication.history_rows(target, args.lead, args.scorecard)
        except PipelineError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_CANNOT_RUN
        return print_history(args, rows, changes)
    serving = serving_files(args).serving
    if not serving.exists():
        print(f"error: nothing published yet ({serving}): `pipeline.py run` first",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    filters, parameters = "where lead_id = ?", [args.lead]
    if args.scorecard:
        filters += " and scorecard_id = ?"
        parameters.append(args.scorecard)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        def rows_of(sql: str) -> list[dict[str, Any]]:
            cursor = con.execute(sql.replace("{filters}", filters), parameters)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        rows = rows_of(HISTORY_SQL)
        changes = rows_of(BAND_CHANGES_SQL)
    finally:
        con.close()
    return print_history(args, rows, changes)


def print_history(args: argparse.Namespace, rows: list[dict[str, Any]],
                  changes: list[dict[str, Any]]) -> int:
    """What `history` prints, from the rows of HISTORY_SQL and BAND_CHANGES_SQL."""
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
    target = args.target or os.environ.get("LEAD_SCORING_TARGET", "duckdb")
    print(f"Lead scoring · target {target} · as of {as_of}", flush=True)
    if target != "duckdb":  # --- Spark targets (scripts/lead_scoring/spark_publication.py)
        from scripts.lead_scoring import spark_publication

        return spark_publication.run(args, target, as_of, started)
    files = serving_files(args)
    return locked(files, "pipeline.py run", args.lock_timeout,
                  lambda build: build_audit_publish(args, files, build, as_of, started))


def build_audit_publish(args: argparse.Namespace, files: Files, build: BuildCopy,
                        as_of: date, started: float) -> int:
    """The steps of `run` on the build copy; publishes only when every audit passed."""
    dbt_vars: dict[str, Any] = {"raw_schema": args.raw_schema, "score_as_of": as_of.isoformat()}
    if args.point_in_time:
        dbt_vars["point_in_time"] = True
    demo_loaded = False
    if args.raw_from is not None:
        from scripts.load_raw import RawDataError, load_raw_tables

        print(f"1/5 raw data from {args.raw_from}", flush=True)
        try:
            loaded = load_raw_tables(args.raw_from, files.build, args.raw_schema)
        except RawDataError as error:
            raise PipelineError(str(error)) from error
        rows = ", ".join(f"{table} {count:,}" for table, count in loaded.items())
        print(f"  loaded into {files.warehouse.name} schema {args.raw_schema}: {rows}",
              flush=True)
    elif args.no_demo:
        from scripts.load_raw import raw_row_counts

        counts = raw_row_counts(files.build, args.raw_schema)
        if any(count is None for count in counts.values()):
            raise PipelineError(
                f"{files.warehouse}: raw tables missing or empty in schema "
                f"{args.raw_schema}: {counts} (load them with scripts/load_raw.py)"
            )
    else:
        print("1/5 raw data", flush=True)
        message = ensure_raw_data(files.build, files.warehouse.parent / "demo",
                                  args.raw_schema, args.demo_leads, args.demo_seed, as_of)
        demo_loaded = message.startswith("demo data loaded")
        print("  " + message.replace(files.build.name, files.warehouse.name), flush=True)
    last_day = last_history_date(files.build)
    dbt = Dbt(args.target, dbt_vars, args.verbose)
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
            build.keep = True
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
    print(f"2/5 dbt build (seeds, models, {'unit and ' if args.unit_tests else ''}data tests)",
          flush=True)
    outcome = dbt.build(args.select, args.unit_tests)
    failed = outcome.report()
    if failed is not None:
        build.keep = True
        return failed
    print("3/5 audits", flush=True)
    checks = audit(dbt, outcome, files, args.quarantine_warn_share, args.max_band_shift)
    if outcome.test_failures or any(c.failures and c.severity == "error" for c in checks):
        build.keep = True
        return refuse_publication(outcome, checks, files)
    summary = report = None
    if not args.no_summary:
        # read before the build is handed over, printed once it is published
        with reading(files.build) as reader:
            summary, report = summarise(reader, args.top), report_data(reader)
    failpoint("audited")
    print("4/5 publication", flush=True)
    print_publication(build.publish(as_of.isoformat(), "pipeline.py run"), files)
    if summary is not None and report is not None:
        print("5/5 summary", flush=True)
        print(summary, flush=True)
        report_path = write_report(report, args.report or files.warehouse.parent / "report.html",
                                   as_of)
        print(f"\nReport: {report_path}", flush=True)
    print(f"\nDone in {time.monotonic() - started:.1f} s. BI tools read {files.serving} "
          "(read-only; schema marts: fct_lead_scores, fct_lead_score_contributions, dim_leads, "
          "agg_lead_score_bands, fct_lead_funnel, dim_lead_contact_profiles, "
          "fct_crm_lead_sync, fct_quarantined_rows, ...; schema publication: what was "
          "published when).")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    commands = {"run": run, "backfill": backfill, "history": show_history}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
