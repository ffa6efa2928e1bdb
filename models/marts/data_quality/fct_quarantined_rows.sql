-- One row per raw row that cannot be used, with the reason: nothing is
-- dropped silently. Raw rows = usable rows + these rows, per source table.
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_validated') }}
),

events as (
    select * from {{ ref('int_events_validated') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
),

sales_activities as (
    select * from {{ ref('int_sales_activities_validated') }}
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

consents as (
    select * from {{ ref('int_consents_validated') }}
),

erasure_requests as (
    select * from {{ ref('stg_crm__erasure_requests') }}
),

quarantined as (
    select
        'leads' as source_table,
        source_row_number,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as record_key,
        quarantine_reason
    from leads
    where not is_usable
    union all
    select
        'lead_attributes' as source_table,
        source_row_number,
        lead_id,
        attribute_name as record_key,
        quarantine_reason
    from lead_attributes
    where not is_usable
    union all
    select
        'events' as source_table,
        source_row_number,
        lead_id,
        event_id as record_key,
        quarantine_reason
    from events
    where not is_usable
    union all
    select
        'opportunities' as source_table,
        source_row_number,
        lead_id,
        opportunity_id as record_key,
        quarantine_reason
    from opportunities
    where not is_usable
    union all
    select
        'sales_activities' as source_table,
        source_row_number,
        lead_id,
        activity_id as record_key,
        quarantine_reason
    from sales_activities
    where not is_usable
    union all
    select
        'campaigns' as source_table,
        source_row_number,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        campaign_id as record_key,
        quarantine_reason
    from campaigns
    where not is_usable
    union all
    select
        'consents' as source_table,
        source_row_number,
        lead_id,
        purpose as record_key,
        quarantine_reason
    from consents
    where not is_usable
    union all
    select
        'erasure_requests' as source_table,
        source_row_number,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as record_key,
        quarantine_reason
    from erasure_requests
    where not is_usable
),

final as (
    select
        source_table,
        source_row_number,
        lead_id,
        record_key,
        quarantine_reason
    from quarantined
)

select * from final
