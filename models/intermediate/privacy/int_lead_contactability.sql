-- One row per current lead: may marketing and sales outreach (triggers,
-- CRM sync) use it? Its marketing consent at the end of the as-of date is
-- its latest `marketing` consent row recorded by then. Withdrawn: not
-- contactable. No row: contactable only where the country's consent basis
-- is opt_out. A warehouse without any consent row (no consents table) has
-- no consent data to judge by: nobody is held back, and the tools that
-- send leave consent to their own lists (docs/privacy.md).
with

leads as (
    select * from {{ ref('int_leads_localized') }}
),

consent_periods as (
    select * from {{ ref('int_lead_consent_periods') }}
),

consents as (
    select * from {{ ref('stg_crm__consents') }}
),

consent_data as (
    select count(*) > 0 as has_consent_records
    from consents
),

consent_at_as_of as (
    select
        lead_id,
        status,
        valid_from as recorded_at,
        row_number() over (
            partition by lead_id
            order by valid_from desc, source_row_number desc
        ) as consent_rank
    from consent_periods
    where
        purpose = 'marketing'
        and valid_from < {{ dbt.dateadd('day', 1, lead_scoring.score_as_of_date()) }}
),

final as (
    select
        leads.lead_id,
        leads.consent_basis,
        consent_at_as_of.status as marketing_consent_status,
        case
            when consent_at_as_of.status = 'withdrawn'
                then 'marketing consent withdrawn'
            when
                consent_at_as_of.status is null
                and leads.consent_basis <> 'opt_out'
                and consent_data.has_consent_records
                then 'no marketing consent (opt-in country)'
        end as not_contactable_reason,
        coalesce(consent_at_as_of.status = 'granted', false)
        or (
            consent_at_as_of.status is null
            and (
                leads.consent_basis = 'opt_out'
                or not consent_data.has_consent_records
            )
        ) as is_contactable,
        consent_at_as_of.recorded_at as marketing_consent_recorded_at
    from leads
    cross join consent_data
    left join consent_at_as_of
        on
            leads.lead_id = consent_at_as_of.lead_id
            and consent_at_as_of.consent_rank = 1
)

select * from final
