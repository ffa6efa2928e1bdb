-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, as-of date, scorecard and score group: the sum of the
-- group's rule contributions, then clamped to the group's
-- [min_points, max_points] (SCORING_SPEC 3.6). Every group is listed for
-- every lead, because a group floor above 0 applies even when no rule does.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}

with

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

contributions as (
    select * from {{ ref('int_lead_rule_contributions') }}
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
        score_date,
        scorecard_id,
        score_group,
        count(*) as applied_rule_count,
        sum(contribution) as points_unclamped
    from contributions
    group by lead_id, score_date, scorecard_id, score_group
),

lead_groups as (
    select
        leads.lead_id,
        leads.score_date,
        score_groups.scorecard_id,
        score_groups.score_group,
        score_groups.dimension,
        score_groups.min_points,
        score_groups.max_points
    from leads
    cross join score_groups
),

summed as (
    select
        lead_groups.*,
        coalesce(group_sums.applied_rule_count, 0) as applied_rule_count,
        coalesce(group_sums.points_unclamped, 0) as points_unclamped
    from lead_groups
    left join group_sums
        on
            lead_groups.lead_id = group_sums.lead_id
            and lead_groups.score_date = group_sums.score_date
            and lead_groups.scorecard_id = group_sums.scorecard_id
            and lead_groups.score_group = group_sums.score_group
),

final as (
    select
        lead_id,
        score_date,
        scorecard_id,
        score_group,
        dimension,
        min_points,
        max_points,
        applied_rule_count,
        points_unclamped,
        case
            when
                min_points is not null and points_unclamped < min_points
                then min_points
            when
                max_points is not null and points_unclamped > max_points
                then max_points
            else points_unclamped
        end as points
    from summed
)

select * from final
