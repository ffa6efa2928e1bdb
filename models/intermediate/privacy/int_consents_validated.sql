-- One row per raw consent row: the staging checks, plus the one that needs
-- a join: a consent of a lead that does not exist is quarantined.
with

consents as (
    select * from {{ ref('stg_crm__consents') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

validated as (
    select
        consents.*,
        coalesce(
            consents.quarantine_reason,
            case when known_leads.lead_id is null then 'unknown lead' end
        ) as validated_reason
    from consents
    left join known_leads
        on consents.lead_id = known_leads.lead_id
),

final as (
    select
        source_row_number,
        lead_id,
        purpose,
        status,
        validated_reason as quarantine_reason,
        validated_reason is null as is_usable,
        recorded_at
    from validated
)

select * from final
