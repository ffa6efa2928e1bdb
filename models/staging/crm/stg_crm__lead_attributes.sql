with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'lead_attributes') }}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('attribute_name') }}) as attribute_name,
        {{ lead_scoring.clean_text('attribute_value') }} as attribute_value,
        {{ lead_scoring.clean_text('updated_at') }} as updated_at_text
    from source
),

checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when attribute_name is null then 'missing attribute_name'
            when
                updated_at_text is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from (
        select
            cleaned.*,
            {{ lead_scoring.parse_timestamp_utc('cleaned.updated_at_text') }}
                as updated_at,
            erased_leads.lead_id is not null as is_erased
        from cleaned
        left join erased_leads
            on cleaned.lead_id = erased_leads.lead_id
    ) as parsed
),

final as (
    -- an erased lead's values are gone: a custom property can be free text
    select
        source_row_number,
        lead_id,
        attribute_name,
        case when not is_erased then attribute_value end as attribute_value,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        updated_at
    from checked
)

select * from final
