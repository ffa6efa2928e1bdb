-- One row per current lead per scorecard: the published scores, band and
-- grade as of the as-of date, after manual adjustments (leads an adjustment
-- excludes are left out). The as-of date's slice of fct_lead_score_history,
-- where scores are computed and stored; a table, because BI tools and the
-- publication read marts as tables.
with

history as (
    select * from {{ ref('fct_lead_score_history') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
),

final as (
    select
        lead_id,
        scorecard_id,
        band,
        grade,
        market,
        fit_score,
        engagement_score,
        total_score,
        adjustment_points,
        band_rank,
        score_date as score_as_of,
        scored_at
    from history
)

select * from final
