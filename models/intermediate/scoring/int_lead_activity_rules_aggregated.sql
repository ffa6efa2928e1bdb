-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead with activities up to the as-of date: for each activity
-- rule of every scorecard, the count of matching activities and their decay
-- (columns written by the scorecard_activity_aggregates macro).
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
    select * from {{ ref('int_activities_unioned') }}
),

scored_activities as (
    select
        lead_id,
        activity_type,
        event_type,
        page_path,
        content_type,
        campaign_id,
        email_id,
        {{ dbt.datediff('activity_date', lead_scoring.score_as_of_date(), 'day') }}
            as age_days
    from activities
    where
        activity_date <= {{ lead_scoring.score_as_of_date() }}
        {%- if activity_types | length > 0 %}
            and activity_type in ({{ activity_types | unique | join(', ') }})
        {%- else %}
            and false
        {%- endif %}
),

final as (
    select
        {{ (['lead_id'] + aggregates) | join(',\n        ') }}
    from scored_activities
    group by lead_id
)

select * from final
