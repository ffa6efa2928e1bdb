-- One row per raw opportunity row: the staging checks, plus the one that
-- needs a join: a deal of a lead that does not exist is quarantined.
with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

known_leads as (
    select * from {{ ref('int_known_leads') }}
),

validated as (
    select
        opportunities.*,
        coalesce(
            opportunities.quarantine_reason,
            case when known_leads.lead_id is null then 'unknown lead' end
        ) as validated_reason
    from opportunities
    left join known_leads
        on opportunities.lead_id = known_leads.lead_id
),

final as (
    select
        source_row_number,
        opportunity_id,
        lead_id,
        stage,
        currency,
        validated_reason as quarantine_reason,
        amount,
        is_won,
        is_closed,
        validated_reason is null as is_usable,
        created_at,
        closed_at,
        updated_at
    from validated
)

select * from final
