-- One row per current lead: its latest usable version, unless that version
-- deletes it, with its market from the country_markets seed (the country
-- matches a code or a name; no match is market `unknown`).
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

country_markets as (
    select * from {{ ref('country_markets') }}
),

country_keys as (
    select
        lower({{ lead_scoring.clean_text('country_code') }}) as code_key,
        lower({{ lead_scoring.clean_text('country_name') }}) as name_key,
        lower({{ lead_scoring.clean_text('market') }}) as market
    from country_markets
),

markets_by_code as (
    select
        code_key as country_key,
        min(market) as market
    from country_keys
    group by code_key
),

markets_by_name as (
    select
        name_key as country_key,
        min(market) as market
    from country_keys
    group by name_key
),

version_counts as (
    select
        lead_id,
        count(*) as version_count
    from leads
    where is_usable
    group by lead_id
),

current_versions as (
    select *
    from leads
    where is_latest_version and not is_deleted
),

final as (
    select
        current_versions.lead_id,
        current_versions.email,
        current_versions.first_name,
        current_versions.last_name,
        current_versions.job_title,
        current_versions.seniority,
        current_versions.department,
        current_versions.company_name,
        current_versions.company_domain,
        current_versions.industry,
        current_versions.country,
        coalesce(
            markets_by_code.market, markets_by_name.market, 'unknown'
        ) as market,
        current_versions.city,
        current_versions.lead_source,
        current_versions.employee_count_text,
        current_versions.annual_revenue_text,
        current_versions.employee_count,
        current_versions.annual_revenue,
        version_counts.version_count,
        current_versions.is_deleted,
        current_versions.created_at,
        current_versions.updated_at
    from current_versions
    left join markets_by_code
        on lower(current_versions.country) = markets_by_code.country_key
    left join markets_by_name
        on lower(current_versions.country) = markets_by_name.country_key
    left join version_counts
        on current_versions.lead_id = version_counts.lead_id
)

select * from final
