-- One row per trigger and scorecard that fired in this run: how many leads
-- (fct_lead_score_triggers, the outbox).
with

triggers as (
    select * from {{ ref('fct_lead_score_triggers') }}
),

final as (
    select
        trigger_name,
        scorecard_id,
        cast(count(*) as bigint) as lead_count
    from triggers
    group by trigger_name, scorecard_id
)

select * from final
