-- One row per raw custom attribute row: the staging checks, plus attributes
-- of a lead that does not exist, which are quarantined.
with

attributes as (
    select * from {{ ref('stg_crm__lead_attributes') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

validated as (
    select
        attributes.source_row_number,
        attributes.lead_id,
        attributes.attribute_name,
        attributes.attribute_value,
        coalesce(
            attributes.quarantine_reason,
            case when known_leads.lead_id is null then 'unknown lead' end
        ) as quarantine_reason,
        attributes.updated_at
    from attributes
    left join known_leads
        on attributes.lead_id = known_leads.lead_id
),

final as (
    select
        source_row_number,
        lead_id,
        attribute_name,
        attribute_value,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        updated_at
    from validated
)

select * from final
