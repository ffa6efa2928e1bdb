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
-- One row per lead, scorecard and day: the published score of each day the
-- runs scored. A run replaces exactly the days it scored (a daily run: its
-- as-of date; a backfill: history_start to score_as_of) and keeps the others,
-- so no merge is needed on any engine. A plain --full-refresh keeps it; only
-- a backfill asked to (var rebuild_history) starts it over.
with

scores as (
    select * from {{ ref('int_lead_scores_adjusted') }}
    where not is_excluded
),

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

final as (
    select
        scores.lead_id,
        scores.scorecard_id,
        scores.band,
        scores.grade,
        leads.market,
        leads.company_domain,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.adjustment_points,
        scores.band_rank,
        scores.score_date,
        {{ lead_scoring.run_started_timestamp() }} as scored_at
    from scores
    inner join leads
        on
            scores.lead_id = leads.lead_id
            and scores.score_date = leads.score_date
)

select * from final
