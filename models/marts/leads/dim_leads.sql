-- One row per current lead (as of the as-of date): who the lead is, without
-- personal data (no email, names or city; a hash of the email as a join key).
with

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
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
