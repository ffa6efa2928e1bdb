{{
    config(
        materialized='incremental',
        incremental_strategy=(
            'insert_overwrite' if target.type == 'spark' else 'append'
        ),
        partition_by=(['score_date'] if target.type == 'spark' else none),
        on_schema_change='fail',
        full_refresh=(none if var('rebuild_history', false) else false),
        pre_hook=["{{ lead_scoring.delete_scored_days() }}"],
        post_hook=["{{ lead_scoring.purge_erased_leads() }}"],
    )
}}
-- depends_on: {{ ref('stg_crm__erasure_requests') }}
-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, scorecard and day: the published score of each day the
-- runs scored, the one place scores are stored (fct_lead_scores is the
-- as-of date's slice). The fit and engagement scores sum the day's rule and
-- group cap contributions, the total adds the manual adjustments
-- (SCORING_SPEC 3.7), each rounded to 2 decimals at the end; the band
-- follows the published total, the grade the published fit score (3.8).
-- Leads excluded by an adjustment are left out. A run replaces exactly the
-- days it scored (a daily run: its as-of date; a backfill: history_start to
-- score_as_of) and keeps the others, so no merge is needed on any engine.
-- A plain --full-refresh keeps it; only a backfill asked to (var
-- rebuild_history) starts it over.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set scorecard_ids = scorecard['scorecards'] | map(attribute='scorecard_id')
    | list if execute else ['scorecard'] %}
{%- set scorecard_rows = [] %}
{%- for scorecard_id in scorecard_ids %}
    {%- do scorecard_rows.append([lead_scoring.string_literal(scorecard_id)]) %}
{%- endfor %}

with

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

contributions as (
    select * from {{ ref('int_lead_rule_contributions') }}
),

scorecards as (
    {{ lead_scoring.literal_relation(['scorecard_id'], scorecard_rows) }}
),

contribution_sums as (
    select
        lead_id,
        score_date,
        scorecard_id,
        sum(case
            when entry_type <> 'manual_adjustment' and dimension = 'fit'
                then contribution
            else 0
        end) as fit_score_unrounded,
        sum(case
            when entry_type <> 'manual_adjustment' and dimension = 'engagement'
                then contribution
            else 0
        end) as engagement_score_unrounded,
        sum(case
            when entry_type = 'manual_adjustment' then contribution else 0
        end) as adjustment_points,
        max(case when entry_type = 'exclusion' then 1 else 0 end) = 1
            as is_excluded
    from contributions
    group by lead_id, score_date, scorecard_id
),

lead_scores as (
    -- every lead has a score on every scorecard, rules applying or not
    select
        leads.lead_id,
        scorecards.scorecard_id,
        leads.market,
        leads.company_domain,
        coalesce(contribution_sums.fit_score_unrounded, 0)
            as fit_score_unrounded,
        coalesce(contribution_sums.engagement_score_unrounded, 0)
            as engagement_score_unrounded,
        coalesce(contribution_sums.adjustment_points, 0) as adjustment_points,
        coalesce(contribution_sums.is_excluded, false) as is_excluded,
        leads.score_date
    from leads
    cross join scorecards
    left join contribution_sums
        on
            leads.lead_id = contribution_sums.lead_id
            and leads.score_date = contribution_sums.score_date
            and scorecards.scorecard_id = contribution_sums.scorecard_id
),

rounded as (
    select
        *,
        cast(round(fit_score_unrounded, 2) as decimal(18, 2)) as fit_score,
        cast(
            round(engagement_score_unrounded, 2) as decimal(18, 2)
        ) as engagement_score,
        cast(round(
            fit_score_unrounded + engagement_score_unrounded + adjustment_points,
            2
        ) as decimal(18, 2)) as total_score
    from lead_scores
    where not is_excluded
),

final as (
    select
        lead_id,
        scorecard_id,
        {{ lead_scoring.scorecard_threshold_case(
            scorecard, 'bands', 'total_score', market='market'
        ) if execute else "'band'" }} as band,
        {{ lead_scoring.scorecard_threshold_case(scorecard, 'grades', 'fit_score')
            if execute else "'grade'" }} as grade,
        market,
        company_domain,
        fit_score,
        engagement_score,
        total_score,
        adjustment_points,
        {{ lead_scoring.scorecard_threshold_case(
            scorecard, 'bands', 'total_score', 'rank', market='market'
        ) if execute else '1' }} as band_rank,
        score_date,
        {{ lead_scoring.run_started_timestamp() }} as scored_at
    from rounded
)

select * from final
