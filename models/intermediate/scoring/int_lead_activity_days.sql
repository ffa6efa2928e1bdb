{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{{ lead_scoring.purge_erased_leads() }}",
            "{{ lead_scoring.activity_days_rebuild() }}",
        ],
        post_hook=["{{ lead_scoring.activity_days_drop_unused() }}"],
    )
}}
-- depends_on: {{ ref('stg_crm__erasure_requests') }}
-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- The kept per-lead state of the activity rules (docs/incremental.md): per
-- lead, activity test (a rule's activity_type and field test, shared by the
-- rules that have the same) and activity date, how many usable staged
-- events pass the test. A run adds the counts of the events staged since
-- the last run (`staged_at` after the markers' `staged_through`); a late
-- event adds to its own day. Windows and decay depend only on the date, so
-- every rule's count, decayed sum and newest age on any date come from
-- these rows (int_lead_activity_rules_aggregated). Marker rows (lead_id
-- null), one per test and run, say up to where each test is counted. A new
-- or edited test is counted from every staged event, a rebuilt event
-- staging recounts everything (pre-hook), the erased leads' rows are
-- deleted (pre-hook) and so are the tests no rule uses any more
-- (post-hook). Which leads exist and their consent are applied when the
-- rows are read, not here: they change without new events.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set tests = lead_scoring.scorecard_activity_tests(scorecard)
    if execute else [] %}
{%- set plan = lead_scoring.activity_days_plan(tests) %}
{%- if execute and is_incremental() %}
    {%- if plan['rebuild'] %}
        {%- do log('int_lead_activity_days: counting every staged event again: '
            ~ plan['reason'], info=true) %}
    {%- else %}
        {%- if plan['dropped'] | length > 0 %}
            {%- do log('int_lead_activity_days: ' ~ plan['dropped'] | length
                ~ ' activity tests no rule uses any more: their counts are deleted ('
                ~ plan['dropped'] | join(', ') ~ ')', info=true) %}
        {%- endif %}
        {%- if plan['recount'] | length > 0 %}
            {%- do log('int_lead_activity_days: ' ~ plan['recount'] | length
                ~ ' activity tests new since the last run (a new or edited rule), counted from every staged event: '
                ~ plan['recount'] | map(attribute='label') | join('; '), info=true) %}
        {%- endif %}
        {%- if plan['since'] | length > 0 %}
            {%- do log('int_lead_activity_days: the other ' ~ plan['since'] | length
                ~ ' tests count the events staged after '
                ~ plan['counted_through'], info=true) %}
        {%- endif %}
    {%- endif %}
{%- endif %}

with

events as (
    -- the usable staged events: all of them, or those staged after the
    -- oldest marker of the tests counted already
    select
        lead_id,
        occurred_date as activity_date,
        event_type as activity_type,
        {{ lead_scoring.scorecard_activity_columns(
            renamed={'activity_source': "'events'"},
            absent=['touch_type', 'outcome', 'owner_id', 'opportunity_id', 'stage'],
        ) }},
        staged_at
    from {{ ref('stg_crm__events') }}
    where
        is_usable
        and {{ 'staged_at > ' ~ plan['scan_from']
            if plan['scan_from'] is not none else 'true' }}
),

day_counts as (
    {{ lead_scoring.scorecard_activity_day_counts(
        tests, 'events', since=plan['since']
    ) }}
),

tests as (
    {{ lead_scoring.scorecard_activity_tests_relation(tests) }}
),

last_staged as (
    -- what this run counts up to: the newest staged event
    select max(staged_at) as staged_through
    from {{ ref('stg_crm__events') }}
),

final as (
    select
        day_counts.lead_id,
        day_counts.rule_test,
        day_counts.activity_date,
        day_counts.activity_count,
        last_staged.staged_through,
        {{ lead_scoring.run_started_timestamp(microseconds=true) }} as counted_at
    from day_counts
    cross join last_staged
    union all
    -- one marker per test and run: counted up to the newest staged event
    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        tests.rule_test,
        cast(null as date) as activity_date,
        cast(0 as bigint) as activity_count,
        last_staged.staged_through,
        {{ lead_scoring.run_started_timestamp(microseconds=true) }} as counted_at
    from tests
    cross join last_staged
    where tests.test_index > 0
)

select * from final
