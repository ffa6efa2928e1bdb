-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
        post_hook=["{{ lead_scoring.purge_erased_leads() }}"],
    )
}}
-- depends_on: {{ ref('stg_crm__erasure_requests') }}
-- One row per trigger firing: a lead whose score reached a trigger's
-- threshold (var score_triggers) on a day when, on its previous scored day
-- (however long ago), it was below it or had no score. Append-only and never
-- rebuilt by --full-refresh: it remembers what scheduled jobs were told. A
-- run fires only for the days after the last day earlier runs scored (the
-- watermark), so rescoring or back-filling past days fires nothing, and a
-- crossing already logged is never logged again.
-- The first run (the log does not exist yet) switches triggers on: it
-- records where every lead stands and fires nothing, as marketing platforms
-- do not enroll existing records unless asked. var enroll_existing_leads
-- (pipeline.py run --enroll-existing) asks: one firing for every lead at or
-- over a threshold on the as-of date (fct_lead_score_trigger_standing)
-- that has none since it last went over, dated the day it went over.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set triggers = lead_scoring.score_trigger_conditions(scorecard) if execute else [] %}
{%- set first_date = "cast('" ~ lead_scoring.score_dates()[0] ~ "' as date)" %}
{%- set crossing_selects = [] %}
{%- for trigger in triggers %}
    {%- do crossing_selects.append(
        'select ' ~ lead_scoring.string_literal(trigger['name']) ~ ' as trigger_name, '
        ~ 'lead_id, scorecard_id, band, total_score, score_date as crossed_on, ('
        ~ trigger['condition'] ~ ') as is_on, lag(' ~ trigger['condition']
        ~ ') over (partition by lead_id order by score_date) as was_on '
        ~ 'from history_around_run where scorecard_id = '
        ~ lead_scoring.string_literal(trigger['scorecard_id'])
    ) %}
{%- endfor %}
{%- if crossing_selects | length == 0 %}
    {%- do crossing_selects.append(
        'select cast(null as ' ~ dbt.type_string() ~ ') as trigger_name, lead_id, '
        ~ 'scorecard_id, band, total_score, score_date as crossed_on, false as is_on, '
        ~ 'false as was_on from history_around_run where false'
    ) %}
{%- endif %}
{%- set logged_relation = this if is_incremental() else none %}
{%- set fire = lead_scoring.run_var('fire_triggers', true) %}
{%- set enroll = fire and lead_scoring.run_var('enroll_existing_leads', false) %}

with

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

standing as (
    select * from {{ ref('fct_lead_score_trigger_standing') }}
),

watermark as (
    -- the last day that runs before this one scored
    select max(score_date) as scored_through
    from history
    where scored_at < {{ lead_scoring.run_started_timestamp() }}
),

last_day_before_run as (
    -- each lead's latest scored day before the run, however long ago
    select
        lead_id,
        scorecard_id,
        max(score_date) as score_date
    from history
    where score_date < {{ first_date }}
    group by lead_id, scorecard_id
),

history_around_run as (
    -- the run's days and each lead's latest scored day before them
    select
        history.lead_id,
        history.scorecard_id,
        history.band,
        history.total_score,
        history.band_rank,
        history.score_date
    from history
    left join last_day_before_run
        on
            history.lead_id = last_day_before_run.lead_id
            and history.scorecard_id = last_day_before_run.scorecard_id
            and history.score_date = last_day_before_run.score_date
    where
        last_day_before_run.lead_id is not null
        or (
            history.score_date >= {{ first_date }}
            and history.score_date <= {{ lead_scoring.score_as_of_date() }}
        )
),

crossings as (
    {{ crossing_selects | join('\n    union all\n    ') }}
),

logged as (
    -- what earlier runs logged (nothing on the first run)
    select
        trigger_name,
        lead_id,
        scorecard_id,
        crossed_on
    from {{ logged_relation if logged_relation is not none else 'crossings' }}
    where {{ 'true' if logged_relation is not none else 'false' }}
),

new_crossings as (
    select crossings.*
    from crossings
    left join logged
        on
            crossings.trigger_name = logged.trigger_name
            and crossings.lead_id = logged.lead_id
            and crossings.scorecard_id = logged.scorecard_id
            and crossings.crossed_on = logged.crossed_on
    cross join watermark
    where
        logged.lead_id is null
        and crossings.is_on
        and not coalesce(crossings.was_on, false)
        and crossings.crossed_on >= {{ first_date }}
        and (
            watermark.scored_through is null
            or crossings.crossed_on > watermark.scored_through
        )
        -- the first run records the baseline: it fires no crossing
        and {{ 'true' if fire and logged_relation is not none else 'false' }}
),

enrolled as (
    -- leads at or over a threshold without a firing since they went over
    select
        standing.trigger_name,
        standing.lead_id,
        standing.scorecard_id,
        standing.band,
        standing.total_score,
        standing.over_since as crossed_on
    from standing
    left join logged
        on
            standing.trigger_name = logged.trigger_name
            and standing.lead_id = logged.lead_id
            and standing.scorecard_id = logged.scorecard_id
            and standing.over_since <= logged.crossed_on
    left join new_crossings
        on
            standing.trigger_name = new_crossings.trigger_name
            and standing.lead_id = new_crossings.lead_id
            and standing.scorecard_id = new_crossings.scorecard_id
    where
        logged.lead_id is null
        and new_crossings.lead_id is null
        and {{ 'true' if enroll else 'false' }}
),

fired as (
    select
        trigger_name,
        lead_id,
        scorecard_id,
        band,
        total_score,
        crossed_on
    from new_crossings
    union all
    select
        trigger_name,
        lead_id,
        scorecard_id,
        band,
        total_score,
        crossed_on
    from enrolled
),

final as (
    select
        trigger_name,
        lead_id,
        scorecard_id,
        band,
        total_score,
        crossed_on,
        {{ lead_scoring.run_started_timestamp() }} as detected_at
    from fired
)

select * from final
