{{ config(materialized='view') }}
-- A view: the activity stream is written once, by int_activities_consented
-- (docs/performance.md), not once per step.
-- One row per raw event row: the staging checks, plus the one staging cannot
-- make without a join: an event whose lead does not exist is quarantined.
with

events as (
    select * from {{ ref('stg_crm__events') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

validated as (
    select
        events.source_row_number,
        events.event_id,
        events.lead_id,
        events.event_type,
        events.page_path,
        events.content_type,
        events.campaign_id,
        events.email_id,
        coalesce(
            events.quarantine_reason,
            case when known_leads.lead_id is null then 'unknown lead' end
        ) as quarantine_reason,
        events.occurred_date,
        events.occurred_at
    from events
    left join known_leads
        on events.lead_id = known_leads.lead_id
),

final as (
    select
        source_row_number,
        event_id,
        lead_id,
        event_type,
        page_path,
        content_type,
        campaign_id,
        email_id,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        occurred_date,
        occurred_at
    from validated
)

select * from final
