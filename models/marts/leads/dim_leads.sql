-- One row per current lead: who the lead is, without personal data (no
-- email, names or city; a hash of the email where a join key is needed).
with

leads as (
    select * from {{ ref('int_leads_current') }}
),

final as (
    select
        lead_id,
        case
            when email is not null then {{ dbt.hash('lower(email)') }}
        end as email_hash,
        job_title,
        seniority,
        department,
        company_name,
        company_domain,
        industry,
        country,
        market,
        lead_source,
        employee_count,
        annual_revenue,
        version_count,
        created_at,
        updated_at
    from leads
)

select * from final
