-- One row per raw erasure request, checked: only a missing lead_id makes a
-- request unusable; a bad date is a data problem, the request still applies.
with

erasure_requests as (
    select * from {{ ref('base_crm__erasure_requests') }}
),

final as (
    select
        source_row_number,
        lead_id,
        case
            when lead_id is null then 'missing lead_id'
        end as quarantine_reason,
        case
            when has_requested_at and requested_at is null
                then 'unparseable requested_at'
        end as data_problem,
        lead_id is not null as is_usable,
        requested_at
    from erasure_requests
)

select * from final
