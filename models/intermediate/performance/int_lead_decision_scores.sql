-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead with a version on its decision date and scorecard: the
-- score the scorecard gives the lead on its decision date, computed point
-- in time from what was known that day (int_leads_on_decision_date, its
-- custom attributes and activities), by the same scorecard macros as the
-- daily scores: rule CASE columns, rule caps, group caps, band and grade.
-- Manual adjustments are not applied. The backtest falls back on it for a
-- scorecard whose history has no row on the decision date (a scorecard
-- added after the history began), so it is backtested on its first run.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set aggregates = lead_scoring.scorecard_activity_aggregates(scorecard)
    if execute else [] %}
{%- set rule_columns = lead_scoring.scorecard_rule_columns(scorecard)
    if execute else [] %}
{%- set custom_attributes = scorecard['custom_attributes'] if execute else [] %}
{%- set band = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', market='market'
) if execute else "'band'" %}
{%- set band_rank = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'total_score', 'rank', market='market'
) if execute else '1' %}
{%- set grade = lead_scoring.scorecard_threshold_case(scorecard, 'grades', 'fit_score')
    if execute else "'grade'" %}
{%- set lead_columns = [
    'lead_id', 'email', 'first_name', 'last_name', 'job_title', 'seniority',
    'department', 'company_name', 'company_domain', 'industry',
    'employee_count', 'annual_revenue', 'country', 'city', 'lead_source',
    'created_at', 'updated_at', 'is_deleted'
] %}
{%- set text_columns = {
    'employee_count': 'employee_count_text',
    'annual_revenue': 'annual_revenue_text'
} %}
{%- set fact_columns = [] %}
{%- for column in lead_columns %}
    {%- do fact_columns.append(
        lead_scoring.clean_text('leads.' ~ text_columns.get(column, column))
        ~ ' as lead_' ~ column
    ) %}
{%- endfor %}
{%- set attribute_columns = [] %}
{%- for name in custom_attributes %}
    {%- do attribute_columns.append(
        'max(case when attribute_name = lower('
        ~ lead_scoring.string_literal(name)
        ~ ') then attribute_value end) as custom_attribute_' ~ loop.index
    ) %}
    {%- do fact_columns.append('custom_attributes.custom_attribute_' ~ loop.index) %}
{%- endfor %}
{%- if execute %}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' %}
        {%- do fact_columns.append('activity_rules.' ~ rule['key'] ~ '__n') %}
        {%- do fact_columns.append(
            'activity_rules.' ~ rule['key'] ~ '__'
            ~ ('decay_sum' if rule['frequency'] == 'each' else 'newest_age_days')
        ) %}
    {%- endfor %}
{%- endif %}

with

leads as (
    select * from {{ ref('int_leads_on_decision_date') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_on_decision_date') }}
    where not is_recorded_after_decision
),

activities as (
    select * from {{ ref('int_lead_activities_before_decision') }}
),

activity_rules as (
    select
        {{ (['lead_id'] + aggregates) | join(',\n        ') }}
    from (
        select
            lead_id,
            activity_type,
            event_type,
            page_path,
            content_type,
            campaign_id,
            email_id,
            activity_source,
            touch_type,
            outcome,
            owner_id,
            opportunity_id,
            stage,  -- noqa: RF04
            activity_id as event_id,
            cast(occurred_at as {{ dbt.type_string() }}) as occurred_at,
            age_days
        from activities
    ) as scored_activities
    group by lead_id
),

custom_attributes as (
    select
        {{ (['lead_id'] + attribute_columns) | join(',\n        ') }}
    from lead_attributes
    group by lead_id
),

lead_facts as (
    select
        {{ (['leads.lead_id', 'leads.decision_date as score_date', 'leads.market']
            + fact_columns) | join(',\n        ') }}
    from leads
    left join custom_attributes
        on leads.lead_id = custom_attributes.lead_id
    left join activity_rules
        on leads.lead_id = activity_rules.lead_id
),

rules_scored as (
    select
        {{ (['lead_id', 'score_date', 'market'] + rule_columns) | join(',\n        ') }}
    from lead_facts
),

contributions as (
    {%- if execute %}
        {{ lead_scoring.scorecard_contribution_rows(scorecard, 'rules_scored') }}
    {%- else %}
    select
        lead_id,
        score_date,
        'scorecard' as scorecard_id,
        'group' as score_group,
        cast(0 as double) as contribution
    from rules_scored
    {%- endif %}
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
        cast(round(sum(case when dimension = 'fit' then points else 0 end), 2)
            as decimal(18, 2)) as fit_score,
        cast(round(sum(case when dimension = 'engagement' then points else 0 end), 2)
            as decimal(18, 2)) as engagement_score,
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
