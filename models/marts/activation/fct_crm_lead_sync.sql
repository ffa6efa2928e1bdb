-- One row per lead whose CRM values changed in the latest run: what a
-- reverse-ETL job writes into the CRM (lead id, score, band, grade, top
-- three reasons, when they changed). Empty when nothing changed, so
-- running the pipeline twice on the same data syncs nothing twice.
with

sync_log as (
    select * from {{ ref('fct_crm_sync_log') }}
),

final as (
    select
        lead_id,
        scorecard_id,
        band,
        grade,
        top_reasons,
        total_score,
        score_as_of,
        synced_at as updated_at
    from sync_log
    where synced_at = {{ lead_scoring.run_started_timestamp() }}
)

select * from final
