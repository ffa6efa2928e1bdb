-- One row per raw sales activity row: the staging checks, plus the one that
-- needs a join: a touch of a lead that does not exist is quarantined.
with

sales_activities as (
    select * from {{ ref('stg_crm__sales_activities') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

validated as (
    select
        sales_activities.*,
        coalesce(
            sales_activities.quarantine_reason,
            case when known_leads.lead_id is null then 'unknown lead' end
        ) as validated_reason
    from sales_activities
    left join known_leads
        on sales_activities.lead_id = known_leads.lead_id
),

final as (
    select
        source_row_number,
        activity_id,
        lead_id,
        activity_type,
        outcome,
        owner_id,
        validated_reason as quarantine_reason,
        validated_reason is null as is_usable,
        occurred_date,
        occurred_at
    from validated
)

select * from final
