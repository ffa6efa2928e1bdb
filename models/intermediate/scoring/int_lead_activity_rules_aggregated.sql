-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead and as-of date with activities up to that date: for each
-- activity rule of every scorecard, the count of matching activities and
-- their decay (columns written by the scorecard_activity_aggregates macro).
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set aggregates = lead_scoring.scorecard_activity_aggregates(scorecard)
    if execute else [] %}
{%- set activity_types = [] %}
{%- if execute %}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' %}
        {%- do activity_types.append(
            lead_scoring.string_literal(rule['activity_type'])
        ) %}
    {%- endfor %}
{%- endif %}

with

activities as (
    -- the scored activities of the types the rules count; filtering here,
    -- before the join to the dates, also keeps DuckDB 2.0 clear of an
    -- optimizer error ("conflicting column binding") on long date ranges
    select * from {{ ref('int_activities_consented') }}
    where
        is_scored
        {%- if activity_types | length > 0 %}
            and activity_type in ({{ activity_types | unique | join(', ') }})
        {%- else %}
            and false
        {%- endif %}
),

score_dates as (
    {{ lead_scoring.score_dates_relation() }}
),

scored_activities as (
    select
        activities.lead_id,
        score_dates.score_date,
        activities.activity_type,
        activities.event_type,
        activities.page_path,
        activities.content_type,
        activities.campaign_id,
        activities.email_id,
        activities.activity_source,
        activities.touch_type,
        activities.outcome,
        activities.owner_id,
        activities.opportunity_id,
        activities.stage,  -- noqa: RF04
        activities.activity_id as event_id,
        cast(activities.occurred_at as {{ dbt.type_string() }}) as occurred_at,
        {{ dbt.datediff('activities.activity_date', 'score_dates.score_date', 'day') }}
            as age_days
    from activities
    inner join score_dates
        on activities.activity_date <= score_dates.score_date
),

final as (
    select
        {{ (['lead_id', 'score_date'] + aggregates) | join(',\n        ') }}
    from scored_activities
    group by lead_id, score_date
)

select * from final
