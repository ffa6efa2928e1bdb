-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per trigger (var score_triggers) and lead at or over its
-- threshold on the as-of date, with the first day of its current run of
-- scored days at or over it (over_since): the day it crossed, or its first
-- scored day when it was over from the start. The trigger log fires for
-- these leads when asked to enroll them (var enroll_existing_leads), and
-- rpt_trigger_standing counts those that never fired.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set triggers = lead_scoring.score_trigger_conditions(scorecard) if execute else [] %}
{%- set day_selects = [] %}
{%- for trigger in triggers %}
    {%- do day_selects.append(
        'select ' ~ lead_scoring.string_literal(trigger['name']) ~ ' as trigger_name, '
        ~ 'lead_id, scorecard_id, band, total_score, score_date, ('
        ~ trigger['condition'] ~ ') as is_over '
        ~ 'from history where scorecard_id = '
        ~ lead_scoring.string_literal(trigger['scorecard_id'])
    ) %}
{%- endfor %}
{%- if day_selects | length == 0 %}
    {%- do day_selects.append(
        'select cast(null as ' ~ dbt.type_string() ~ ') as trigger_name, lead_id, '
        ~ 'scorecard_id, band, total_score, score_date, false as is_over '
        ~ 'from history where false'
    ) %}
{%- endif %}

with

history as (
    select * from {{ ref('fct_lead_score_history') }}
    where score_date <= {{ lead_scoring.score_as_of_date() }}
),

trigger_days as (
    {{ day_selects | join('\n    union all\n    ') }}
),

last_below as (
    select
        trigger_name,
        lead_id,
        scorecard_id,
        max(score_date) as last_below_on
    from trigger_days
    where not is_over
    group by trigger_name, lead_id, scorecard_id
),

over_since as (
    -- the days after the last day below the threshold
    select
        trigger_days.trigger_name,
        trigger_days.lead_id,
        trigger_days.scorecard_id,
        min(trigger_days.score_date) as over_since
    from trigger_days
    left join last_below
        on
            trigger_days.trigger_name = last_below.trigger_name
            and trigger_days.lead_id = last_below.lead_id
            and trigger_days.scorecard_id = last_below.scorecard_id
    where
        last_below.last_below_on is null
        or trigger_days.score_date > last_below.last_below_on
    group by trigger_days.trigger_name, trigger_days.lead_id, trigger_days.scorecard_id
),

final as (
    select
        trigger_days.trigger_name,
        trigger_days.lead_id,
        trigger_days.scorecard_id,
        trigger_days.band,
        trigger_days.total_score,
        over_since.over_since
    from trigger_days
    inner join over_since
        on
            trigger_days.trigger_name = over_since.trigger_name
            and trigger_days.lead_id = over_since.lead_id
            and trigger_days.scorecard_id = over_since.scorecard_id
    where
        trigger_days.is_over
        and trigger_days.score_date = {{ lead_scoring.score_as_of_date() }}
)

select * from final
