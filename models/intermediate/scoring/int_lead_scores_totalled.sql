-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, as-of date and scorecard: fit, engagement and total score,
-- unrounded and published (rounded to 2 decimals at the end, never before),
-- with the band of the published total and the grade of the published fit
-- score (SCORING_SPEC 3.7 and 3.8).
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}

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
        {%- if execute %}
            {{ lead_scoring.scorecard_threshold_case(scorecard, 'bands', 'total_score') }}
                as band,
            {{ lead_scoring.scorecard_threshold_case(scorecard, 'grades', 'fit_score') }}
                as grade,
            {{ lead_scoring.scorecard_threshold_case(scorecard, 'bands', 'total_score', 'rank') }}
                as band_rank,
        {%- else %}
        'band' as band,
        'grade' as grade,
        1 as band_rank,
        {%- endif %}
        fit_score_unrounded,
        engagement_score_unrounded,
        total_score_unrounded,
        fit_score,
        engagement_score,
        total_score
    from rounded
)

select * from final
