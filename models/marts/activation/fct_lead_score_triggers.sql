-- One row per trigger firing detected by the latest run: the outbox a
-- reverse-ETL or email job reads after each run. Empty when the run found
-- nothing new, so running twice on the same data triggers nothing twice.
with

trigger_log as (
    select * from {{ ref('fct_lead_score_trigger_log') }}
),

final as (
    select
        trigger_name,
        lead_id,
        scorecard_id,
        band,
        total_score,
        crossed_on,
        detected_at
    from trigger_log
    where
        detected_at = {{ lead_scoring.run_started_timestamp() }}
)

select * from final
