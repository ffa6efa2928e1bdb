-- One row per lead with a decision (int_lead_decisions): the lead as it was
-- on its decision date, point in time: its usable version with the latest
-- updated_at written on or before that date (ties to the last loaded;
-- versions written later are invisible), with the market of its country.
-- A lead whose version of that date is deleted, or that has none, has no
-- row: it had no score that day.
with

decisions as (
    select * from {{ ref('int_lead_decisions') }}
),

lead_versions as (
    select * from {{ ref('stg_crm__leads') }}
    where is_usable
),

country_keys as (
    select * from {{ ref('int_country_keys') }}
),

known_on_decision_date as (
    select
        decisions.decision_date,
        lead_versions.*,
        row_number() over (
            partition by lead_versions.lead_id
            order by
                lead_versions.updated_at desc nulls last,
                lead_versions.source_row_number desc
        ) as version_rank
    from lead_versions
    inner join decisions
        on lead_versions.lead_id = decisions.lead_id
    where
        coalesce(lead_versions.updated_at, lead_versions.created_at) is null
        or cast(
            coalesce(lead_versions.updated_at, lead_versions.created_at) as date
        ) <= decisions.decision_date
),

final as (
    select
        known_on_decision_date.lead_id,
        known_on_decision_date.email,
        known_on_decision_date.first_name,
        known_on_decision_date.last_name,
        known_on_decision_date.job_title,
        known_on_decision_date.seniority,
        known_on_decision_date.department,
        known_on_decision_date.company_name,
        known_on_decision_date.company_domain,
        known_on_decision_date.industry,
        known_on_decision_date.country,
        coalesce(country_keys.market, 'unknown') as market,
        known_on_decision_date.city,
        known_on_decision_date.lead_source,
        known_on_decision_date.employee_count_text,
        known_on_decision_date.annual_revenue_text,
        known_on_decision_date.is_deleted,
        known_on_decision_date.decision_date,
        known_on_decision_date.created_at,
        known_on_decision_date.updated_at
    from known_on_decision_date
    left join country_keys
        on lower(known_on_decision_date.country) = country_keys.country_key
    where
        known_on_decision_date.version_rank = 1
        and not known_on_decision_date.is_deleted
)

select * from final
