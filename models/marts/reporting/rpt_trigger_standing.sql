-- One row per trigger and scorecard with leads at or over its threshold on
-- the as-of date (fct_lead_score_trigger_standing): how many, how many of
-- them fired since they last went over (fct_lead_score_trigger_log), and
-- how many did not: leads that were over it before triggers were switched
-- on (the first run fires nothing) or went over on a day only a backfill
-- scored. `pipeline.py run --enroll-existing` fires for those.
with

standing as (
    select * from {{ ref('fct_lead_score_trigger_standing') }}
),

trigger_log as (
    select * from {{ ref('fct_lead_score_trigger_log') }}
),

lead_firings as (
    select
        standing.trigger_name,
        standing.scorecard_id,
        standing.lead_id,
        max(case when trigger_log.lead_id is null then 0 else 1 end) as has_fired
    from standing
    left join trigger_log
        on
            standing.trigger_name = trigger_log.trigger_name
            and standing.lead_id = trigger_log.lead_id
            and standing.scorecard_id = trigger_log.scorecard_id
            and standing.over_since <= trigger_log.crossed_on
    group by standing.trigger_name, standing.scorecard_id, standing.lead_id
),

final as (
    select
        trigger_name,
        scorecard_id,
        cast(count(*) as bigint) as at_or_over_count,
        cast(sum(has_fired) as bigint) as fired_count,
        cast(count(*) - sum(has_fired) as bigint) as not_fired_count
    from lead_firings
    group by trigger_name, scorecard_id
)

select * from final
