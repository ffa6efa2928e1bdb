-- One row per lead id that has at least one usable row in the leads table:
-- the leads that exist for every other table. An event, attribute, deal,
-- sales touch or consent of any other lead_id is quarantined as
-- `unknown lead` (deleted leads are known: their rows stay usable).
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

final as (
    select distinct lead_id
    from leads
    where is_usable
)

select * from final
