-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, as-of date and scorecard: the final score after manual
-- adjustments, published (rounded to 2 decimals at the end), with the band
-- of the published total and the grade of the published fit score
-- (SCORING_SPEC 3.8). Leads excluded by an adjustment are flagged.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set band = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', market='market'
) if execute else "'band'" %}
{%- set grade = lead_scoring.scorecard_threshold_case(scorecard, 'grades', 'fit_score')
    if execute else "'grade'" %}
{%- set band_rank = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', 'rank', market='market'
) if execute else '1' %}

with

scores as (
    select * from {{ ref('int_lead_scores_totalled') }}
),

adjustments as (
    select * from {{ ref('int_lead_score_adjustments_applied') }}
),

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

adjustment_totals as (
    select
        lead_id,
        score_date,
        scorecard_id,
        count(*) as adjustment_count,
        sum(score_delta) as adjustment_points,
        max(case when action = 'exclude' then 1 else 0 end) = 1 as is_excluded
    from adjustments
    group by lead_id, score_date, scorecard_id
),

adjusted as (
    select
        scores.lead_id,
        scores.score_date,
        scores.scorecard_id,
        scores.fit_score_unrounded,
        scores.engagement_score_unrounded,
        scores.total_score_unrounded as rule_score_unrounded,
        coalesce(adjustment_totals.adjustment_points, 0) as adjustment_points,
        scores.total_score_unrounded
        + coalesce(adjustment_totals.adjustment_points, 0) as total_score_unrounded,
        coalesce(adjustment_totals.adjustment_count, 0) as adjustment_count,
        scores.fit_score,
        scores.engagement_score,
        leads.market,
        coalesce(adjustment_totals.is_excluded, false) as is_excluded
    from scores
    inner join leads
        on
            scores.lead_id = leads.lead_id
            and scores.score_date = leads.score_date
    left join adjustment_totals
        on
            scores.lead_id = adjustment_totals.lead_id
            and scores.score_date = adjustment_totals.score_date
            and scores.scorecard_id = adjustment_totals.scorecard_id
),

rounded as (
    select
        *,
        cast(round(total_score_unrounded, 2) as decimal(18, 2)) as total_score
    from adjusted
),

final as (
    select
        lead_id,
        score_date,
        scorecard_id,
        {{ band }} as band,
        {{ grade }} as grade,
        {{ band_rank }} as band_rank,
        fit_score_unrounded,
        engagement_score_unrounded,
        rule_score_unrounded,
        adjustment_points,
        total_score_unrounded,
        adjustment_count,
        fit_score,
        engagement_score,
        total_score,
        is_excluded
    from rounded
)

select * from final
