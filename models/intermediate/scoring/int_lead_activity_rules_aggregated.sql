{{ config(materialized='view') }}
-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead and as-of date with activities up to that date: for each
-- activity rule of every scorecard, the count of matching activities and
-- their decay (columns written by the scorecard_activity_aggregates macro),
-- from day counts: the kept ones of int_lead_activity_days for the marketing
-- events, and the ones counted here, on every run, for the activities whose
-- scoring can change without a new event (docs/incremental.md). A view:
-- int_lead_rule_contributions reads it once.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set tests = lead_scoring.scorecard_activity_tests(scorecard)
    if execute else [] %}
{%- set aggregates = lead_scoring.scorecard_activity_aggregates(
    scorecard, tests=tests) if execute else [] %}

with

kept_days as (
    select * from {{ ref('int_lead_activity_days') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

consent_periods as (
    select * from {{ ref('int_lead_consent_periods') }}
),

crm_activities as (
    -- sales touches and opportunity events: small tables, restaged whole
    select * from {{ ref('int_activities_consented') }}
    where activity_source <> 'events'
),

withdrawn_leads as (
    -- the few leads whose marketing consent was ever withdrawn: whether
    -- their activities count depends on when, so they are counted here
    select distinct lead_id
    from consent_periods
    where
        purpose = 'marketing'
        and status = 'withdrawn'
),

kept_event_days as (
    -- the kept counts of the other known leads (marker rows have no lead)
    select
        kept_days.lead_id,
        kept_days.rule_test,
        kept_days.activity_date,
        kept_days.activity_count
    from kept_days
    inner join known_leads
        on kept_days.lead_id = known_leads.lead_id
    left join withdrawn_leads
        on kept_days.lead_id = withdrawn_leads.lead_id
    where withdrawn_leads.lead_id is null
),

withdrawn_lead_events as (
    -- the marketing events of the leads that withdrew consent (an inner
    -- join: the events are not read when no lead did)
    select events.*
    from {{ ref('int_activities_consented') }} as events
    inner join withdrawn_leads
        on events.lead_id = withdrawn_leads.lead_id
    where events.activity_source = 'events'
),

streamed_activities as (
    -- counted on every run, not kept
    select * from crm_activities
    union all
    select * from withdrawn_lead_events
),

scored_streamed_activities as (
    select
        lead_id,
        activity_date,
        activity_type,
        {{ lead_scoring.scorecard_activity_columns(renamed={'event_id': 'activity_id'}) }}
    from streamed_activities
    where is_scored
),

streamed_days as (
    {{ lead_scoring.scorecard_activity_day_counts(tests, 'scored_streamed_activities') }}
),

activity_days as (
    select * from kept_event_days
    union all
    select * from streamed_days
),

tests as (
    {{ lead_scoring.scorecard_activity_tests_relation(tests) }}
),

score_dates as (
    {{ lead_scoring.score_dates_relation() }}
),

scored_days as (
    select
        activity_days.lead_id,
        score_dates.score_date,
        tests.test_index,
        activity_days.activity_count,
        {{ dbt.datediff('activity_days.activity_date', 'score_dates.score_date', 'day') }}
            as age_days
    from activity_days
    inner join tests
        on activity_days.rule_test = tests.rule_test
    inner join score_dates
        on activity_days.activity_date <= score_dates.score_date
),

final as (
    select
        {{ (['lead_id', 'score_date'] + aggregates) | join(',\n        ') }}
    from scored_days
    group by lead_id, score_date
)

select * from final
