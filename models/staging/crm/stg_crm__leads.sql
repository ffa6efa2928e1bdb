-- One row per raw lead row (a version of a lead). Text columns are cleaned
-- and parsed once; columns that arrive typed (timestamps, numbers,
-- booleans) are used as they are (raw_column_kinds, read at compile time).
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'leads'), [
    'lead_id', 'email', 'first_name', 'last_name', 'job_title', 'seniority',
    'department', 'company_name', 'company_domain', 'industry',
    'employee_count', 'annual_revenue', 'country', 'city', 'lead_source',
    'created_at', 'updated_at', 'is_deleted',
]) %}
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
        {%- for column in ['lead_id', 'email', 'first_name', 'last_name',
            'job_title', 'company_name', 'country', 'city'] %}
        {{ lead_scoring.raw_text(column, kinds[column]) }} as {{ column }},
        {%- endfor %}
        {%- for column in ['seniority', 'department', 'company_domain',
            'industry', 'lead_source'] %}
        lower({{ lead_scoring.raw_text(column, kinds[column]) }}) as {{ column }},
        {%- endfor %}
        {%- for column in ['employee_count', 'annual_revenue'] %}
        {{ lead_scoring.strip_zero_fraction(
            lead_scoring.raw_text(column, kinds[column])
        ) }} as {{ column }}_text,
        {{ lead_scoring.raw_value(column, kinds[column]) }} as {{ column }}_raw,
        {%- endfor %}
        {{ lead_scoring.raw_value('is_deleted', kinds['is_deleted']) }} as is_deleted_raw,
        {{ lead_scoring.raw_value('created_at', kinds['created_at']) }} as created_at_raw,
        {{ lead_scoring.raw_value('updated_at', kinds['updated_at']) }} as updated_at_raw
    from source
),

parsed as (
    select
        cleaned.*,
        cast(
            {{ lead_scoring.parse_raw(
                'cleaned.employee_count_raw', kinds['employee_count'], 'number'
            ) }} as bigint
        ) as employee_count,
        {{ lead_scoring.parse_raw(
            'cleaned.annual_revenue_raw', kinds['annual_revenue'], 'number'
        ) }} as annual_revenue,
        coalesce(
            {{ lead_scoring.parse_raw(
                'cleaned.is_deleted_raw', kinds['is_deleted'], 'boolean'
            ) }},
            false
        ) as is_deleted,
        {{ lead_scoring.parse_raw(
            'cleaned.created_at_raw', kinds['created_at'], 'timestamp'
        ) }} as created_at,
        {{ lead_scoring.parse_raw(
            'cleaned.updated_at_raw', kinds['updated_at'], 'timestamp'
        ) }} as updated_at,
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
                created_at_raw is not null and created_at is null
                then 'unparseable created_at'
            when
                updated_at_raw is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from parsed
),

final as (
    -- an erased lead keeps its id and nothing else (docs/privacy.md)
    select
        source_row_number,
        lead_id,
        {{ lead_scoring.masked_unless_erased([
            'email', 'first_name', 'last_name', 'job_title', 'seniority',
            'department', 'company_name', 'company_domain', 'industry',
            'country', 'city', 'lead_source', 'employee_count_text',
            'annual_revenue_text',
        ]) }},
        quarantine_reason,
        {{ lead_scoring.masked_unless_erased(['employee_count', 'annual_revenue']) }},
        is_deleted,
        quarantine_reason is null as is_usable,
        {{ lead_scoring.masked_unless_erased(['created_at', 'updated_at']) }}
    from checked
)

select * from final
