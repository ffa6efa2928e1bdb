-- The one model that reads the erasure source: one row per raw erasure
-- request, its lead_id cleaned like every lead_id. Every staging model of a
-- lead's data joins it (erased_lead_ids) to mask an erased lead;
-- stg_crm__erasure_requests checks the rows.
{%- set kinds = lead_scoring.raw_column_kinds(
    source('crm', 'erasure_requests'), ['lead_id', 'requested_at']
) %}
with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ lead_scoring.optional_source('crm', 'erasure_requests', [
        'lead_id', 'requested_at',
    ]) }} as erasure_requests
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.raw_text('lead_id', kinds['lead_id']) }} as lead_id,
        {{ lead_scoring.raw_value('requested_at', kinds['requested_at']) }}
            as requested_at_raw
    from source
),

final as (
    select
        source_row_number,
        lead_id,
        requested_at_raw is not null as has_requested_at,
        {{ lead_scoring.parse_raw(
            'requested_at_raw', kinds['requested_at'], 'timestamp'
        ) }} as requested_at
    from cleaned
)

select * from final
