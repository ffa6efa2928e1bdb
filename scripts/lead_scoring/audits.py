"""Step 3 of a run: the audits of the build, printed; dbt's tests ran in the build."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts.lead_scoring.dbt_client import BuildOutcome, Dbt
from scripts.lead_scoring.errors import PipelineError
from scripts.lead_scoring.publication import PublishSession


@dataclass
class Check:
    name: str
    severity: str  # error or warn
    failures: int
    detail: str


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
    coalesce(string_agg(
        source_table || ' ' || cast(raw_rows as {{ dbt.type_string() }}) || ' = '
        || cast(usable_rows as {{ dbt.type_string() }}) || ' + '
        || cast(quarantined_rows as {{ dbt.type_string() }}),
        ', ' order by source_table
    ), 'no raw rows')
from reconciliation
where raw_rows > 0 or usable_rows + quarantined_rows > 0
union all
select
    'event types no scorecard rule scores', 'warn', count(*),
    coalesce(string_agg(
        coalesce(event_type, '(none)') || ' (' || cast(n as {{ dbt.type_string() }})
        || ' events)', ', ' order by n desc, event_type
    ), 'none')
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


def validate(dbt: Dbt, warn_share: float) -> list[Check]:
    rows = dbt.query(VALIDATION_SQL.replace("{share}", repr(float(warn_share))))
    return [
        Check(row["check_name"], row["severity"], int(row["failures"]), row["detail"])
        for row in rows
    ]


def band_shift_problems(previous: list[dict[str, Any]], current: list[dict[str, Any]],
                        tolerance: float, publication_id: int) -> list[str]:
    """Bands whose share of leads moved by more than ``tolerance`` since the last publication.

    Shares are fractions of a scorecard's leads; a band missing on one side
    counts as 0. Scorecards new since the last publication are not compared.
    """
    def shares(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
        result: dict[str, dict[str, float]] = {}
        for row in rows:
            result.setdefault(row["scorecard_id"], {})[row["band"]] = float(row["lead_share"] or 0)
        return result

    before, now = shares(previous), shares(current)
    problems = []
    for scorecard in sorted(set(before) & set(now)):
        for band in sorted(set(before[scorecard]) | set(now[scorecard])):
            old, new = before[scorecard].get(band, 0.0), now[scorecard].get(band, 0.0)
            if abs(new - old) > tolerance + 1e-12:
                problems.append(
                    f"scorecard {scorecard}, band {band}: {old:.1%} of leads in publication "
                    f"{publication_id}, {new:.1%} now ({(new - old) * 100:+.1f} points; "
                    f"tolerance {tolerance * 100:g})"
                )
    return problems


def band_shift_check(session: PublishSession, tolerance: float) -> Check:
    """Each band's share of leads against the last publication (a bad scorecard or
    bad data moves many leads at once; a daily run moves a few)."""
    name = "band shares near the last publication"
    previous = session.last_publication()
    if previous is None:
        return Check(name, "error", 0, "nothing published yet, nothing to compare with")
    with session.reader() as build:
        current = build.rows("agg_lead_score_bands")
    problems = band_shift_problems(session.published_rows("agg_lead_score_bands"), current,
                                   tolerance, previous.publication_id)
    if problems:
        return Check(name, "error", len(problems),
                     "; ".join(problems) + " (intended? rerun with a larger --max-band-shift)")
    return Check(name, "error", 0,
                 f"every band within {tolerance * 100:g} points of publication "
                 f"{previous.publication_id} ({previous.published_at} UTC)")


def audit(dbt: Dbt, outcome: BuildOutcome, session: PublishSession, warn_share: float,
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
        checks.append(band_shift_check(session, max_band_shift))
    print_checks(checks)
    return checks


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "ok" if check.failures == 0 else check.severity.upper()
        print(f"  {mark:<5} {check.name}: {check.detail}", flush=True)


def failed(checks: list[Check]) -> list[Check]:
    """The checks that stop a publication."""
    return [check for check in checks if check.failures and check.severity == "error"]
