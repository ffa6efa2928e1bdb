-- One row per current lead per scorecard: the published scores, band and
-- grade as of the as-of date, after manual adjustments (leads an adjustment
-- excludes are left out).
with

scores as (
    select * from {{ ref('int_lead_scores_adjusted') }}
    where
        score_date = {{ lead_scoring.score_as_of_date() }}
        and not is_excluded
),

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
),

final as (
    select
        scores.lead_id,
        scores.scorecard_id,
        scores.band,
        scores.grade,
        leads.market,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.adjustment_points,
        scores.band_rank,
        {{ lead_scoring.score_as_of_date() }} as score_as_of,
        {{ lead_scoring.run_started_timestamp() }} as scored_at
    from scores
    inner join leads
        on scores.lead_id = leads.lead_id
)

select * from final
