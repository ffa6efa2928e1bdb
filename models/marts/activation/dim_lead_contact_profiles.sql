-- One row per current lead: whether and when to contact it. Consent (may a
-- trigger or the CRM sync use this lead, and if not, why), its local time
-- zone and currency, and its best contact hour in local time from the hours
-- of its recent engagement.
with

leads as (
    select * from {{ ref('int_leads_localized') }}
),

contactability as (
    select * from {{ ref('int_lead_contactability') }}
),

contact_hours as (
    select * from {{ ref('int_lead_contact_hours') }}
),

final as (
    select
        leads.lead_id,
        leads.country_code,
        leads.market,
        leads.time_zone,
        leads.time_zone_source,
        leads.currency,
        contactability.consent_basis,
        contactability.marketing_consent_status,
        contactability.not_contactable_reason,
        contact_hours.best_contact_hour_local,
        coalesce(contact_hours.best_hour_activity_count, 0) as best_hour_activity_count,
        coalesce(contact_hours.engagement_activity_count, 0) as engagement_activity_count,
        contactability.is_contactable,
        contactability.marketing_consent_recorded_at
    from leads
    inner join contactability
        on leads.lead_id = contactability.lead_id
    left join contact_hours
        on leads.lead_id = contact_hours.lead_id
)

select * from final
