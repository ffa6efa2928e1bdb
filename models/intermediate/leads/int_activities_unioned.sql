-- One row per usable activity of a known lead: the single stream that
-- activity rules score. Marketing events today; CRM activities (sales
-- touches, opportunity events) join this union in later work.
with

events as (
    select * from {{ ref('int_events_validated') }}
),

marketing_events as (
    select
        'events:' || cast(source_row_number as {{ dbt.type_string() }})
            as activity_key,
        event_id as activity_id,
        lead_id,
        'events' as activity_source,
        event_type as activity_type,
        event_type,
        page_path,
        content_type,
        campaign_id,
        email_id,
        occurred_date as activity_date,
        occurred_at
    from events
    where is_usable
),

final as (
    select * from marketing_events
)

select * from final
