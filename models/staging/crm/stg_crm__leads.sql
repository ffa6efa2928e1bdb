with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'leads') }}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        {{ lead_scoring.clean_text('email') }} as email,
        {{ lead_scoring.clean_text('first_name') }} as first_name,
        {{ lead_scoring.clean_text('last_name') }} as last_name,
        {{ lead_scoring.clean_text('job_title') }} as job_title,
        lower({{ lead_scoring.clean_text('seniority') }}) as seniority,
        lower({{ lead_scoring.clean_text('department') }}) as department,
        {{ lead_scoring.clean_text('company_name') }} as company_name,
        lower({{ lead_scoring.clean_text('company_domain') }}) as company_domain,
        lower({{ lead_scoring.clean_text('industry') }}) as industry,
        {{ lead_scoring.strip_zero_fraction(lead_scoring.clean_text('employee_count')) }}
            as employee_count_text,
        {{ lead_scoring.strip_zero_fraction(lead_scoring.clean_text('annual_revenue')) }}
            as annual_revenue_text,
        {{ lead_scoring.clean_text('country') }} as country,
        {{ lead_scoring.clean_text('city') }} as city,
        lower({{ lead_scoring.clean_text('lead_source') }}) as lead_source,
        lower({{ lead_scoring.clean_text('is_deleted') }}) as is_deleted_text,
        {{ lead_scoring.clean_text('created_at') }} as created_at_text,
        {{ lead_scoring.clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        cast(
            {{ lead_scoring.to_number('cleaned.employee_count_text') }} as bigint
        ) as employee_count,
        {{ lead_scoring.to_number('cleaned.annual_revenue_text') }} as annual_revenue,
        coalesce(
            {{ lead_scoring.to_boolean('cleaned.is_deleted_text') }}, false
        ) as is_deleted,
        {{ lead_scoring.parse_timestamp_utc('cleaned.created_at_text') }} as created_at,
        {{ lead_scoring.parse_timestamp_utc('cleaned.updated_at_text') }} as updated_at,
        erased_leads.lead_id is not null as is_erased
    from cleaned
    left join erased_leads
        on cleaned.lead_id = erased_leads.lead_id
),

checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when
                created_at_text is not null and created_at is null
                then 'unparseable created_at'
            when
                updated_at_text is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from parsed
),

final as (
    -- an erased lead keeps its id and nothing else (docs/privacy.md)
    select
        source_row_number,
        lead_id,
        case when not is_erased then email end as email,
        case when not is_erased then first_name end as first_name,
        case when not is_erased then last_name end as last_name,
        case when not is_erased then job_title end as job_title,
        case when not is_erased then seniority end as seniority,
        case when not is_erased then department end as department,
        case when not is_erased then company_name end as company_name,
        case when not is_erased then company_domain end as company_domain,
        case when not is_erased then industry end as industry,
        case when not is_erased then country end as country,
        case when not is_erased then city end as city,
        case when not is_erased then lead_source end as lead_source,
        case when not is_erased then employee_count_text end as employee_count_text,
        case when not is_erased then annual_revenue_text end as annual_revenue_text,
        quarantine_reason,
        case when not is_erased then employee_count end as employee_count,
        case when not is_erased then annual_revenue end as annual_revenue,
        is_deleted,
        quarantine_reason is null as is_usable,
        case when not is_erased then created_at end as created_at,
        case when not is_erased then updated_at end as updated_at
    from checked
)

select * from final
