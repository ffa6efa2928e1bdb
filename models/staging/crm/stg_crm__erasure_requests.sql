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
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        {{ lead_scoring.clean_text('requested_at') }} as requested_at_text
    from source
),

parsed as (
    select
        *,
        {{ lead_scoring.parse_timestamp_utc('requested_at_text') }} as requested_at
    from cleaned
),

final as (
    -- a request with a bad date still applies: only a missing lead_id is unusable
    select
        source_row_number,
        lead_id,
        case
            when lead_id is null then 'missing lead_id'
        end as quarantine_reason,
        case
            when requested_at_text is not null and requested_at is null
                then 'unparseable requested_at'
        end as data_problem,
        lead_id is not null as is_usable,
        requested_at
    from parsed
)

select * from final
