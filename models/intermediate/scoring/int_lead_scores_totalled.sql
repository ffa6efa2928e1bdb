-- One row per lead, as-of date and scorecard: the rule-based fit,
-- engagement and total score (SCORING_SPEC 3.7), unrounded and rounded to 2
-- decimals. Manual adjustments, bands and grades come next
-- (int_lead_scores_adjusted).

with

lead_groups as (
    select * from {{ ref('int_lead_groups_scored') }}
),

summed as (
    select
        lead_id,
        score_date,
        scorecard_id,
        sum(case when dimension = 'fit' then points else 0 end)
            as fit_score_unrounded,
        sum(case when dimension = 'engagement' then points else 0 end)
            as engagement_score_unrounded,
        sum(points) as total_score_unrounded
    from lead_groups
    group by lead_id, score_date, scorecard_id
),

rounded as (
    select
        *,
        cast(round(fit_score_unrounded, 2) as decimal(18, 2)) as fit_score,
        cast(
            round(engagement_score_unrounded, 2) as decimal(18, 2)
        ) as engagement_score,
        cast(round(total_score_unrounded, 2) as decimal(18, 2)) as total_score
    from summed
),

final as (
    select
        lead_id,
        score_date,
        scorecard_id,
        fit_score_unrounded,
        engagement_score_unrounded,
        total_score_unrounded,
        fit_score,
        engagement_score,
        total_score
    from rounded
)

select * from final
