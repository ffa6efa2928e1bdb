-- One row per trigger firing detected by the latest run for a lead that may
-- be contacted: the outbox a reverse-ETL or email job reads after each run.
-- Empty when the run found nothing new, so running twice on the same data
-- triggers nothing twice. Firings of leads without marketing consent stay in
-- the log only; dim_lead_contact_profiles says why.
with

trigger_log as (
    select * from {{ ref('fct_lead_score_trigger_log') }}
),

contactability as (
    select * from {{ ref('int_lead_contactability') }}
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
        and lead_id in (
            select contactability.lead_id
            from contactability
            where contactability.is_contactable
        )
)

select * from final
