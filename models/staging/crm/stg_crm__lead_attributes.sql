with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'lead_attributes') }}
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
            when attribute_name is null then 'missing attribute_name'
            when
                updated_at_text is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from (
        select
            *,
            {{ lead_scoring.parse_timestamp_utc('updated_at_text') }}
                as updated_at
        from cleaned
    ) as parsed
),

final as (
    select
        source_row_number,
        lead_id,
        attribute_name,
        attribute_value,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        updated_at
    from checked
)

select * from final
