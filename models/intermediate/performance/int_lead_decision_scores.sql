-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead with a version on its decision date and scorecard: the
-- score the scorecard gives the lead on its decision date, computed point
-- in time (int_lead_decision_contributions), then group caps, band and
-- grade as for the daily scores. Manual adjustments are not applied. The
-- backtest falls back on it for a scorecard whose history has no row on
-- the decision date (a scorecard added after the history began), so it is
-- backtested on its first run.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set band = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', market='market'
) if execute else "'band'" %}
{%- set band_rank = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', 'rank', market='market'
) if execute else '1' %}
{%- set grade = lead_scoring.scorecard_threshold_case(scorecard, 'grades', 'fit_score')
    if execute else "'grade'" %}

with

leads as (
    select * from {{ ref('int_leads_on_decision_date') }}
),

contributions as (
    select * from {{ ref('int_lead_decision_contributions') }}
),

score_groups as (
    {%- if execute %}
        {{ lead_scoring.scorecard_groups_relation(scorecard) }}
    {%- else %}
    select
        'scorecard' as scorecard_id,
        'group' as score_group,
        'fit' as dimension,
        cast(null as double) as min_points,
        cast(null as double) as max_points
    {%- endif %}
),

group_sums as (
    select
        lead_id,
        scorecard_id,
        score_group,
        sum(contribution) as points_unclamped
    from contributions
    group by lead_id, scorecard_id, score_group
),

lead_groups as (
    select
        leads.lead_id,
        leads.market,
        leads.decision_date,
        score_groups.scorecard_id,
        score_groups.dimension,
        score_groups.min_points,
        score_groups.max_points,
        coalesce(group_sums.points_unclamped, 0) as points_unclamped
    from leads
    cross join score_groups
    left join group_sums
        on
            leads.lead_id = group_sums.lead_id
            and score_groups.scorecard_id = group_sums.scorecard_id
            and score_groups.score_group = group_sums.score_group
),

clamped as (
    select
        *,
        case
            when min_points is not null and points_unclamped < min_points
                then min_points
            when max_points is not null and points_unclamped > max_points
                then max_points
            else points_unclamped
        end as points
    from lead_groups
),

totals as (
    select
        lead_id,
        scorecard_id,
        market,
        decision_date,
        cast(
            round(sum(case when dimension = 'fit' then points else 0 end), 2)
            as decimal(18, 2)
        ) as fit_score,
        cast(
            round(sum(case when dimension = 'engagement' then points else 0 end), 2)
            as decimal(18, 2)
        ) as engagement_score,
        cast(round(sum(points), 2) as decimal(18, 2)) as total_score
    from clamped
    group by lead_id, scorecard_id, market, decision_date
),

final as (
    select
        lead_id,
        scorecard_id,
        {{ band }} as band,
        {{ grade }} as grade,
        {{ band_rank }} as band_rank,
        fit_score,
        engagement_score,
        total_score,
        decision_date
    from totals
)

select * from final
