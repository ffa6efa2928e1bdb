-- One row per lead with a decision and custom attribute it has ever had:
-- the attribute's value on the lead's decision date, point in time (its
-- usable row with the latest updated_at written by then; rows without
-- updated_at count as oldest), null when every row of it was recorded
-- later (is_recorded_after_decision: the fit reads these as likely leaks).
with

decisions as (
    select * from {{ ref('int_lead_decisions') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_validated') }}
    where is_usable
),

dated as (
    select
        lead_attributes.lead_id,
        lead_attributes.attribute_name,
        lead_attributes.attribute_value,
        lead_attributes.updated_at,
        lead_attributes.source_row_number,
        decisions.decision_date,
        (
            lead_attributes.updated_at is null
            or cast(lead_attributes.updated_at as date) <= decisions.decision_date
        ) as is_known_on_decision_date
    from lead_attributes
    inner join decisions
        on lead_attributes.lead_id = decisions.lead_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by lead_id, attribute_name
            order by
                case when is_known_on_decision_date then 0 else 1 end asc,
                updated_at desc nulls last,
                source_row_number desc
        ) as version_rank
    from dated
),

final as (
    select
        lead_id,
        attribute_name,
        case when is_known_on_decision_date then attribute_value end
            as attribute_value,
        not is_known_on_decision_date as is_recorded_after_decision,
        decision_date,
        case when is_known_on_decision_date then updated_at end as updated_at
    from ranked
    where version_rank = 1
)

select * from final
